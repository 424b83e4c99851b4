package dev.nnlab.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DropoutTest {
    @Test
    void zeroesAboutPAndScalesTheRest() {
        int n = 200_000;
        double p = 0.3;
        Tensor x = Tensor.ones(n);
        float[] y = DropoutOps.dropout(x, p, true, new Generator(1)).toFloatArray();
        int zeros = 0;
        for (float v : y) {
            if (v == 0) zeros++;
            else assertEquals(1 / (1 - p), v, 1e-6);
        }
        double sd = Math.sqrt(p * (1 - p) / n);
        assertEquals(p, zeros / (double) n, 5 * sd);
    }

    @Test
    void float64AlsoDropsAndScales() {
        int n = 50_000;
        double[] y = DropoutOps.dropout(Tensor.ones(DType.FLOAT64, n), 0.5, true, new Generator(2)).toDoubleArray();
        int zeros = 0;
        for (double v : y) {
            if (v == 0) zeros++;
            else assertEquals(2.0, v, 0);
        }
        assertEquals(0.5, zeros / (double) n, 5 * Math.sqrt(0.25 / n));
    }

    @Test
    void evalAndZeroPAreIdentity() {
        Tensor x = Tensor.randn(4, 5);
        assertSame(x, DropoutOps.dropout(x, 0.5, false, new Generator(3)));
        assertSame(x, DropoutOps.dropout(x, 0.0, true, new Generator(3)));
    }

    @Test
    void pOneZeroesEverything() {
        float[] y = DropoutOps.dropout(Tensor.randn(100), 1.0, true, new Generator(3)).toFloatArray();
        for (float v : y) assertTrue(v == 0, "got " + v);
    }

    @Test
    void gradientIsTheSavedMask() {
        Tensor x = Tensor.randn(64, 200).requiresGrad_();
        Tensor y = DropoutOps.dropout(x, 0.4, true, new Generator(4));
        assertEquals("MulBackward0", y.gradFn().name());
        y.sum().backward();
        float[] g = x.grad().toFloatArray(), yv = y.toFloatArray(), xv = x.toFloatArray();
        for (int i = 0; i < g.length; i++) {
            float expected = yv[i] == 0 && xv[i] != 0 ? 0f : (float) (1 / 0.6);
            assertEquals(expected, g[i], 1e-6f);
        }
    }

    @Test
    void sameGeneratorSeedSameMask() {
        Tensor x = Tensor.randn(10, 10);
        assertArrayEquals(DropoutOps.dropout(x, 0.5, true, new Generator(9)).toFloatArray(),
                DropoutOps.dropout(x, 0.5, true, new Generator(9)).toFloatArray());
    }

    @Test
    void nonContiguousInput() {
        Tensor x = Tensor.randn(6, 3);
        float[] y = DropoutOps.dropout(x.t(), 0.5, true, new Generator(5)).toFloatArray();
        float[] xt = x.t().contiguous().toFloatArray();
        for (int i = 0; i < y.length; i++) assertTrue(y[i] == 0 || Math.abs(y[i] - 2 * xt[i]) < 1e-6);
    }

    @Test
    void probabilityOutOfRangeIsRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> DropoutOps.dropout(Tensor.randn(3), 1.5, true, new Generator()));
        assertEquals("dropout probability has to be between 0 and 1, but got 1.5", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DropoutOps.dropout(Tensor.randn(3), -0.1, false, new Generator()));
    }
}
