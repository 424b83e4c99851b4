package dev.nnlab.kernel.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * A cell split into Java code and magics. A cell starting with {@code %%name} is a cell magic; otherwise
 * each line starting with {@code %} is a line magic and the lines between are Java.
 */
public final class Cell {
    /** One part of a cell, in order. {@code line} is the 0-based cell line where it starts. */
    public sealed interface Part permits Java, LineMagic, CellMagic {
    }

    public record Java(String code, int line) implements Part {
    }

    public record LineMagic(String name, String args, int line) implements Part {
    }

    public record CellMagic(String name, String args, String body) implements Part {
    }

    private Cell() {
    }

    public static List<Part> parse(String code) {
        String stripped = code.stripLeading();
        if (stripped.startsWith("%%")) {
            int nl = stripped.indexOf('\n');
            String head = nl < 0 ? stripped.substring(2) : stripped.substring(2, nl);
            String body = nl < 0 ? "" : stripped.substring(nl + 1);
            String[] nameArgs = splitName(head);
            return List.of(new CellMagic(nameArgs[0], nameArgs[1], body));
        }
        List<Part> parts = new ArrayList<>();
        StringBuilder java = new StringBuilder();
        int javaLine = 0;
        String[] lines = code.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String t = lines[i].stripLeading();
            if (t.startsWith("%") && !t.startsWith("%%") && java.toString().isBlank()
                    || t.startsWith("%") && !t.startsWith("%%") && endsStatement(java)) {
                if (!java.toString().isBlank()) {
                    parts.add(new Java(java.toString(), javaLine));
                }
                java.setLength(0);
                String[] nameArgs = splitName(t.substring(1));
                parts.add(new LineMagic(nameArgs[0], nameArgs[1], i));
                javaLine = i + 1;
                continue;
            }
            if (java.length() == 0) {
                javaLine = i;
            }
            java.append(lines[i]);
            if (i < lines.length - 1) {
                java.append('\n');
            }
        }
        if (!java.toString().isBlank()) {
            parts.add(new Java(java.toString(), javaLine));
        }
        return parts;
    }

    /** The Java code of a cell with magic lines blanked out, or null for a cell magic. */
    static String javaOnly(String code) {
        if (code.stripLeading().startsWith("%%")) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        for (Part p : parse(code)) {
            if (p instanceof Java j) {
                out.append(j.code()).append('\n');
            }
        }
        return out.toString();
    }

    /** A '%' line continues an expression when the Java before it ends mid-expression. */
    private static boolean endsStatement(StringBuilder java) {
        String s = java.toString().strip();
        return s.isEmpty() || s.endsWith(";") || s.endsWith("}");
    }

    private static String[] splitName(String head) {
        String h = head.strip();
        int sp = 0;
        while (sp < h.length() && !Character.isWhitespace(h.charAt(sp))) {
            sp++;
        }
        return new String[] {h.substring(0, sp), h.substring(sp).strip()};
    }
}
