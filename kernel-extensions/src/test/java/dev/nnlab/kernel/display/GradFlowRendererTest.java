package dev.nnlab.kernel.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnlab.gradflow.GradFlow;
import dev.nnlab.gradflow.GradFlowHistory;
import dev.nnlab.gradflow.GradFlowReport;
import dev.nnlab.gradflow.GradFlowWatch;
import dev.nnlab.nn.Linear;
import dev.nnlab.nn.ReLU;
import dev.nnlab.nn.Sequential;
import dev.nnlab.nn.functional.F;
import dev.nnlab.optim.SGD;
import dev.nnlab.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GradFlowRendererTest {
    static Sequential net;
    static GradFlowHistory history;

    @BeforeAll
    static void train() {
        Tensor.manualSeed(41);
        net = new Sequential(new Linear(10, 16), new ReLU(), new Linear(16, 1));
        SGD opt = new SGD(net.parameters(), 0.02);
        Tensor x = Tensor.randn(32, 10), y = Tensor.randn(32, 1);
        try (GradFlowWatch w = GradFlow.watch(net, 1)) {
            for (int i = 0; i < 3; i++) {
                opt.zeroGrad();
                F.mseLoss(net.call(x), y).backward();
                opt.step();
            }
            history = w.history();
        }
    }

    private static BufferedImage png(DisplayData d) throws IOException {
        Object b64 = d.getData(MIMEType.IMAGE_PNG);
        assertTrue(b64 instanceof String, "image/png is a base64 string");
        return ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode((String) b64)));
    }

    @Test
    void reportIsChartFindingsAndTableOnRequest() throws IOException {
        GradFlowReport r = GradFlow.report(net);
        DisplayData plain = GradFlowRenderer.report(r, false, false, 640, 360);
        BufferedImage img = png(plain);
        assertEquals(640, img.getWidth());
        assertEquals(360, img.getHeight());
        assertEquals("No findings: gradients look healthy.", plain.getData(MIMEType.TEXT_PLAIN));
        DisplayData table = GradFlowRenderer.report(r, true, true, 640, 360);
        String html = (String) table.getData(MIMEType.TEXT_HTML);
        assertEquals(1 + 2, html.split("<tr>", -1).length - 1, "a header and a row per weight");
        assertTrue(html.contains("<td>0.weight</td>") && html.contains("<td>2.weight</td>"), html);
        assertTrue(((String) table.getData(MIMEType.TEXT_PLAIN)).contains("0.weight"));
    }

    @Test
    void historyStacksTheGradAndUpdateRatioCharts() throws IOException {
        BufferedImage img = png(GradFlowRenderer.history(history, false, false, 600, 300));
        assertEquals(600, img.getWidth());
        assertEquals(600, img.getHeight());
        BufferedImage heat = png(GradFlowRenderer.history(history, true, false, 600, 300));
        assertEquals(300, heat.getHeight());
        String text = (String) GradFlowRenderer.history(history, false, true, 600, 300).getData(MIMEType.TEXT_PLAIN);
        assertTrue(text.startsWith("3 records, steps 0..2 (every 1); latest step 2:"), text);
        assertTrue(text.contains("log10 update ratio"), text);
    }

    @Test
    void registeredRendererShowsAReportThatEndsACell() throws IOException {
        Renderer renderer = new Renderer();
        GradFlowRenderer.register(renderer);
        DisplayData d = renderer.render(history.latest());
        assertEquals(GradFlowRenderer.WIDTH, png(d).getWidth());
        assertTrue(((String) d.getData(MIMEType.TEXT_PLAIN)).contains("0.weight"));
        assertTrue(((String) d.getData(MIMEType.TEXT_HTML)).contains("<table>"));
        DisplayData h = renderer.render(history);
        assertEquals(2 * GradFlowRenderer.HEIGHT, png(h).getHeight());
    }
}
