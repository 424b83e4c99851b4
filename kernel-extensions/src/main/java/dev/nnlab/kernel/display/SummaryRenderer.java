package dev.nnlab.kernel.display;

import dev.nnlab.plot.Images;

import dev.nnlab.summary.ModelStatistics;
import dev.nnlab.summary.SummaryRow;
import java.util.Base64;
import java.util.List;
import org.dflib.jjava.jupyter.kernel.display.RenderContext;
import org.dflib.jjava.jupyter.kernel.display.RenderFunction;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;

/**
 * A model summary: text/plain is torchinfo's table (its toString); text/html the same rows and totals as a table
 * beside the chart of each layer's share of parameters, mult-adds (and time), as an inline PNG.
 */
public final class SummaryRenderer implements RenderFunction<ModelStatistics> {
    @Override
    public void render(ModelStatistics s, RenderContext ctx) {
        ctx.renderIfRequested(MIMEType.TEXT_PLAIN, s::toString);
        ctx.renderIfRequested(MIMEType.TEXT_HTML, () -> html(s));
    }

    public static String html(ModelStatistics s) {
        StringBuilder b = new StringBuilder("<div class=\"nnlab-summary\"><table><caption style=\"text-align:left\">")
                .append("<b>").append(Renderers.escape(s.model())).append("</b> · depth ").append(s.depth())
                .append("</caption><thead><tr>");
        List<String> header = s.header();
        for (String h : header) {
            b.append("<th>").append(Renderers.escape(h)).append("</th>");
        }
        b.append("</tr></thead><tbody>");
        for (SummaryRow r : s.rows()) {
            List<String> cells = s.cells(r);
            b.append("<tr>");
            for (int i = 0; i < cells.size(); i++) {
                String c = Renderers.escape(cells.get(i));
                if (i == 0) {
                    b.append("<td style=\"text-align:left;font-family:monospace;white-space:pre\">").append(c);
                } else {
                    b.append("<td style=\"text-align:right;font-family:monospace\">").append(c);
                }
                b.append("</td>");
            }
            b.append("</tr>");
        }
        b.append("</tbody></table><table style=\"margin-top:.5em\"><tbody>");
        for (String[] t : s.totals()) {
            b.append("<tr><td style=\"text-align:left\">").append(Renderers.escape(t[0]))
                    .append("</td><td style=\"text-align:right;font-family:monospace\">").append(Renderers.escape(t[1]))
                    .append("</td></tr>");
        }
        b.append("</tbody></table>");
        if (!s.rows().isEmpty()) {
            b.append("<img alt=\"parameter and mult-add share per layer\" src=\"data:image/png;base64,")
                    .append(Base64.getEncoder().encodeToString(Images.png(s.chart()))).append("\"/>");
        }
        return b.append("</div>").toString();
    }
}
