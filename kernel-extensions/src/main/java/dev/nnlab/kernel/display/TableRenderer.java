package dev.nnlab.kernel.display;

import org.dflib.jjava.jupyter.kernel.display.RenderContext;
import org.dflib.jjava.jupyter.kernel.display.RenderFunction;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;

/**
 * A Tablesaw Table: text/html with its name and size, every row up to {@link #FULL_ROWS}, else the first and last
 * {@link #EDGE_ROWS} around a row that counts what is left out (columns likewise past {@link #FULL_COLUMNS});
 * text/plain is Tablesaw's own print, cut the same way. Cells use each column's print formatter.
 */
public final class TableRenderer implements RenderFunction<Table> {
    static final int FULL_ROWS = 60;
    static final int EDGE_ROWS = 20;
    static final int FULL_COLUMNS = 30;
    static final int EDGE_COLUMNS = 10;

    @Override
    public void render(Table t, RenderContext ctx) {
        ctx.renderIfRequested(MIMEType.TEXT_PLAIN, () -> text(t));
        ctx.renderIfRequested(MIMEType.TEXT_HTML, () -> html(t));
    }

    public static String text(Table t) {
        String body = t.rowCount() <= FULL_ROWS ? t.printAll() : t.print(2 * EDGE_ROWS);
        return body + (t.rowCount() > FULL_ROWS ? "\n" + size(t) : "");
    }

    public static String html(Table t) {
        int[] rows = shown(t.rowCount(), FULL_ROWS, EDGE_ROWS);
        int[] cols = shown(t.columnCount(), FULL_COLUMNS, EDGE_COLUMNS);
        StringBuilder b = new StringBuilder("<div class=\"nnlab-table\"><table><caption style=\"text-align:left\">");
        if (t.name() != null && !t.name().isEmpty()) {
            b.append("<b>").append(Renderers.escape(t.name())).append("</b> · ");
        }
        b.append(size(t)).append("</caption><thead><tr>");
        for (int c : cols) {
            b.append("<th>").append(c < 0 ? "…" : Renderers.escape(t.column(c).name())).append("</th>");
        }
        b.append("</tr></thead><tbody>");
        for (int r : rows) {
            b.append("<tr>");
            if (r < 0) {
                b.append("<td colspan=\"").append(cols.length).append("\" style=\"text-align:center\">⋮ ")
                        .append(String.format("%,d", t.rowCount() - 2 * EDGE_ROWS)).append(" more rows</td></tr>");
                continue;
            }
            for (int c : cols) {
                boolean num = c >= 0 && t.column(c) instanceof NumericColumn;
                b.append(num ? "<td style=\"text-align:right\">" : "<td>")
                        .append(c < 0 ? "…" : Renderers.escape(t.getString(r, c))).append("</td>");
            }
            b.append("</tr>");
        }
        return b.append("</tbody></table></div>").toString();
    }

    private static String size(Table t) {
        return String.format("%,d rows × %,d columns", t.rowCount(), t.columnCount());
    }

    /** Indices shown out of n: all up to full, else edge at each end around a -1 gap. */
    static int[] shown(int n, int full, int edge) {
        if (n <= full) {
            int[] all = new int[n];
            for (int i = 0; i < n; i++) {
                all[i] = i;
            }
            return all;
        }
        int[] idx = new int[2 * edge + 1];
        for (int i = 0; i < edge; i++) {
            idx[i] = i;
            idx[edge + 1 + i] = n - edge + i;
        }
        idx[edge] = -1;
        return idx;
    }
}
