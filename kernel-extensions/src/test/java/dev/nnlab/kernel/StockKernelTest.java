package dev.nnlab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnlab.kernel.display.Display;
import dev.nnlab.kernel.spi.MiniKernel;
import dev.nnlab.nn.Linear;
import dev.nnlab.summary.ModelStatistics;
import dev.nnlab.tensor.Tensor;
import java.util.List;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * nnlab's extension in a kernel that knows nothing of nnlab: a bare jjava-jupyter BaseKernel whose session is a map
 * of names, loading the extension through the SPI (ServiceLoader), as %classpath does in a stock JJava kernel.
 */
public class StockKernelTest {
    /** A bare kernel with nnlab's extension loaded, the notebook kernel until {@link #close(BaseKernel)}. */
    public static BaseKernel mini() {
        return new MiniKernel().load();
    }

    public static void close(BaseKernel k) {
        ((MiniKernel) k).close();
    }

    private final MiniKernel kernel = new MiniKernel();

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
