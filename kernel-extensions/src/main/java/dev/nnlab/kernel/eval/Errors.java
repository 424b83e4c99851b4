package dev.nnlab.kernel.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.UnresolvedReferenceException;

/** Turns JShell's diagnostics and exceptions into Jupyter errors that point at cells and lines. */
final class Errors {
    private static final String RED = "\u001b[0;31m";
    private static final String RESET = "\u001b[0m";
    private static final int MAX_FRAMES = 30;

    /**
     * Where a snippet came from: a cell label, the cell line its source starts on (0-based), and the
     * blank lines that lead its source, which JShell leaves out of stack-frame line numbers.
     */
    record Origin(String cell, int line, int lead) {
    }

    private final Map<String, Origin> origins = new ConcurrentHashMap<>();

    void remember(Snippet s, Origin o) {
        origins.put(s.id(), o);
    }

    CellException compile(JShell shell, Snippet snippet, String source, Origin origin) {
        List<String> tb = new ArrayList<>();
        String first = null;
        for (Diag d : (Iterable<Diag>) shell.diagnostics(snippet)::iterator) {
            if (!d.isError()) {
                continue;
            }
            String message = d.getMessage(Locale.ENGLISH).replaceAll("\\n\\s*location: class\\s*$", "")
                    .replaceAll("\\n\\s*location: class\\s*\\n", "\n");
            if (first == null) {
                first = message.lines().findFirst().orElse(message);
            }
            tb.add(RED + "CompileError" + RESET + ": " + message);
            tb.addAll(span(source, (int) d.getStartPosition(), (int) d.getEndPosition(), origin));
        }
        if (first == null) {
            first = "the snippet was rejected: " + source.strip();
            tb.add(RED + "CompileError" + RESET + ": " + first);
        }
        return new CellException("CompileError", first, tb);
    }

    /** The source line holding [start, end) with carets under the span. */
    static List<String> span(String source, int start, int end, Origin origin) {
        if (start < 0 || start > source.length()) {
            return List.of();
        }
        int lineStart = source.lastIndexOf('\n', Math.max(0, start - 1)) + 1;
        if (start == 0) {
            lineStart = 0;
        }
        int lineEnd = source.indexOf('\n', start);
        if (lineEnd < 0) {
            lineEnd = source.length();
        }
        int line = origin.line() + 1 + (int) source.substring(0, lineStart).chars().filter(c -> c == '\n').count();
        String prefix = origin.cell() + ", line " + line + ": ";
        String text = source.substring(lineStart, lineEnd);
        int width = Math.max(1, Math.min(Math.max(end, start + 1), lineEnd) - start);
        return List.of(prefix + text, " ".repeat(prefix.length() + start - lineStart) + "^".repeat(width));
    }

    CellException runtime(Exception e) {
        if (e instanceof UnresolvedReferenceException u) {
            Snippet s = u.getSnippet();
            String msg = "cannot use " + s.source().strip().lines().findFirst().orElse("")
                    + " because it refers to something not yet defined";
            return CellException.of("UnresolvedReference", msg);
        }
        EvalException ee = (EvalException) e;
        String cls = ee.getExceptionClassName();
        if (SystemExit.class.getName().equals(cls)) {
            return CellException.of("SystemExit", ee.getMessage());
        }
        List<String> tb = new ArrayList<>();
        Throwable t = ee;
        boolean first = true;
        while (t != null) {
            String name = t instanceof EvalException x ? x.getExceptionClassName() : t.getClass().getName();
            String head = (first ? "" : "Caused by: ") + RED + name + RESET
                    + (t.getMessage() == null ? "" : ": " + t.getMessage());
            tb.add(head);
            tb.addAll(frames(t.getStackTrace()));
            t = t.getCause();
            first = false;
        }
        String simple = cls.substring(cls.lastIndexOf('.') + 1);
        return new CellException(simple, ee.getMessage() == null ? "" : ee.getMessage(), tb);
    }

    /** The frames down to the outermost cell frame, with cell frames named by cell and line. */
    private List<String> frames(StackTraceElement[] stack) {
        int last = -1;
        for (int i = 0; i < stack.length; i++) {
            if (isCell(stack[i])) {
                last = i;
            }
        }
        int n = last < 0 ? Math.min(stack.length, MAX_FRAMES) : last + 1;
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (out.size() == MAX_FRAMES) {
                out.add("    ... " + (n - i) + " more");
                break;
            }
            out.add("    at " + frame(stack[i]));
        }
        return out;
    }

    /** JShell names a cell frame's file "#id" (the snippet id) and blanks the wrapper class and method. */
    private static boolean isCell(StackTraceElement f) {
        return f.getFileName() != null && f.getFileName().startsWith("#");
    }

    private String frame(StackTraceElement f) {
        if (!isCell(f)) {
            return f.toString();
        }
        Origin o = origins.get(f.getFileName().substring(1));
        String where = o == null ? f.getFileName() + ":" + f.getLineNumber()
                : o.cell() + ", line " + (o.line() + o.lead() + f.getLineNumber());
        String cls = f.getClassName();
        String method = f.getMethodName().isEmpty() ? "" : (cls.isEmpty() ? "" : cls + ".") + f.getMethodName();
        return method.isEmpty() ? where : method + " (" + where + ")";
    }
}
