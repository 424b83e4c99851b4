package dev.nnlab.kernel.eval;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.CompletionInfo;
import jdk.jshell.SourceCodeAnalysis.Documentation;
import jdk.jshell.SourceCodeAnalysis.Suggestion;

/** Completion, inspection and completeness of cell code, through JShell's source analysis. */
public final class Analysis {
    /** Replace code[start, end) with one of the matches. Indices are UTF-16 offsets. */
    public record Completion(List<String> matches, int start, int end) {
    }

    private final Repl repl;
    private final SourceCodeAnalysis analysis;
    private final Supplier<Set<String>> magics;

    public Analysis(Repl repl, Supplier<Set<String>> magics) {
        this.repl = repl;
        this.analysis = repl.analysis();
        this.magics = magics;
    }

    public Completion complete(String code, int cursor) {
        int lineStart = code.lastIndexOf('\n', Math.max(0, cursor - 1)) + 1;
        String line = code.substring(lineStart, cursor);
        if (line.matches("\\s*%{1,2}\\w*")) {
            int nameStart = lineStart + line.lastIndexOf('%') + 1;
            String prefix = code.substring(nameStart, cursor);
            List<String> names = magics.get().stream().filter(n -> n.startsWith(prefix)).sorted().toList();
            return new Completion(names, nameStart, cursor);
        }
        repl.indexNow();
        int offset = snippetStart(code, cursor);
        int[] anchor = new int[1];
        List<Suggestion> all = analysis.completionSuggestions(code.substring(offset), cursor - offset, anchor);
        Set<String> matches = new LinkedHashSet<>();
        all.stream().filter(Suggestion::matchesType).forEach(s -> matches.add(s.continuation()));
        all.forEach(s -> matches.add(s.continuation()));
        return new Completion(new ArrayList<>(matches), offset + anchor[0], cursor);
    }

    /** Signature and Javadoc of what is at the cursor, or null when there is nothing to show. */
    public String inspect(String code, int cursor, boolean detail) {
        int offset = snippetStart(code, cursor);
        String input = code.substring(offset);
        int at = cursor - offset;
        List<Documentation> docs = analysis.documentation(input, at, true);
        if (docs.isEmpty() && at > 0 && Character.isJavaIdentifierPart(input.charAt(at - 1))) {
            // JShell documents a method from inside its call: "Math.max" is looked up as "Math.max("
            docs = analysis.documentation(input.substring(0, at) + "(" + input.substring(at), at + 1, true);
        }
        if (docs.isEmpty()) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        for (Documentation d : docs) {
            out.append(d.signature()).append('\n');
            String javadoc = d.javadoc();
            if (javadoc != null && !javadoc.isBlank()) {
                out.append(detail ? javadoc : summary(javadoc)).append("\n\n");
            }
        }
        return out.toString().strip();
    }

    static String summary(String javadoc) {
        int para = javadoc.indexOf("\n\n");
        return (para < 0 ? javadoc : javadoc.substring(0, para)).strip();
    }

    /** "complete", "incomplete" or "invalid", as is_complete_reply wants. */
    public String isComplete(String code) {
        String java = Cell.javaOnly(code);
        if (java == null) {
            return "complete";
        }
        String rest = java;
        while (!rest.isBlank()) {
            CompletionInfo info = analysis.analyzeCompletion(rest);
            switch (info.completeness()) {
                case COMPLETE, COMPLETE_WITH_SEMI -> rest = info.remaining();
                case EMPTY -> {
                    return "complete";
                }
                case DEFINITELY_INCOMPLETE, CONSIDERED_INCOMPLETE -> {
                    return "incomplete";
                }
                default -> {
                    return "invalid";
                }
            }
        }
        return "complete";
    }

    /** Indent for the next line of incomplete code: four spaces per open brace. */
    public static String indent(String code) {
        int depth = 0;
        for (int i = 0; i < code.length(); i++) {
            char c = code.charAt(i);
            if (c == '{' || c == '(') {
                depth++;
            } else if ((c == '}' || c == ')') && depth > 0) {
                depth--;
            }
        }
        return "    ".repeat(depth);
    }

    /** Start of the snippet that holds the cursor: complete snippets before it are skipped. */
    private int snippetStart(String code, int cursor) {
        int offset = 0;
        String rest = code;
        while (true) {
            CompletionInfo info = analysis.analyzeCompletion(rest);
            if (!info.completeness().isComplete() || info.remaining().isEmpty()) {
                return offset;
            }
            int consumed = rest.length() - info.remaining().length();
            if (offset + consumed >= cursor) {
                return offset;
            }
            offset += consumed;
            rest = info.remaining();
        }
    }
}
