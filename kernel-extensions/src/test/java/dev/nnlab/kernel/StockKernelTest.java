package dev.nnlab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnlab.kernel.display.Display;
import dev.nnlab.nn.Linear;
import dev.nnlab.summary.ModelStatistics;
import dev.nnlab.tensor.Tensor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.JupyterIO;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.dflib.jjava.jupyter.kernel.magic.MagicParser;
import org.dflib.jjava.jupyter.kernel.magic.MagicTranspiler;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * nnlab's extension in a kernel that knows nothing of nnlab: a bare jjava-jupyter BaseKernel whose session is a map
 * of names, loading the extension through the SPI (ServiceLoader), as %classpath does in a stock JJava kernel.
 */
public class StockKernelTest {
    /** A bare kernel with nnlab's extension loaded, the notebook kernel until {@link #close(BaseKernel)}. */
    public static BaseKernel mini() {
        Mini m = new Mini();
        m.load();
        return m;
    }

    public static void close(BaseKernel k) {
        ((Mini) k).close();
    }

    static final class Mini extends BaseKernel {
        final Map<String, Object> session = new HashMap<>();
        final List<DisplayData> shown = new ArrayList<>();

        Mini() {
            super("mini", "0", new LanguageInfo("java", "17", "text/x-java-source", ".java", "java", "text/x-java",
                            "script"), List.of(), null, new JupyterIO(StandardCharsets.UTF_8), new CommManager(),
                    new Renderer(), new MagicParser("(?<=(?:^|=))\\s*%", "%%", new MagicTranspiler()), new MagicsRegistry(), true, new StringStyler.Builder().build());
            installNotebookKernel();
        }

        void load() {
            ServiceLoader.load(Extension.class, getClass().getClassLoader()).forEach(this::installExtension);
        }

        void close() {
            uninstallNotebookKernel();
        }

        @Override
        public Object evalRaw(String code) {
            if (!session.containsKey(code)) {
                throw new IllegalStateException("cannot find symbol\n  symbol: variable " + code);
            }
            return session.get(code);
        }

        @Override
        public void display(DisplayData data) {
            shown.add(data);
        }

        @Override
        public DisplayData inspect(String code, int at, boolean extraDetail) {
            return null;
        }

        @Override
        public ReplacementOptions complete(String code, int at) {
            return null;
        }

        @Override
        public String isComplete(String code) {
            return IS_COMPLETE_YES;
        }
    }

    private final Mini kernel = new Mini();

    @AfterEach
    void close() {
        kernel.close();
    }

    @Test
    void toolkitMagicsLoadButTheNnlabKernelsOwnDoNot() {
        kernel.load();
        var names = kernel.getMagicsRegistry().getLineMagicNames();
        assertTrue(names.containsAll(List.of("seed", "summary", "help", "lsmagic")), names.toString());
        assertFalse(names.contains("maven"), names.toString());
    }

    @Test
    void renderersApplyInTheStockKernel() {
        kernel.load();
        assertEquals("int[2] { 2, 100 }", kernel.getRenderer().render(new int[] {2, 100}).getData(MIMEType.TEXT_PLAIN));
        Object html = kernel.getRenderer().render(Tensor.zeros(2, 3)).getData(MIMEType.TEXT_HTML);
        assertTrue(String.valueOf(html).contains("tensor [2, 3]"), String.valueOf(html));
    }

    @Test
    void displayFallsBackToTheKernelsOwnDisplay() {
        kernel.load();
        Display.install(null);
        String id = Display.display(Tensor.zeros(2));
        assertEquals(1, kernel.shown.size());
        assertEquals(id, kernel.shown.get(0).getDisplayId());
        assertTrue(kernel.shown.get(0).hasDataForType(MIMEType.TEXT_HTML));
        Display.updateDisplay(id, "done"); // not attached to a request: nothing to send, and no failure
    }

    @Test
    void summaryMagicFindsTheLiveModelAndNamesAMissingOne() throws Exception {
        kernel.load();
        kernel.session.put("net", new Linear(4, 3));
        ModelStatistics s = kernel.getMagicsRegistry().evalLineMagic(kernel, "summary", List.of("net", "--input", "2,4"));
        assertEquals(4 * 3 + 3, s.totalParams());
        kernel.session.put("emb", new dev.nnlab.nn.Embedding(10, 3));
        ModelStatistics e2 = kernel.getMagicsRegistry().evalLineMagic(kernel, "summary",
                List.of("emb", "--input", "2,5", "--dtype", "int64"));
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {2, 5, 3}, e2.rows().get(0).outputShapes().get(0));
        Exception e = assertThrows(Exception.class,
                () -> kernel.getMagicsRegistry().evalLineMagic(kernel, "summary", List.of("nope", "--input", "2")));
        assertTrue(e.getMessage().contains("'nope' is not defined"), e.getMessage());
    }
}
