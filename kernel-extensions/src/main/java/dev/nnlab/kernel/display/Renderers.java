package dev.nnlab.kernel.display;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;

/**
 * Rendering with a fallback: whatever the registered renderers do, the result has text/plain, and an
 * object whose renderer or toString throws still shows something instead of failing the cell.
 * Renderers for library types (Tensor, Module, ...) are registered by extensions through
 * {@code kernel.getRenderer().createRegistration(Type.class)}.
 */
public final class Renderers {
    private Renderers() {
    }

    public static DisplayData render(Renderer renderer, Object o) {
        if (o instanceof DisplayData d) {
            return d;
        }
        DisplayData data;
        try {
            data = o == null ? new DisplayData("null") : renderer.render(o);
        } catch (RuntimeException | LinkageError e) {
            data = new DisplayData(identity(o) + " (rendering failed: " + e + ")");
        }
        return withText(data, o);
    }

    /** Renders {@code o} as the given MIME types only (plus text/plain), as {@code display(x, "image/svg+xml")}. */
    public static DisplayData renderAs(Renderer renderer, Object o, String... mimeTypes) {
        if (o instanceof DisplayData d) {
            return d;
        }
        DisplayData data;
        try {
            data = o == null ? new DisplayData("null") : renderer.renderAs(o, mimeTypes);
        } catch (RuntimeException | LinkageError e) {
            data = new DisplayData(identity(o) + " (rendering failed: " + e + ")");
        }
        return withText(data, o);
    }

    private static DisplayData withText(DisplayData data, Object o) {
        if (data == null) {
            data = new DisplayData();
        }
        if (data.getData(MIMEType.TEXT_PLAIN) == null) {
            data.putText(text(o));
        }
        return data;
    }

    /** HTML for text: escaped and kept in a pre block. */
    public static String html(String text) {
        return "<pre>" + escape(text) + "</pre>";
    }

    /** Text escaped for HTML content and attribute values. */
    public static String escape(String text) {
        StringBuilder b = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    static String text(Object o) {
        try {
            return ValueRenderer.text(o);
        } catch (RuntimeException e) {
            return identity(o) + " (toString failed: " + e + ")";
        }
    }

    static String identity(Object o) {
        return o.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(o));
    }
}
