package dev.nnlab.kernel.magics;

import org.dflib.jjava.jupyter.kernel.BaseKernel;

/** The live objects of the session that a magic's arguments name, found by evaluating the JShell expression. */
public final class Live {
    private Live() {
    }

    /**
     * Evaluates {@code expr} ({@code model}, {@code net.layers}, {@code heads.get("a")}) in the session and
     * returns the very object it yields, which must be a {@code type}.
     */
    public static <T> T get(BaseKernel kernel, Schema schema, String expr, Class<T> type) {
        String e = expr.strip();
        if (e.isEmpty()) {
            throw schema.error("an empty expression cannot name a " + type.getSimpleName());
        }
        Object v;
        try {
            v = kernel.evalRaw(e);
        } catch (RuntimeException ex) {
            String why = firstLine(ex.getMessage());
            if (e.matches("[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*")) {
                throw schema.error("'" + e + "' is not defined in this session"
                        + (why.isEmpty() ? "" : " (" + why + ")") + "; define it in a cell first");
            }
            throw schema.error("could not evaluate '" + e + "': " + (why.isEmpty() ? ex.getClass().getSimpleName() : why));
        }
        if (v == null) {
            throw schema.error("'" + e + "' is null, not a " + type.getSimpleName());
        }
        if (!type.isInstance(v)) {
            throw schema.error("'" + e + "' is a " + v.getClass().getSimpleName() + ", not a " + type.getSimpleName());
        }
        return type.cast(v);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl).strip();
    }
}
