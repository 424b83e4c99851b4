package dev.nnlab.kernel.display;

import dev.nnlab.gradflow.Finding;
import dev.nnlab.gradflow.GradFlowHistory;
import dev.nnlab.gradflow.GradFlowReport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;
import tech.tablesaw.api.Table;

/**
 * Gradient-flow reports and histories as one display: the chart (image/png), the findings as sentences and,
 * on request, the table (text/plain and text/html).
 */
public final class GradFlowRenderer {
    /** The chart size when none is asked for. */
    public static final int WIDTH = 800;
    public static final int HEIGHT = 450;

    private GradFlowRenderer() {
    }

    /** Registers both types: a cell ending in a report or history shows chart, findings and table. */
    public static void register(Renderer renderer) {
        renderer.createRegistration(GradFlowReport.class)
                .preferring(MIMEType.IMAGE_PNG, MIMEType.TEXT_HTML, MIMEType.TEXT_PLAIN)
                .register((r, ctx) -> ctx.getOutputContainer().assign(report(r, false, true, WIDTH, HEIGHT)));
        renderer.createRegistration(GradFlowHistory.class)
                .preferring(MIMEType.IMAGE_PNG, MIMEType.TEXT_HTML, MIMEType.TEXT_PLAIN)
                .register((h, ctx) -> ctx.getOutputContainer().assign(history(h, false, true, WIDTH, HEIGHT)));
    }

    /** One report: the max/mean |grad| bar chart, the findings, and the table when {@code table}. */
    public static DisplayData report(GradFlowReport r, boolean log, boolean table, int width, int height) {
        List<Chart<?, ?>> charts = List.of(r.chart(width, height, log));
        String head = r.step() < 0 ? "" : "step " + r.step() + "\n";
        return data(charts, head + r.findingsText(), r.findings(), table ? List.of(r.table()) : List.of(),
                width, height);
    }

    /**
     * A watch's history: mean |grad| over steps above the update-ratio chart (or a heatmap), the latest findings,
     * and the long table when {@code table}.
     */
    public static DisplayData history(GradFlowHistory h, boolean heatmap, boolean table, int width, int height) {
        List<Chart<?, ?>> charts = heatmap ? List.of(h.heatmap(width, height))
                : List.of(h.lineChart(width, height), h.updateRatioChart(width, height));
        GradFlowReport last = h.latest();
        String head = h.isEmpty() ? "nothing recorded yet (every " + h.every() + " steps)"
                : h.size() + " records, steps " + h.steps()[0] + ".." + h.steps()[h.size() - 1] + " (every "
                + h.every() + "); latest step " + last.step() + ":\n" + last.findingsText();
        return data(charts, head, last == null ? List.of() : last.findings(), table ? List.of(h.table()) : List.of(),
                width, height * charts.size());
    }

    private static DisplayData data(List<Chart<?, ?>> charts, String text, List<Finding> findings, List<Table> tables,
                                    int width, int height) {
        String png = Base64.getEncoder().encodeToString(png(charts));
        StringBuilder plain = new StringBuilder(text);
        StringBuilder html = new StringBuilder("<div class=\"nnlab-gradflow\">")
                .append("<img src=\"data:image/png;base64,").append(png).append("\" width=\"").append(width)
                .append("\" height=\"").append(height).append("\"/>");
        if (findings.isEmpty()) {
            html.append("<p>").append(escape(text)).append("</p>");
        } else {
            html.append("<ul>");
            for (Finding f : findings) {
                html.append("<li>").append(escape(f.message())).append("</li>");
            }
            html.append("</ul>");
        }
        for (Table t : tables) {
            plain.append("\n\n").append(t.printAll());
            html.append(html(t));
        }
        DisplayData d = new DisplayData();
        d.putData(MIMEType.IMAGE_PNG, png);
        d.putHTML(html.append("</div>").toString());
        d.putText(plain.toString());
        return d;
    }

    /** The charts as one PNG, stacked top to bottom. */
    static byte[] png(List<Chart<?, ?>> charts) {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        try {
            if (charts.size() == 1) {
                return BitmapEncoder.getBitmapBytes(charts.get(0), BitmapEncoder.BitmapFormat.PNG);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BitmapEncoder.saveBitmap(charts, charts.size(), 1, out, BitmapEncoder.BitmapFormat.PNG);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String html(Table t) {
        StringBuilder b = new StringBuilder("<table><caption>").append(escape(t.name())).append("</caption><tr>");
        for (String c : t.columnNames()) {
            b.append("<th>").append(escape(c)).append("</th>");
        }
        b.append("</tr>");
        for (int r = 0; r < t.rowCount(); r++) {
            b.append("<tr>");
            for (int c = 0; c < t.columnCount(); c++) {
                b.append("<td>").append(escape(t.getString(r, c))).append("</td>");
            }
            b.append("</tr>");
        }
        return b.append("</table>").toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
