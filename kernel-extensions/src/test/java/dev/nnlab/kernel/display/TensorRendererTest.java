package dev.nnlab.kernel.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnlab.tensor.DType;
import dev.nnlab.tensor.Tensor;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TensorRendererTest {
    private static int count(String s, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(s);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    @Test
    void headerNamesShapeDtypeGradAndGradFn() {
        Tensor x = Tensor.tensor(new float[][] {{1, 2, 3}, {4, 5, 6}}).requiresGrad_();
        Tensor y = x.mul(2);
        assertEquals("tensor [2, 3] · torch.float32 · requires_grad=True", TensorRenderer.header(x));
        assertTrue(TensorRenderer.header(y).endsWith("grad_fn=<" + y.gradFn().name() + ">"), TensorRenderer.header(y));
        assertEquals("tensor [] · torch.int64 · requires_grad=False", TensorRenderer.header(Tensor.scalar(3, DType.INT64)));
    }

    @Test
    void smallMatrixIsATableOfEveryValue() {
        Tensor x = Tensor.tensor(new float[][] {{1, 2, 3}, {4, 5, 6}});
        String h = TensorRenderer.html(x);
        assertEquals(6, count(h, "<td"));
        assertTrue(h.contains(">1.0000</td>") && h.contains(">6.0000</td>"), h);
        // mean 3.5, sample std sqrt(17.5 / 5) = 1.871
        assertTrue(h.contains("min 1.000 · max 6.000 · mean 3.500 · std 1.871"), h);
    }

    @Test
    void integerAndBoolTensorsShowTheirValues() {
        String h = TensorRenderer.html(Tensor.tensor(new long[] {7, -2}));
        assertTrue(h.contains(">7</td>") && h.contains(">-2</td>"), h);
        String b = TensorRenderer.html(Tensor.tensor(new boolean[] {true, false}));
        assertTrue(b.contains(">True</td>") && b.contains(">False</td>"), b);
    }

    @Test
    void largeMatrixIsSummarisedNotMegabytes() {
        Tensor big = Tensor.zeros(2000, 3000);
        String h = TensorRenderer.html(big);
        assertTrue(h.length() < 20_000, "html length " + h.length());
        int shown = 2 * TensorRenderer.EDGE + 1;
        assertEquals(shown * shown, count(h, "<td"));
        assertTrue(h.contains("⋮") && h.contains("⋯") && h.contains("⋱"));
        assertTrue(h.contains("tensor [2000, 3000]"));
    }

    @Test
    void higherDimsShowTheReprEscaped() {
        Tensor t = Tensor.zeros(2, 2, 2);
        String h = TensorRenderer.html(t);
        assertTrue(h.contains("<pre>" + Renderers.escape(t.toString()) + "</pre>"), h);
    }

    @Test
    void shownIndicesKeepBothEnds() {
        assertEquals(3, TensorRenderer.shown(3).length);
        int[] s = TensorRenderer.shown(100);
        assertEquals(0, s[0]);
        assertEquals(-1, s[TensorRenderer.EDGE]);
        assertEquals(99, s[s.length - 1]);
    }

    @Test
    void statsCountNanAndInf() {
        Tensor t = Tensor.tensor(new float[] {1, Float.NaN, Float.POSITIVE_INFINITY, 3});
        assertEquals("min 1.000 · max 3.000 · mean 2.000 · std 1.414 · 1 NaN · 1 Inf", TensorRenderer.stats(t));
    }
}
