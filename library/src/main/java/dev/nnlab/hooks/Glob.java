package dev.nnlab.hooks;

import java.util.regex.Pattern;

/** A module-path pattern with Python's {@code fnmatch} rules: {@code *} any run (dots too), {@code ?} one, {@code [0-2]}. */
final class Glob {
    private Glob() { }

    static Pattern compile(String glob) {
        if (glob.isEmpty()) throw new IllegalArgumentException("bad path glob '': it is empty; try 'layers.*'");
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*') {
                re.append(".*");
            } else if (c == '?') {
                re.append('.');
            } else if (c == '[') {
                int close = glob.indexOf(']', i + 2);
                if (close < 0) {
                    throw new IllegalArgumentException("bad path glob '" + glob + "': the '[' at " + i
                            + " is never closed; write '[0-3]' for a set, '[[]' for a literal '['");
                }
                String set = glob.substring(i + 1, close);
                boolean negate = set.startsWith("!");
                if (negate) set = set.substring(1);
                re.append('[').append(negate ? "^" : "").append(set.replace("\\", "\\\\").replace("[", "\\[")).append(']');
                i = close;
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }
}
