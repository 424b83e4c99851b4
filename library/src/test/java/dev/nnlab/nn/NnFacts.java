package dev.nnlab.nn;

import dev.nnlab.Fixtures;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** PyTorch's facts about modules, from the metadata of {@code fixtures/nn/module_facts.safetensors} (written by fixtures_nn.py). */
final class NnFacts {
    private static Map<String, Object> facts;

    private NnFacts() { }

    @SuppressWarnings("unchecked")
    static synchronized Map<String, Object> all() {
        if (facts == null) {
            facts = (Map<String, Object>) new Parser(Fixtures.load("nn/module_facts").meta("facts")).value();
        }
        return facts;
    }

    /** A value by path, e.g. {@code get("models", "CustomModule", "repr")}. */
    @SuppressWarnings("unchecked")
    static <T> T get(String... path) {
        Object v = all();
        for (String p : path) {
            v = ((Map<String, Object>) v).get(p);
            if (v == null) throw new IllegalArgumentException("no fact " + String.join("/", path));
        }
        return (T) v;
    }

    static <T> T model(String name, String what) {
        return get("models", name, what);
    }

    /** A minimal JSON reader: objects, arrays, strings, numbers, true/false/null. */
    private static final class Parser {
        private final String s;
        private int i;

        Parser(String s) {
            this.s = s;
        }

        Object value() {
            skip();
            char c = s.charAt(i);
            if (c == '{') {
                Map<String, Object> m = new LinkedHashMap<>();
                i++;
                skip();
                if (s.charAt(i) == '}') { i++; return m; }
                while (true) {
                    skip();
                    String k = string();
                    skip();
                    i++; // ':'
                    m.put(k, value());
                    skip();
                    if (s.charAt(i++) == '}') return m;
                }
            }
            if (c == '[') {
                List<Object> l = new ArrayList<>();
                i++;
                skip();
                if (s.charAt(i) == ']') { i++; return l; }
                while (true) {
                    l.add(value());
                    skip();
                    if (s.charAt(i++) == ']') return l;
                }
            }
            if (c == '"') return string();
            if (s.startsWith("true", i)) { i += 4; return Boolean.TRUE; }
            if (s.startsWith("false", i)) { i += 5; return Boolean.FALSE; }
            if (s.startsWith("null", i)) { i += 4; return null; }
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
            String num = s.substring(start, i);
            return num.matches("-?\\d+") ? (Object) Long.parseLong(num) : (Object) Double.parseDouble(num);
        }

        private String string() {
            StringBuilder sb = new StringBuilder();
            i++;
            while (true) {
                char c = s.charAt(i++);
                if (c == '"') return sb.toString();
                if (c != '\\') { sb.append(c); continue; }
                char e = s.charAt(i++);
                switch (e) {
                    case 'n': sb.append('\n'); break;
                    case 't': sb.append('\t'); break;
                    case 'r': sb.append('\r'); break;
                    case 'b': sb.append('\b'); break;
                    case 'f': sb.append('\f'); break;
                    case 'u': sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); i += 4; break;
                    default: sb.append(e);
                }
            }
        }

        private void skip() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        }
    }
}
