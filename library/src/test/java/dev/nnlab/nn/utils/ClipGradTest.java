package dev.nnlab.nn.utils;

import dev.nnlab.nn.Parameter;
import dev.nnlab.tensor.DType;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClipGradTest {
    private static Parameter withGrad(float... g) {
        Parameter p = new Parameter(Tensor.zeros(g.length));
        p.setGrad(Tensor.tensor(g));
        return p;
    }

    @Test
    void scalesByMaxNormOverTotalNormPlusEpsilon() {
        Parameter a = withGrad(3), b = withGrad(0, 4);
        Tensor total = ClipGrad.clipGradNorm_(List.of(a, b), 1.0);
        assertEquals(5.0, total.item());
        float c = (float) (1.0 / (5 + 1e-6));
        assertEquals(3 * c, (float) a.grad().item());
        assertArrayEquals(new float[] {0, 4 * c}, b.grad().toFloatArray());
    }

    @Test
    void smallGradientsAreLeftAsTheyAre() {
        Parameter a = withGrad(0.3f, -0.4f);
        Tensor g = a.grad();
        Tensor total = ClipGrad.clipGradNorm_(a, 10);
        assertEquals(0.5, total.item(), 1e-7);
        assertSame(g, a.grad());
        assertArrayEquals(new float[] {0.3f, -0.4f}, a.grad().toFloatArray());
    }

    @Test
    void parametersWithoutGradsAreIgnoredAndNoneGivesZero() {
        Parameter none = new Parameter(Tensor.ones(3));
        Tensor total = ClipGrad.clipGradNorm_(List.of(none), 1.0);
        assertEquals(0.0, total.item());
        assertEquals(DType.FLOAT32, total.dtype());
        assertNull(none.grad());
        assertEquals(2.0, ClipGrad.clipGradNorm_(List.of(none, withGrad(2)), 5).item());
    }

    @Test
    void nonFiniteNormRaisesOnlyWhenAskedAndChangesNothing() {
        Parameter a = withGrad(1, Float.POSITIVE_INFINITY);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ClipGrad.clipGradNorm_(List.of(a), 1.0, 2.0, true));
        assertEquals("The total norm of order 2.0 for gradients from `parameters` is non-finite, so it cannot be "
                + "clipped. To disable this error and scale the gradients by the non-finite norm anyway, set "
                + "`error_if_nonfinite=False`", e.getMessage());
        assertArrayEquals(new float[] {1, Float.POSITIVE_INFINITY}, a.grad().toFloatArray());
        Parameter n = withGrad(Float.NaN);
        IllegalStateException inf = assertThrows(IllegalStateException.class,
                () -> ClipGrad.clipGradNorm_(List.of(n), 1.0, Double.POSITIVE_INFINITY, true));
        assertTrue(inf.getMessage().startsWith("The total norm of order inf for gradients"));
        Tensor total = ClipGrad.clipGradNorm_(List.of(a), 1.0, 2.0, false);
        assertEquals(Double.POSITIVE_INFINITY, total.item());
    }

    @Test
    void clipGradValueClampsEveryGradient() {
        Parameter a = withGrad(-3, 0.5f, 2), b = new Parameter(Tensor.zeros(DType.FLOAT64, 2));
        b.setGrad(Tensor.tensor(DType.FLOAT64, 7, -0.25));
        int v = a.grad().version();
        ClipGrad.clipGradValue_(List.of(a, b, new Parameter(Tensor.ones(1))), 1);
        assertArrayEquals(new float[] {-1, 0.5f, 1}, a.grad().toFloatArray());
        assertArrayEquals(new double[] {1, -0.25}, b.grad().toDoubleArray());
        assertTrue(a.grad().version() > v);
    }
}
