package dev.nnlab.kernel.display;

import java.util.UUID;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

/** What cells call to show things: statically imported into every notebook. */
public final class Display {
    /** Where display messages go; the kernel installs one. */
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
        DisplayData data = Renderers.render(BaseKernel.notebookKernel().getRenderer(), o);
        String id = data.hasDisplayId() ? data.getDisplayId() : UUID.randomUUID().toString();
        data.setDisplayId(id);
        sink().display(data, false);
        lastId = id;
        return id;
    }

    /** Shows {@code o} rendered as the given MIME types, such as "text/html". */
    public static String display(Object o, String... mimeTypes) {
        DisplayData data = BaseKernel.notebookKernel().getRenderer().renderAs(o, mimeTypes);
        String id = data.hasDisplayId() ? data.getDisplayId() : UUID.randomUUID().toString();
        data.setDisplayId(id);
        sink().display(data, false);
        lastId = id;
        return id;
    }

    /** True for the id the last display call returned, which a cell ending in display(x) need not show. */
    public static boolean isDisplayId(Object value) {
        return value != null && value == lastId;
    }

    /** Replaces what an earlier {@link #display} showed, wherever it is. */
    public static void updateDisplay(String id, Object o) {
        DisplayData data = Renderers.render(BaseKernel.notebookKernel().getRenderer(), o);
        data.setDisplayId(id);
        sink().display(data, true);
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
            throw new IllegalStateException("display() needs a running nnlab kernel");
        }
        return s;
    }
}
