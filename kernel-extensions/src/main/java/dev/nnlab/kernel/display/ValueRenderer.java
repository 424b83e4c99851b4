package dev.nnlab.kernel.display;

import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.dflib.jjava.jupyter.kernel.display.RenderContext;
import org.dflib.jjava.jupyter.kernel.display.RenderFunction;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;

/**
 * text/plain for everyday values: arrays as JShell shows them ({@code int[2] { 2, 100 }}, nested too),
 * collections and maps whose elements are arrays, records with array components, and any text cut at
 * {@link #LIMIT} characters with a note saying how long it was. Registered for {@code Object}, so it is
 * the fallback after every more specific renderer.
 */
public final class ValueRenderer implements RenderFunction<Object> {
    /** The most characters a value's text/plain holds. */
    public static final int LIMIT = 20_000;

    @Override
    public void render(Object o, RenderContext ctx) {
        ctx.renderIfRequested(MIMEType.TEXT_PLAIN, () -> text(o));
    }

    /** The value's text: JShell's format for arrays, toString for the rest, at most {@link #LIMIT} characters. */
    public static String text(Object o) {
        if (o == null) {
            return "null";
        }
        if (!(o.getClass().isArray() || o instanceof Collection || o instanceof Map || hasArrayComponent(o))) {
            return cut(String.valueOf(o));
        }
        Writer w = new Writer();
        w.value(o, false);
        return w.done();
    }

    /** {@code s} itself when short, else its head and a note with the full length. */
    static String cut(String s) {
        if (s.length() <= LIMIT) {
            return s;
        }
        int end = Character.isHighSurrogate(s.charAt(LIMIT - 1)) ? LIMIT - 1 : LIMIT;
        return s.substring(0, end) + note(s.length());
    }

    private static String note(long length) {
        return String.format("%n… [cut: %,d characters in all, the first %,d shown]", length, LIMIT);
    }

    private static boolean hasArrayComponent(Object o) {
        if (!o.getClass().isRecord()) {
            return false;
        }
        for (RecordComponent c : o.getClass().getRecordComponents()) {
            if (c.getType().isArray()) {
                return true;
            }
        }
        return false;
    }

    /** Writes a value into a bounded buffer; containers stop with "... (N more)" when it is full. */
    private static final class Writer {
        private final StringBuilder b = new StringBuilder();
        private final Set<Object> open = Collections.newSetFromMap(new IdentityHashMap<>());

        String done() {
            // Only deep nesting can overrun by much: each level adds its "... (N more)" and brackets.
            if (b.length() > LIMIT + 1000) {
                b.setLength(LIMIT);
                b.append(String.format("%n… [cut at %,d characters]", LIMIT));
            }
            return b.toString();
        }

        private boolean full() {
            return b.length() >= LIMIT;
        }

        /** {@code quoted}: inside an array, where JShell quotes strings and chars. */
        void value(Object o, boolean quoted) {
            if (o == null) {
                b.append("null");
            } else if (o.getClass().isArray()) {
                array(o);
            } else if (o instanceof Collection<?> c) {
                collection(c);
            } else if (o instanceof Map<?, ?> m) {
                map(m);
            } else if (hasArrayComponent(o)) {
                record(o);
            } else if (quoted && o instanceof String s) {
                quote(s, '"');
            } else if (quoted && o instanceof Character ch) {
                quote(String.valueOf(ch), '\'');
            } else {
                String s = safeString(o);
                int room = Math.max(0, LIMIT - b.length());
                if (s.length() <= room) {
                    b.append(s);
                } else {
                    b.append(s, 0, room).append('…');
                }
            }
        }

        private void array(Object a) {
            int n = Array.getLength(a);
            b.append(typeName(a.getClass(), n)).append(" { ");
            if (!open.add(a)) {
                b.append("...");
            } else {
                for (int i = 0; i < n; i++) {
                    if (full()) {
                        b.append("... (").append(n - i).append(" more)");
                        break;
                    }
                    if (i > 0) {
                        b.append(", ");
                    }
                    value(Array.get(a, i), true);
                }
                open.remove(a);
            }
            b.append(" }");
        }

        private void collection(Collection<?> c) {
            if (!open.add(c)) {
                b.append("(this Collection)");
                return;
            }
            b.append('[');
            int i = 0;
            int n = c.size();
            for (Iterator<?> it = c.iterator(); it.hasNext(); i++) {
                if (full()) {
                    b.append("... (").append(n - i).append(" more)");
                    break;
                }
                if (i > 0) {
                    b.append(", ");
                }
                value(it.next(), false);
            }
            b.append(']');
            open.remove(c);
        }

        private void map(Map<?, ?> m) {
            if (!open.add(m)) {
                b.append("(this Map)");
                return;
            }
            b.append('{');
            int i = 0;
            int n = m.size();
            for (Iterator<? extends Map.Entry<?, ?>> it = m.entrySet().iterator(); it.hasNext(); i++) {
                if (full()) {
                    b.append("... (").append(n - i).append(" more)");
                    break;
                }
                Map.Entry<?, ?> e = it.next();
                if (i > 0) {
                    b.append(", ");
                }
                value(e.getKey(), false);
                b.append('=');
                value(e.getValue(), false);
            }
            b.append('}');
            open.remove(m);
        }

        private void record(Object r) {
            b.append(r.getClass().getSimpleName()).append('[');
            RecordComponent[] cs = r.getClass().getRecordComponents();
            for (int i = 0; i < cs.length; i++) {
                if (i > 0) {
                    b.append(", ");
                }
                b.append(cs[i].getName()).append('=');
                try {
                    cs[i].getAccessor().setAccessible(true);
                    value(cs[i].getAccessor().invoke(r), false);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    b.append('?');
                }
            }
            b.append(']');
        }

        private void quote(String s, char q) {
            b.append(q);
            for (int i = 0; i < s.length() && !full(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '\n' -> b.append("\\n");
                    case '\t' -> b.append("\\t");
                    case '\r' -> b.append("\\r");
                    case '\\' -> b.append("\\\\");
                    default -> {
                        if (c == q) {
                            b.append('\\').append(c);
                        } else {
                            b.append(c);
                        }
                    }
                }
            }
            b.append(q);
        }

        private static String safeString(Object o) {
            try {
                return String.valueOf(o);
            } catch (RuntimeException e) {
                return Renderers.identity(o) + " (toString failed: " + e + ")";
            }
        }

        /** {@code int[2]}, {@code String[2][]}: the innermost element type, this length, one [] per extra dim. */
        private static String typeName(Class<?> c, int length) {
            int dims = 0;
            Class<?> e = c;
            while (e.isArray()) {
                e = e.getComponentType();
                dims++;
            }
            String name = e.getSimpleName().isEmpty() ? e.getName() : e.getSimpleName();
            return name + "[" + length + "]" + "[]".repeat(dims - 1);
        }
    }
}
