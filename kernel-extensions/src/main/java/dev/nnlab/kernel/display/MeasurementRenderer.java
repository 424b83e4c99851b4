package dev.nnlab.kernel.display;

import dev.nnlab.bench.Measurement;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;

/** A {@link Measurement}: its full report as text/plain, and its one-line summary plus warnings as text/html. */
public final class MeasurementRenderer {
    private MeasurementRenderer() {
    }

    public static void register(Renderer renderer) {
        renderer.createRegistration(Measurement.class)
                .preferring(MIMEType.TEXT_HTML, MIMEType.TEXT_PLAIN)
                .register((m, ctx) -> ctx.getOutputContainer().assign(render(m)));
    }

    public static DisplayData render(Measurement m) {
        DisplayData d = new DisplayData();
        d.putText(m.toString());
        StringBuilder b = new StringBuilder("<div class=\"nnlab-measurement\">");
        String name = m.mode().isEmpty() ? m.label() : m.label() + " / " + m.mode();
        if (!name.isEmpty()) b.append("<b>").append(Renderers.escape(name)).append("</b>: ");
        b.append(Renderers.escape(m.summary()));
        for (String w : m.warnings()) {
            b.append("<br/><span style=\"color:#b00000\">WARNING: ").append(Renderers.escape(w)).append("</span>");
        }
        d.putHTML(b.append("</div>").toString());
        return d;
    }
}
