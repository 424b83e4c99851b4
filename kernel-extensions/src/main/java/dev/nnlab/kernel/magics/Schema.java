package dev.nnlab.kernel.magics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A magic's arguments, declared once as a constant: positionals, {@code --option VALUE} and
 * {@code --flag}. The usage text is derived from the declaration, and {@link #parse} turns a bad
 * argument line into a {@link MagicException} that names the magic, the problem and the usage.
 */
public final class Schema {
    enum Kind { POSITIONAL, OPTIONAL, REST, OPTION, FLAG }

    record Arg(Kind kind, String name, String metavar, String help) { }

    private final String magic;
    private final String summary;
    private final List<Arg> args = new ArrayList<>();

    private Schema(String magic, String summary) {
        this.magic = magic;
        this.summary = summary;
    }

    /** A schema for {@code %magic} (a subcommand may be part of the name: {@code "hooks add"}). */
    public static Schema of(String magic, String summary) {
        return new Schema(magic, summary);
    }

    /** A required positional argument. */
    public Schema positional(String name, String help) {
        return add(new Arg(Kind.POSITIONAL, name, name, help));
    }

    /** A positional argument that may be left out. */
    public Schema optionalPositional(String name, String help) {
        return add(new Arg(Kind.OPTIONAL, name, name, help));
    }

    /** Zero or more trailing positional arguments. */
    public Schema rest(String name, String help) {
        return add(new Arg(Kind.REST, name, name, help));
    }

    /** {@code --name VALUE} or {@code --name=VALUE}. */
    public Schema option(String name, String metavar, String help) {
        return add(new Arg(Kind.OPTION, name, metavar, help));
    }

    /** {@code --name}, true when given. */
    public Schema flag(String name, String help) {
        return add(new Arg(Kind.FLAG, name, null, help));
    }

    private Schema add(Arg a) {
        for (Arg b : args) {
            if (b.name.equals(a.name)) {
                throw new IllegalArgumentException("argument " + a.name + " declared twice");
            }
            if (b.kind == Kind.REST && isPositional(a.kind)) {
                throw new IllegalArgumentException("no positional argument may follow " + b.name + "...");
            }
        }
        args.add(a);
        return this;
    }

    /** The magic's name as typed after % (with its subcommand). */
    public String magic() {
        return magic;
    }

    /** The one-line synopsis followed by a line per argument. */
    public String usage() {
        StringBuilder line = new StringBuilder("%").append(magic);
        for (Arg a : args) {
            switch (a.kind) {
                case POSITIONAL -> line.append(' ').append(a.name);
                case OPTIONAL -> line.append(" [").append(a.name).append(']');
                case REST -> line.append(" [").append(a.name).append("...]");
                case OPTION -> line.append(" [--").append(a.name).append(' ').append(a.metavar).append(']');
                case FLAG -> line.append(" [--").append(a.name).append(']');
            }
        }
        StringBuilder b = new StringBuilder(line).append("\n  ").append(summary);
        for (Arg a : args) {
            String left = switch (a.kind) {
                case OPTION -> "--" + a.name + " " + a.metavar;
                case FLAG -> "--" + a.name;
                case REST -> a.name + "...";
                default -> a.name;
            };
            b.append(String.format("%n  %-22s %s", left, a.help));
        }
        return b.toString();
    }

    /** Parses a magic's arguments; null when {@code --help} was asked for (the usage is then printed). */
    public Parsed parse(List<String> tokens) {
        if (tokens.contains("--help") || tokens.contains("-h")) {
            System.out.println(usage());
            return null;
        }
        Map<String, String> options = new LinkedHashMap<>();
        Map<String, String> positionals = new LinkedHashMap<>();
        List<String> rest = new ArrayList<>();
        List<Arg> slots = args.stream().filter(a -> isPositional(a.kind)).toList();
        int next = 0;
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i);
            if (t.startsWith("--") && t.length() > 2) {
                int eq = t.indexOf('=');
                String name = t.substring(2, eq < 0 ? t.length() : eq);
                Arg a = named(name);
                if (a == null) {
                    throw error("unknown option --" + name);
                }
                if (a.kind == Kind.FLAG) {
                    if (eq >= 0) {
                        throw error("--" + name + " takes no value");
                    }
                    options.put(name, "true");
                } else if (eq >= 0) {
                    options.put(name, t.substring(eq + 1));
                } else if (i + 1 < tokens.size() && !tokens.get(i + 1).startsWith("--")) {
                    options.put(name, tokens.get(++i));
                } else {
                    throw error("--" + name + " needs a value (" + a.metavar + ")");
                }
            } else if (next < slots.size() && slots.get(next).kind != Kind.REST) {
                positionals.put(slots.get(next++).name, t);
            } else if (next < slots.size()) {
                rest.add(t);
            } else {
                throw error("unexpected argument '" + t + "'");
            }
        }
        for (Arg a : slots) {
            if (a.kind == Kind.POSITIONAL && !positionals.containsKey(a.name)) {
                throw error("missing " + a.name);
            }
        }
        return new Parsed(this, positionals, options, rest);
    }

    /** A MagicException for this magic: the problem, then the usage. */
    public MagicException error(String problem) {
        return new MagicException(magic, usage(), problem);
    }

    private Arg named(String name) {
        for (Arg a : args) {
            if (a.name.equals(name) && (a.kind == Kind.OPTION || a.kind == Kind.FLAG)) {
                return a;
            }
        }
        return null;
    }

    private static boolean isPositional(Kind k) {
        return k == Kind.POSITIONAL || k == Kind.OPTIONAL || k == Kind.REST;
    }
}
