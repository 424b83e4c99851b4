package dev.nnlab.gradflow;

import dev.nnlab.nn.Sequential;
import dev.nnlab.optim.SGD;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GradFlowChartTest {
    static GradFlowHistory history;

    @BeforeAll
    static void train() {
        Tensor.manualSeed(31);
        Sequential net = Nets.healthy();
        SGD opt = new SGD(net.parameters(), 0.02);
        try (GradFlowWatch w = GradFlow.watch(net, 1)) {
            for (int i = 0; i < 4; i++) Nets.step(net, opt, Tensor.randn(32, 10), Tensor.randn(32, 1));
            history = w.history();
        }
    }

    private static BufferedImage decode(byte[] png) throws IOException {
        assertTrue(png.length > 1000, "a PNG with content, got " + png.length + " bytes");
        return ImageIO.read(new ByteArrayInputStream(png));
    }

    private static void assertPng(Chart<?, ?> chart, int w, int h) throws IOException {
        BufferedImage img = decode(BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
        assertEquals(w, img.getWidth());
        assertEquals(h, img.getHeight());
    }

    @Test
    void everyChartRendersToAPngOfTheRequestedSize() throws IOException {
        GradFlowReport r = history.latest();
        BufferedImage bar = decode(r.png(640, 360, false));
        assertEquals(640, bar.getWidth());
        assertEquals(360, bar.getHeight());
        assertPng(r.chart(500, 300, true), 500, 300);
        assertPng(r.updateChart(700, 400), 700, 400);
        assertPng(history.lineChart(610, 330), 610, 330);
        assertPng(history.updateRatioChart(620, 340), 620, 340);
        assertPng(history.heatmap(630, 350), 630, 350);
    }

    @Test
    void svgHasTheRequestedSize() {
        String svg = new String(history.latest().svg(640, 360, true), StandardCharsets.UTF_8);
        assertTrue(svg.contains("<svg"), svg.substring(0, Math.min(200, svg.length())));
        Matcher tag = Pattern.compile("<svg[^>]*>").matcher(svg);
        assertTrue(tag.find(), svg.substring(0, Math.min(400, svg.length())));
        assertEquals(640, attribute(tag.group(), "width"), 0.5);
        assertEquals(360, attribute(tag.group(), "height"), 0.5);
        assertTrue(svg.split("<path", -1).length > 20, "bars and text (drawn as paths) are in the SVG");
    }

    private static double attribute(String tag, String name) {
        Matcher m = Pattern.compile("\\s" + name + "=\"([0-9.]+)(px)?\"").matcher(tag);
        assertTrue(m.find(), name + " in " + tag);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void savesByExtensionHeadless(@TempDir Path dir) throws IOException {
        Path png = history.latest().save(dir.resolve("gradflow.png").toString());
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(GradFlowReport.WIDTH, img.getWidth());
        assertEquals(GradFlowReport.HEIGHT, img.getHeight());
        Path svg = history.save(dir.resolve("steps.svg").toString());
        assertTrue(Files.readString(svg).contains("<svg"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> history.latest().save(dir.resolve("gradflow.gif").toString()));
        assertTrue(e.getMessage().contains(".png or .svg"), e.getMessage());
        assertTrue(Boolean.parseBoolean(System.getProperty("java.awt.headless")));
    }

    @Test
    void chartsHandleMissingGradientsAndLogScale() throws IOException {
        Tensor.manualSeed(32);
        Nets.Unused m = new Nets.Unused();
        Nets.step(m, null, Tensor.randn(4, 10), Tensor.randn(4, 1));
        GradFlowReport r = GradFlow.report(m);
        List<?> x = r.chart().getSeriesMap().get("mean |grad|").getXData().stream().toList();
        assertEquals(List.of("used.weight", "unused.weight (no grad)"), x);
        assertPng(r.chart(400, 300, true), 400, 300);
        assertPng(r.updateChart(400, 300), 400, 300);
    }

    @Test
    void historyTableHasARowPerStepAndParameter() {
        assertEquals(4 * 3, history.table().rowCount());
        assertEquals(4 * 6, history.withBiases(true).table().rowCount());
        assertEquals(List.of(0L, 0L, 0L, 1L), history.table().longColumn("step").asList().subList(0, 4));
    }
}
