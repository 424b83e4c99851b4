package dev.nnlab.kernel.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnlab.nn.Linear;
import dev.nnlab.nn.ReLU;
import dev.nnlab.nn.Sequential;
import dev.nnlab.summary.ModelStatistics;
import dev.nnlab.summary.Summary;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class SummaryRendererTest {
    @Test
    void htmlHasEveryRowTheTotalsAndTheChart() throws IOException {
        ModelStatistics s = Summary.summary(new Sequential(new Linear(100, 200), new ReLU(), new Linear(200, 100)), 64, 100);
        String h = SummaryRenderer.html(s);
        assertEquals(1 + 4, h.split("<tr>", -1).length - 1 - s.totals().size());
        assertTrue(h.contains("├─Linear (0)"), h);
        assertTrue(h.contains(">40,300</td>"), h);
        String b64 = h.substring(h.indexOf("base64,") + 7, h.indexOf("\"/>", h.indexOf("base64,")));
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(b64)));
        assertEquals(s.chart().getWidth(), img.getWidth());
        assertEquals(s.chart().getHeight(), img.getHeight());
    }
}
