package dev.nnlab.kernel.display;

import java.util.UUID;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

/** What cells call to show things: statically imported into every notebook. */
public final class Display {
    /** Where display messages go: the nnlab kernel installs one; any other kernel gets its own display(). */
    public interface Sink {
        void display(DisplayData data, boolean update);

        void clear(boolean wait);
    }

    private static volatile Sink sink;
    private static volatile String lastId;

    private Display() {
    }

    public static void install(Sink s) {
        sink = s;
    }

    /** Shows {@code o} below the cell now; returns the display id for {@link #updateDisplay}. */
    public static String display(Object o) {
        return show(Renderers.render(kernel().getRenderer(), o));
    }

    /** Shows {@code o} rendered as the given MIME types, such as "text/html" or "image/svg+xml". */
    public static String display(Object o, String... mimeTypes) {
        return show(Renderers.renderAs(kernel().getRenderer(), o, mimeTypes));
    }

    /** True for the id the last display call returned, which a cell ending in display(x) need not show. */
    public static boolean isDisplayId(Object value) {
        return value != null && value == lastId;
    }

    /** Replaces what an earlier {@link #display} showed, wherever it is. */
    public static void updateDisplay(String id, Object o) {
        update(id, Renderers.render(kernel().getRenderer(), o));
    }

    /** Replaces what an earlier {@link #display} showed with {@code o} rendered as the given MIME types. */
    public static void updateDisplay(String id, Object o, String... mimeTypes) {
        update(id, Renderers.renderAs(kernel().getRenderer(), o, mimeTypes));
    }

    private static String show(DisplayData data) {
        String id = data.hasDisplayId() ? data.getDisplayId() : UUID.randomUUID().toString();
        data.setDisplayId(id);
        Sink s = sink;
        if (s != null) {
            s.display(data, false);
        } else {
            kernel().display(data);
        }
        lastId = id;
        return id;
    }

    private static void update(String id, DisplayData data) {
        if (id == null) {
            throw new IllegalArgumentException("updateDisplay: the display id is null; pass what display(...) returned");
        }
        data.setDisplayId(id);
        Sink s = sink;
        if (s != null) {
            s.display(data, true);
        } else {
            kernel().getIO().display.updateDisplay(id, data);
        }
    }

    /** Display data holding HTML, for {@code display(html("<b>hi</b>"))}. */
    public static DisplayData html(String html) {
        DisplayData d = new DisplayData();
        d.putHTML(html);
        d.putText(html);
        return d;
    }

    /** Display data holding Markdown. */
    public static DisplayData markdown(String markdown) {
        DisplayData d = new DisplayData();
        d.putMarkdown(markdown);
        d.putText(markdown);
        return d;
    }

    /** Clears the cell's output; with wait, only when new output arrives (no flicker). */
    public static void clearOutput(boolean wait) {
        sink().clear(wait);
    }

    public static void clearOutput() {
        clearOutput(false);
    }

    private static Sink sink() {
        Sink s = sink;
        if (s == null) {
            throw new IllegalStateException("clearOutput() needs the nnlab kernel");
        }
        return s;
    }

    /** The running kernel: ours, or any kernel built on jjava-jupyter's BaseKernel. */
    private static BaseKernel kernel() {
        BaseKernel k = BaseKernel.notebookKernel();
        if (k == null) {
            throw new IllegalStateException("display() needs a running Jupyter kernel; in plain JShell, print the value");
        }
        return k;
    }
}
