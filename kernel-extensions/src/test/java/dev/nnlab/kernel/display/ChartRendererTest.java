package dev.nnlab.kernel.display;

import dev.nnlab.plot.Images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

class ChartRendererTest {
    static XYChart chart() {
        XYChart c = new XYChartBuilder().width(420).height(300).title("loss").xAxisTitle("step").yAxisTitle("loss").build();
        c.addSeries("train", new double[] {0, 1, 2, 3}, new double[] {1.0, 0.6, 0.4, 0.3});
        return c;
    }

    @Test
    void pngHasTheChartsPixelSize() throws IOException {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(Images.png(chart())));
        assertEquals(420, img.getWidth());
        assertEquals(300, img.getHeight());
    }

    @Test
    void svgIsAnSvgDocumentWithTheTitle() {
        String svg = new String(Images.svg(chart()), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(svg.contains("<svg"), svg.substring(0, Math.min(200, svg.length())));
        assertTrue(svg.contains("420") && svg.contains("300"));
    }

    @Test
    void textNamesTheChart() {
        assertEquals("XYChart \"loss\" (420x300)", ChartRenderer.text(chart()));
    }
}
