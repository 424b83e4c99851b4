package dev.nnlab.kernel.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnlab.kernel.NnlabExtension;
import dev.nnlab.nn.Linear;
import dev.nnlab.nn.Parameter;
import dev.nnlab.nn.ReLU;
import dev.nnlab.nn.Sequential;
import dev.nnlab.tensor.Tensor;
import java.util.List;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.Test;

/** The registration table picks the right renderer for each type, through jjava-jupyter's own Renderer. */
class RegistrationTest {
    private static final Renderer R = new Renderer();

    static {
        org.dflib.jjava.jupyter.kernel.display.common.Text.registerAll(R); // what every BaseKernel registers
        NnlabExtension.renderers(R);
    }

    @Test
    void longStringsAreCutYetStillRenderAsHtmlOnRequest() {
        String s = "x".repeat(100_000);
        String text = (String) Renderers.render(R, s).getData(MIMEType.TEXT_PLAIN);
        assertTrue(text.length() < ValueRenderer.LIMIT + 200 && text.contains("100,000 characters"));
        assertEquals("<b>hi</b>", Renderers.renderAs(R, "<b>hi</b>", "text/html").getData(MIMEType.TEXT_HTML));
    }

    @Test
    void tensorsAndParametersGetTextAndHtml() {
        Tensor t = Tensor.tensor(new float[] {1, 2});
        DisplayData d = Renderers.render(R, t);
        assertEquals(t.toString(), d.getData(MIMEType.TEXT_PLAIN));
        assertTrue(((String) d.getData(MIMEType.TEXT_HTML)).contains("tensor [2]"));
        Parameter p = new Linear(2, 1).weight;
        assertTrue(((String) Renderers.render(R, p).getData(MIMEType.TEXT_HTML)).startsWith("<div class=\"nnlab-tensor\">"));
    }

    @Test
    void iterableModulesAreModulesNotValues() {
        Sequential s = new Sequential(new Linear(2, 3), new ReLU());
        DisplayData d = Renderers.render(R, s);
        assertEquals(s.toString(), d.getData(MIMEType.TEXT_PLAIN));
        assertTrue(((String) d.getData(MIMEType.TEXT_HTML)).contains("Total params: 9"));
    }

    @Test
    void everydayValuesGetTheirText() {
        assertEquals("int[2] { 2, 100 }", Renderers.render(R, new int[] {2, 100}).getData(MIMEType.TEXT_PLAIN));
        assertEquals("String[1] { \"a\" }", Renderers.render(R, new String[] {"a"}).getData(MIMEType.TEXT_PLAIN));
        assertEquals("[int[1] { 1 }]", Renderers.render(R, List.of(new int[] {1})).getData(MIMEType.TEXT_PLAIN));
        assertEquals("null", Renderers.render(R, null).getData(MIMEType.TEXT_PLAIN));
        assertNull(Renderers.render(R, 42).getData(MIMEType.TEXT_HTML));
    }

    @Test
    void chartsArePngUnlessSvgIsAsked() {
        DisplayData png = Renderers.render(R, ChartRendererTest.chart());
        assertTrue(png.hasDataForType(MIMEType.IMAGE_PNG));
        assertTrue(!png.hasDataForType(MIMEType.IMAGE_SVG));
        DisplayData svg = Renderers.renderAs(R, ChartRendererTest.chart(), "image/svg+xml");
        assertTrue(svg.hasDataForType(MIMEType.IMAGE_SVG));
        assertTrue(!svg.hasDataForType(MIMEType.IMAGE_PNG));
        assertTrue(((String) svg.getData(MIMEType.IMAGE_SVG)).contains("<svg"));
    }

    @Test
    void tablesGetHtml() {
        DisplayData d = Renderers.render(R, tech.tablesaw.api.Table.create("t",
                tech.tablesaw.api.IntColumn.create("a", new int[] {1})));
        assertTrue(((String) d.getData(MIMEType.TEXT_HTML)).contains("<th>a</th>"));
    }
}
