package dev.nnlab.kernel.magics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A magic's arguments after {@link Schema#parse}: typed getters whose errors name the argument. */
public final class Parsed {
    private final Schema schema;
    private final Map<String, String> positionals;
    private final Map<String, String> options;
    private final List<String> rest;

    Parsed(Schema schema, Map<String, String> positionals, Map<String, String> options, List<String> rest) {
        this.schema = schema;
        this.positionals = positionals;
        this.options = options;
        this.rest = List.copyOf(rest);
    }

    /** A positional argument, or null when an optional one was left out. */
    public String positional(String name) {
        return positionals.get(name);
    }

    /** The trailing positional arguments. */
    public List<String> rest() {
        return rest;
    }

    public boolean has(String option) {
        return options.containsKey(option);
    }

    public boolean flag(String name) {
        return options.containsKey(name);
    }

    public String option(String name, String def) {
        return options.getOrDefault(name, def);
    }

    /** An option that must be one of the given words. */
    public String choice(String name, String def, String... allowed) {
        String v = option(name, def);
        for (String a : allowed) {
            if (a.equals(v)) {
                return v;
            }
        }
        throw schema.error("--" + name + " must be one of " + String.join(", ", allowed) + ", got '" + v + "'");
    }

    public int intOption(String name, int def) {
        String v = options.get(name);
        if (v == null) {
            return def;
        }
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw schema.error("--" + name + " must be an integer, got '" + v + "'");
        }
    }

    public double doubleOption(String name, double def) {
        String v = options.get(name);
        if (v == null) {
            return def;
        }
        try {
            double d = Double.parseDouble(v.strip());
            if (Double.isNaN(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw schema.error("--" + name + " must be a number, got '" + v + "'");
        }
    }

    /** A comma-separated option as a list of its non-empty items; empty when not given. */
    public List<String> listOption(String name) {
        String v = options.get(name);
        List<String> out = new ArrayList<>();
        if (v != null) {
            for (String s : v.split(",")) {
                if (!s.isBlank()) {
                    out.add(s.strip());
                }
            }
            if (out.isEmpty()) {
                throw schema.error("--" + name + " needs at least one item, got '" + v + "'");
            }
        }
        return out;
    }

    /** A shape such as {@code 64,100} or {@code 64x100} (option or positional), or null when not given. */
    public int[] shape(String name) {
        String v = options.containsKey(name) ? options.get(name) : positionals.get(name);
        if (v == null) {
            return null;
        }
        String[] parts = v.strip().replaceAll("^[\\[(]|[\\])]$", "").split("\\s*[,x]\\s*", -1);
        int[] dims = new int[parts.length];
        try {
            for (int i = 0; i < parts.length; i++) {
                dims[i] = Integer.parseInt(parts[i].strip());
                if (dims[i] <= 0) {
                    throw new NumberFormatException();
                }
            }
        } catch (NumberFormatException e) {
            throw schema.error("--" + name + " must be a shape of positive sizes such as 64,100, got '" + v + "'");
        }
        return dims;
    }

    /** A duration in seconds: {@code 2}, {@code 1.5s}, {@code 500ms}. */
    public double duration(String name, double defSeconds) {
        String v = options.get(name);
        if (v == null) {
            return defSeconds;
        }
        String s = v.strip().toLowerCase();
        double scale = 1;
        if (s.endsWith("ms")) {
            scale = 1e-3;
            s = s.substring(0, s.length() - 2);
        } else if (s.endsWith("s")) {
            s = s.substring(0, s.length() - 1);
        }
        try {
            double d = Double.parseDouble(s) * scale;
            if (!(d > 0) || Double.isInfinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw schema.error("--" + name + " must be a positive duration such as 1s or 500ms, got '" + v + "'");
        }
    }

    /** The schema these arguments were parsed with, for further errors. */
    public Schema schema() {
        return schema;
    }
}
