package dev.nnlab.kernel.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnlab.bench.Compare;
import dev.nnlab.bench.Measurement;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.Test;

/** The benchmark renderers on their own: one display with the table, the marks, the notes and the chart. */
class CompareRendererTest {
    private static Measurement m(String label, String mode, double... micros) {
        double[] t = Arrays.stream(micros).map(u -> u * 1e-6).toArray();
        return new Measurement(label, mode, t, 10, 1);
    }

    private final Compare c = new Compare("a <b> & c", List.of(
            m("fast", "fwd", 100, 100, 100, 100), m("slow<1>", "fwd", 130, 100, 140, 110, 100)), List.of("note & more"));

    @Test
    void aCompareRendersAsHtmlPngAndText() throws Exception {
        Renderer r = new Renderer();
        CompareRenderer.register(r);
        DisplayData d = r.render(c);
        String html = (String) d.getData(MIMEType.TEXT_HTML);
        assertTrue(html.contains("<caption>a &lt;b&gt; &amp; c</caption>"), html);
        assertTrue(html.contains("<tr><td style=\"text-align:left\">fast</td><td>100</td><td><b>1.00x</b></td></tr>"),
                html);
        assertTrue(html.contains("<td style=\"text-align:left\">slow&lt;1&gt;</td>"), html);
        assertTrue(html.contains("(! 27%)</span>"), html);
        assertTrue(html.contains("<p>note &amp; more</p>"), html);
        assertEquals(c.toString(), d.getData(MIMEType.TEXT_PLAIN));
        byte[] png = Base64.getDecoder().decode((String) d.getData(MIMEType.IMAGE_PNG));
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(800, img.getWidth());
        assertEquals(400, img.getHeight());
        assertTrue(html.contains("src=\"data:image/png;base64," + d.getData(MIMEType.IMAGE_PNG) + "\""));
    }

    @Test
    void aMeasurementRendersItsSummaryAndWarnings() {
        Renderer r = new Renderer();
        MeasurementRenderer.register(r);
        Measurement slow = m("cell", "", 130, 100, 140, 110, 100);
        DisplayData d = r.render(slow);
        assertEquals(slow.toString(), d.getData(MIMEType.TEXT_PLAIN));
        String html = (String) d.getData(MIMEType.TEXT_HTML);
        assertTrue(html.startsWith("<div class=\"nnlab-measurement\"><b>cell</b>: 110 µs ± 30 µs (median ± IQR)"), html);
        assertTrue(html.contains("WARNING: IQR is 27.3% of the median"), html);
    }
}
