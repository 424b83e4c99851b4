package dev.nnlab.kernel.magics;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a magic's argument line like a shell: spaces separate, quotes group, backslash escapes. Inside brackets
 * a Java expression stays whole, spaces and quotes included ({@code heads.get("a b")}, {@code List.of(a, b)},
 * {@code new int[] {1, 2}}); anywhere else ({@code --path='layers.*'}) a quote groups as in a shell.
 */
public final class Args {
    private Args() {
    }

    public static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inToken = false;
        boolean keep = false;
        char quote = 0;
        int depth = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                    if (keep) {
                        cur.append(c);
                    }
                } else if (c == '\\' && quote == '"' && i + 1 < line.length()) {
                    if (keep) {
                        cur.append(c);
                    }
                    cur.append(line.charAt(++i));
                } else {
                    cur.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                keep = depth > 0;
                if (keep) {
                    cur.append(c);
                }
                inToken = true;
            } else if (c == '\\' && i + 1 < line.length()) {
                cur.append(line.charAt(++i));
                inToken = true;
            } else if (Character.isWhitespace(c) && depth == 0) {
                if (inToken) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    inToken = false;
                }
            } else {
                if ("([{".indexOf(c) >= 0) {
                    depth++;
                } else if (")]}".indexOf(c) >= 0 && depth > 0) {
                    depth--;
                }
                cur.append(c);
                inToken = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("unclosed quote " + quote + " in: " + line);
        }
        if (inToken) {
            out.add(cur.toString());
        }
        return out;
    }
}
