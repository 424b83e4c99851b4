package dev.nnlab.bench;

import org.junit.jupiter.api.Test;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import tech.tablesaw.api.Table;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A Compare's layout and figures, from given measurements. */
class CompareTest {
    private static Measurement constant(String label, String mode, double micros) {
        double[] t = new double[8];
        java.util.Arrays.fill(t, micros * 1e-6);
        return new Measurement(label, mode, t, 10, 1);
    }

    /** IQR 30 of a median of 110 us: 27%. */
    private static Measurement spread(String label, String mode) {
        double[] t = {130e-6, 100e-6, 140e-6, 110e-6, 100e-6};
        return new Measurement(label, mode, t, 10, 1);
    }

    private final Compare c = new Compare("demo", List.of(
            constant("A", "fwd", 100), constant("B", "fwd", 200),
            constant("A", "fwdbwd", 300), spread("B", "fwdbwd")), List.of("a note"));

    @Test
    void modelsAreRowsAndModesAreColumns() {
        assertEquals(List.of("A", "B"), c.rows());
        assertEquals(List.of("fwd", "fwdbwd"), c.columns());
        assertEquals("µs", c.unit());
        assertEquals(300e-6, c.get("A", "fwdbwd").median(), 1e-15);
    }

    @Test
    void relativeIsToTheFastestInTheColumn() {
        assertEquals(1.0, c.relative("A", "fwd"), 1e-12);
        assertEquals(2.0, c.relative("B", "fwd"), 1e-12);
        assertEquals(300.0 / 110, c.relative("A", "fwdbwd"), 1e-12);
        assertEquals(1.0, c.relative("B", "fwdbwd"), 1e-12);
        assertEquals("2.00x", c.relativeCell("B", "fwd"));
        assertEquals("2.73x", c.relativeCell("A", "fwdbwd"));
    }

    @Test
    void figuresAreTrimmedAndWideSpreadsMarked() {
        Compare t = Compare.of(constant("x", "fwd", 123.456), constant("y", "fwd", 1000));
        assertEquals(123.0, t.value("x", "fwd"), 1e-9);
        assertEquals("123", t.cell("x", "fwd"));
        assertEquals("1000", t.cell("y", "fwd"));
        // its runs support one significant figure only (PyTorch's estimate), so 110 us shows as 100
        assertEquals("100 (! 27%)", c.cell("B", "fwdbwd"));
        assertTrue(c.toString().contains("100 (! 27%)"), c.toString());
        assertTrue(c.warnings().get(0).startsWith("B fwdbwd: IQR is 27.3% of the median"), c.warnings().toString());
    }

    @Test
    void theTableHasAModelColumnThenTimeAndRatioPerMode() {
        Table t = c.table();
        assertEquals(List.of("model", "fwd (µs)", "fwd rel", "fwdbwd (µs)", "fwdbwd rel", "warnings"), t.columnNames());
        assertEquals(2, t.rowCount());
        assertEquals("B", t.stringColumn("model").get(1));
        assertEquals(200.0, t.doubleColumn("fwd (µs)").get(1), 1e-9);
        assertEquals(2.0, t.doubleColumn("fwd rel").get(1), 1e-12);
        assertEquals(2.73, t.doubleColumn("fwdbwd rel").get(0), 1e-12);
        assertEquals("", t.stringColumn("warnings").get(0));
        assertEquals("fwdbwd IQR 27%", t.stringColumn("warnings").get(1));
    }

    @Test
    void theTextLooksLikePyTorchs() {
        String s = c.toString();
        assertTrue(s.startsWith("[") && s.lines().findFirst().get().contains(" demo "), s);
        assertTrue(s.contains("Times are medians in microseconds (µs)"), s);
        assertTrue(s.endsWith("a note"), s);
        String row = s.lines().filter(l -> l.startsWith("A ")).findFirst().orElseThrow();
        assertTrue(row.matches("A\\s+100\\s+1\\.00x\\s+300\\s+2\\.73x"), row);
    }

    @Test
    void theChartIsAGroupedBarChartOfTheRequestedSize() throws Exception {
        CategoryChart chart = c.chart(640, 320);
        assertEquals(List.of("A", "B"), List.copyOf(chart.getSeriesMap().keySet()));
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(
                BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG)));
        assertEquals(640, png.getWidth());
        assertEquals(320, png.getHeight());
    }

    @Test
    void missingCellsAndDuplicatesAreHandled() {
        Compare partial = Compare.of(constant("A", "fwd", 100), constant("B", "nograd", 50));
        assertEquals("", partial.cell("A", "nograd"));
        assertTrue(Double.isNaN(partial.relative("A", "nograd")));
        assertThrows(IllegalArgumentException.class, () -> Compare.of(constant("A", "fwd", 1), constant("A", "fwd", 2)));
        assertThrows(IllegalArgumentException.class, () -> Compare.of());
    }
}
