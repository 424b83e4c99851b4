package dev.nnlab.kernel.display;

import dev.nnlab.plot.Images;

import dev.nnlab.bench.Compare;
import dev.nnlab.bench.Measurement;
import java.util.Base64;
import java.util.List;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;

/**
 * A benchmark {@link Compare} in one display: an HTML table (times, ratios to the fastest, wide spreads marked) with
 * the warnings, the notes and the grouped bar chart below it; the chart also as image/png, the text as text/plain.
 */
public final class CompareRenderer {
    static final int WIDTH = 800;
    static final int HEIGHT = 400;

    private CompareRenderer() {
    }

    public static void register(Renderer renderer) {
        renderer.createRegistration(Compare.class)
                .preferring(MIMEType.TEXT_HTML, MIMEType.IMAGE_PNG, MIMEType.TEXT_PLAIN)
                .register((c, ctx) -> ctx.getOutputContainer().assign(render(c)));
    }

    /** The display data of a Compare: text/plain, text/html and image/png (800 x 400). */
    public static DisplayData render(Compare c) {
        String png = png(c);
        DisplayData d = new DisplayData();
        d.putText(c.toString());
        d.putHTML(html(c, png));
        d.putData(MIMEType.IMAGE_PNG, png);
        d.putMetaData(MIMEType.IMAGE_PNG, java.util.Map.of("width", WIDTH, "height", HEIGHT));
        return d;
    }

    static String png(Compare c) {
        return Base64.getEncoder().encodeToString(Images.png(c.chart(WIDTH, HEIGHT)));
    }

    static String html(Compare c, String png) {
        StringBuilder b = new StringBuilder("<div class=\"nnlab-compare\">\n<table>\n");
        if (!c.title().isEmpty()) b.append("<caption>").append(Renderers.escape(c.title())).append("</caption>\n");
        b.append("<thead><tr><th style=\"text-align:left\">model</th>");
        for (String col : c.columns()) {
            b.append("<th>").append(Renderers.escape(c.header(col))).append("</th><th>")
                    .append(Renderers.escape(col.isEmpty() ? "rel" : col + " rel")).append("</th>");
        }
        b.append("</tr></thead>\n<tbody>\n");
        for (String row : c.rows()) {
            b.append("<tr><td style=\"text-align:left\">").append(Renderers.escape(row)).append("</td>");
            for (String col : c.columns()) {
                Measurement m = c.get(row, col);
                String cell = Renderers.escape(c.cell(row, col));
                if (m != null && m.hasWarnings()) {
                    cell = "<span style=\"color:#b00000\" title=\"" + Renderers.escape(String.join(" ", m.warnings())) + "\">"
                            + cell + "</span>";
                }
                double rel = c.relative(row, col);
                String relCell = Renderers.escape(c.relativeCell(row, col));
                if (rel == 1.0) relCell = "<b>" + relCell + "</b>";
                b.append("<td>").append(cell).append("</td><td>").append(relCell).append("</td>");
            }
            b.append("</tr>\n");
        }
        b.append("</tbody>\n</table>\n<p>Times are medians in ").append(Renderers.escape(c.unit()))
                .append("; rel is the ratio to the fastest in the column (bold).</p>\n");
        List<String> warnings = c.warnings();
        if (!warnings.isEmpty()) {
            b.append("<p style=\"color:#b00000\">Warnings ((! N%) marks IQR/median above 10%):</p>\n<ul>\n");
            for (String w : warnings) b.append("<li>").append(Renderers.escape(w)).append("</li>\n");
            b.append("</ul>\n");
        }
        for (String n : c.notes()) b.append("<p>").append(Renderers.escape(n)).append("</p>\n");
        b.append("<img alt=\"").append(Renderers.escape(c.title())).append("\" width=\"").append(WIDTH)
                .append("\" height=\"").append(HEIGHT).append("\" src=\"data:image/png;base64,").append(png)
                .append("\"/>\n</div>");
        return b.toString();
    }
}
