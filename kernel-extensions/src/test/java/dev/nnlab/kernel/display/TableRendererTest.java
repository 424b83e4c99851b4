package dev.nnlab.kernel.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class TableRendererTest {
    private static Table table(int rows) {
        int[] n = new int[rows];
        double[] x = new double[rows];
        String[] s = new String[rows];
        for (int i = 0; i < rows; i++) {
            n[i] = i;
            x[i] = i * 0.5;
            s[i] = i == 0 ? "<b>&" : "r" + i;
        }
        return Table.create("stats", IntColumn.create("n", n), DoubleColumn.create("x", x), StringColumn.create("s", s));
    }

    @Test
    void smallTableShowsEveryRowEscaped() {
        String h = TableRenderer.html(table(3));
        assertEquals(3, h.split("<tr>", -1).length - 2);
        assertTrue(h.contains("<b>stats</b> · 3 rows × 3 columns"), h);
        assertTrue(h.contains("<th>n</th><th>x</th><th>s</th>"), h);
        assertTrue(h.contains("<td>&lt;b&gt;&amp;</td>"), h);
        assertTrue(h.contains("<td style=\"text-align:right\">1</td>"), h);
    }

    @Test
    void bigTableKeepsHeadAndTailAndCountsTheRest() {
        String h = TableRenderer.html(table(100_000));
        assertTrue(h.length() < 20_000, "length " + h.length());
        assertEquals(2 * TableRenderer.EDGE_ROWS + 1, h.split("<tr>", -1).length - 2);
        assertTrue(h.contains("⋮ " + String.format("%,d", 100_000 - 2 * TableRenderer.EDGE_ROWS) + " more rows"), h);
        assertTrue(h.contains(">99999</td>") && h.contains(">0</td>"));
        assertTrue(h.contains("100,000 rows × 3 columns"));
    }

    @Test
    void textIsTablesawsPrintWithTheSize() {
        Table t = table(100_000);
        String text = TableRenderer.text(t);
        assertTrue(text.endsWith("100,000 rows × 3 columns"), text);
        assertTrue(text.split("\n").length < 60, text);
        assertEquals(table(5).printAll(), TableRenderer.text(table(5)));
    }

    @Test
    void wideTablesKeepEdgeColumns() {
        Table t = Table.create("wide");
        for (int c = 0; c < 100; c++) {
            t.addColumns(IntColumn.create("c" + c, new int[] {c}));
        }
        String h = TableRenderer.html(t);
        assertTrue(h.contains("<th>c0</th>") && h.contains("<th>c99</th>") && h.contains("<th>…</th>"), h);
        assertTrue(!h.contains("<th>c50</th>"), h);
    }
}
