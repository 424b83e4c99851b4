package dev.nnlab.kernel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The cells run in this session, for history_request: tail, range and glob search. */
public final class History {
    /** Session number of the running kernel, as history replies report it. */
    public static final int SESSION = 1;

    /** One executed cell; output is the text of its result, or null. */
    public record Entry(int session, int line, String input, String output) {
    }

    private final List<Entry> entries = new ArrayList<>();

    public synchronized void add(int line, String input, String output) {
        entries.add(new Entry(SESSION, line, input, output));
    }

    public synchronized List<Entry> tail(int n) {
        return List.copyOf(entries.subList(Math.max(0, entries.size() - Math.max(n, 0)), entries.size()));
    }

    /** Lines [start, stop) of a session; session 0 or less means the current one. */
    public synchronized List<Entry> range(int session, int start, int stop) {
        if (session > 0 && session != SESSION) {
            return List.of();
        }
        return entries.stream().filter(e -> e.line() >= start && (stop <= 0 || e.line() < stop)).toList();
    }

    /** The last n cells (all when n <= 0) whose input matches the glob, optionally without repeats. */
    public synchronized List<Entry> search(String glob, int n, boolean unique) {
        Pattern p = glob(glob);
        Map<String, Entry> seen = new LinkedHashMap<>();
        List<Entry> hits = new ArrayList<>();
        for (Entry e : entries) {
            if (!p.matcher(e.input()).matches()) {
                continue;
            }
            if (unique) {
                seen.remove(e.input());
                seen.put(e.input(), e);
            } else {
                hits.add(e);
            }
        }
        if (unique) {
            hits.addAll(seen.values());
        }
        return n > 0 && hits.size() > n ? List.copyOf(hits.subList(hits.size() - n, hits.size())) : hits;
    }

    /** A glob as sqlite's GLOB reads it: * any run, ? one character, [...] a class. */
    static Pattern glob(String glob) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                case '[' -> {
                    int close = glob.indexOf(']', i + 2);
                    if (close < 0) {
                        re.append("\\[");
                    } else {
                        String body = glob.substring(i + 1, close);
                        re.append('[').append(body.startsWith("^") ? "\\" + body : body).append(']');
                        i = close;
                    }
                }
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }
}
