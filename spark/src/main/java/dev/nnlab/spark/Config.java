package dev.nnlab.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One trial's settings, in order: {@code Config.of("lr", 0.1, "hidden", 32)}. Values travel to executors. */
public final class Config implements Serializable {
    private static final long serialVersionUID = 1L;
    private final LinkedHashMap<String, Object> values;

    private Config(LinkedHashMap<String, Object> values) {
        this.values = values;
    }

    /** Alternating names and values. */
    public static Config of(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("Config.of takes names and values in pairs, got " + namesAndValues.length + " arguments");
        }
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (!(namesAndValues[i] instanceof String name)) {
                throw new IllegalArgumentException("argument " + i + " of Config.of must be a name (String), got " + namesAndValues[i]);
            }
            m.put(name, check(name, namesAndValues[i + 1]));
        }
        return new Config(m);
    }

    /** Every combination of the axes' values, the first axis varying slowest. */
    public static List<Config> grid(Map<String, ? extends List<?>> axes) {
        List<Config> out = new ArrayList<>();
        out.add(new Config(new LinkedHashMap<>()));
        for (Map.Entry<String, ? extends List<?>> axis : axes.entrySet()) {
            if (axis.getValue().isEmpty()) {
                throw new IllegalArgumentException("grid axis '" + axis.getKey() + "' has no values");
            }
            List<Config> next = new ArrayList<>();
            for (Config c : out) {
                for (Object v : axis.getValue()) {
                    LinkedHashMap<String, Object> m = new LinkedHashMap<>(c.values);
                    m.put(axis.getKey(), check(axis.getKey(), v));
                    next.add(new Config(m));
                }
            }
            out = next;
        }
        return out;
    }

    private static Object check(String name, Object v) {
        if (v != null && !(v instanceof Serializable)) {
            throw new IllegalArgumentException("config value '" + name + "' is a " + v.getClass().getName()
                    + ", which cannot be sent to executors (not Serializable); use numbers, strings or records");
        }
        return v;
    }

    public Object get(String name) {
        if (!values.containsKey(name)) {
            throw new IllegalArgumentException("no config value '" + name + "'; this config has " + values.keySet());
        }
        return values.get(name);
    }

    public double getDouble(String name) {
        return number(name).doubleValue();
    }

    public int getInt(String name) {
        return number(name).intValue();
    }

    public String getString(String name) {
        return String.valueOf(get(name));
    }

    private Number number(String name) {
        Object v = get(name);
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException("config value '" + name + "' is " + v + ", not a number");
        }
        return n;
    }

    public Map<String, Object> values() {
        return Collections.unmodifiableMap(values);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Config c && c.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
