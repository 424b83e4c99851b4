package dev.nnlab.nn;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keyword arguments of a module call, passed as the last argument: {@code m.call(x, Kwargs.of("depth", 3))}.
 * The call path hands them to hooks registered with kwargs, and {@code forward} finds them with {@link #from}.
 */
public final class Kwargs {
    private static final Kwargs EMPTY = new Kwargs(Collections.emptyMap());

    private final Map<String, Object> map;

    private Kwargs(Map<String, Object> map) {
        this.map = map;
    }

    /** Pairs of name, value: {@code Kwargs.of("depth", 3, "head", "cls")}. */
    public static Kwargs of(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) throw new IllegalArgumentException("Kwargs.of takes name, value pairs");
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) m.put((String) namesAndValues[i], namesAndValues[i + 1]);
        return new Kwargs(m);
    }

    public static Kwargs of(Map<String, Object> map) {
        return new Kwargs(new LinkedHashMap<>(map));
    }

    /** The kwargs at the end of {@code forward}'s arguments, or an empty set. */
    public static Kwargs from(Object[] args) {
        return args.length > 0 && args[args.length - 1] instanceof Kwargs k ? k : EMPTY;
    }

    /** The mutable name-to-value map (hooks may edit it). */
    public Map<String, Object> map() {
        return map;
    }

    @SuppressWarnings("unchecked")
    public <T> T get(String name, T defaultValue) {
        return map.containsKey(name) ? (T) map.get(name) : defaultValue;
    }

    public boolean isEmpty() {
        return map.isEmpty();
    }

    @Override
    public String toString() {
        return map.toString();
    }
}
