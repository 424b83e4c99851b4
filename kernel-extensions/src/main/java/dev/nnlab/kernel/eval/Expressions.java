package dev.nnlab.kernel.eval;

import java.util.List;
import java.util.regex.Pattern;
import jdk.jshell.Diag;

/**
 * The cheaper route for a cell's expressions. JShell compiles an expression twice (once to learn its
 * type, once to run it) but a declaration once, so {@code expr} is run as {@code Object $nnlab7 = (expr);}, and
 * the variable is dropped once its value is read: a snippet that stays active is imported by every later one.
 * Each carrier has a name of its own: JShell names a snippet's class after its variable's name, and a name
 * declared again after a drop first tries the class names of every earlier declaration, compiling once per
 * name, so with one name the 200th distinct expression was compiled 200 times (780 ms).
 * Only snippets that look like expressions take this route. A void call ({@code opt.step()}) cannot be a carrier's
 * value; it runs as the statement {@code { opt.step(); }}, as JShell would run it after a pass of its own to learn
 * that its type is void. A compound assignment ({@code n += 1}) runs as a statement too: JShell's own route keeps its
 * value in a temporary variable ({@code $3}) for the rest of the session, which every later cell then imports. If
 * neither form compiles (a lambda, an error), the snippet is evaluated the usual way, which also gives the right error.
 */
final class Expressions {
    /** The variables that carry expressions' values are named this and a number; names no one writes. */
    static final String PREFIX = "$nnlab";
    /** javac's code for "incompatible types". */
    private static final String INCOMPATIBLE = "compiler.err.prob.found.req";
    private static final Pattern STATEMENT = Pattern.compile(
            "^(?:import|class|interface|enum|record|var|final|public|private|protected|static|abstract|sealed"
            + "|non-sealed|strictfp|default|if|for|while|do|try|switch|return|throw|break|continue|synchronized"
            + "|assert|yield|void|boolean|byte|char|short|int|long|float|double)\\b|^[{@;]");
    /** {@code Type name =}, {@code Type<A, B>[] name;}, {@code Type name(}: a declaration. */
    private static final Pattern DECLARATION = Pattern.compile(
            "^(?!new\\s)[\\w$.]+\\s*(?:<[^;=(]*>)?\\s*(?:\\[\\s*]\\s*)*\\s[\\w$]+\\s*(?:[=;(,]|$)");
    /** An assignment's target and its compound operator. */
    private static final String TARGET = "^[\\w$.\\[\\]]+\\s*", OPERATOR = "(?:[-+*/%&|^]|<<|>>>?)";
    /** {@code x = 1}, {@code a[i] += 2}: an assignment, which shows no value. */
    private static final Pattern ASSIGNMENT = Pattern.compile(TARGET + OPERATOR + "?=(?!=)");
    /** {@code n += 1}, {@code a[i] <<= 2}. */
    private static final Pattern COMPOUND = Pattern.compile(TARGET + OPERATOR + "=(?!=)");

    /** True when the carrier's only errors are of an incompatible type, which for a declared Object means void. */
    static boolean isVoid(List<Diag> errors) {
        return !errors.isEmpty() && errors.stream().allMatch(d -> d.isError() && d.getCode().equals(INCOMPATIBLE));
    }

    /** The expression as a statement block, the expression on its own lines. */
    static String statement(String source) {
        return "{ " + withoutSemicolon(source) + "\n; }";
    }

    /** True for a compound assignment, which runs as a statement. */
    static boolean isCompoundAssignment(String source) {
        return COMPOUND.matcher(source.strip()).find();
    }

    static boolean looksLikeExpression(String source) {
        String s = source.strip();
        return !s.isEmpty() && !s.endsWith("}") && !STATEMENT.matcher(s).find()
                && !DECLARATION.matcher(s).find() && !ASSIGNMENT.matcher(s).find();
    }

    /** The declaration of carrier {@code n}, which holds the expression's value, the expression on its own lines. */
    static String wrap(String source, int n) {
        return "Object " + PREFIX + n + " = (" + withoutSemicolon(source) + "\n);";
    }

    private static String withoutSemicolon(String source) {
        String s = source.stripTrailing();
        return s.endsWith(";") ? s.substring(0, s.length() - 1) : s;
    }
}
