package dev.nnlab.tensor;

import dev.nnlab.autograd.GradCheck;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NormTest {
    private static Tensor dbl(int... shape) {
        return Tensor.randn(DType.FLOAT64, shape).detach().requiresGrad_();
    }

    @Test
    void gradcheckBatchNormTrainingAndEval() {
        Tensor.manualSeed(30);
        assertTrue(GradCheck.gradcheck(in -> Norm.batchNorm(in[0], null, null, in[1], in[2], true, 0.1, 1e-5),
                dbl(4, 3), dbl(3), dbl(3)));
        assertTrue(GradCheck.gradcheck(in -> Norm.batchNorm(in[0], null, null, in[1], in[2], true, 0.1, 1e-5),
                dbl(2, 3, 2, 3), dbl(3), dbl(3)));
        assertTrue(GradCheck.gradcheck(in -> Norm.batchNorm(in[0], null, null, null, null, true, 0.1, 1e-5), dbl(3, 2, 4)));
        Tensor rm = Tensor.randn(DType.FLOAT64, 3), rv = Tensor.rand(3).toDouble().add(0.5);
        assertTrue(GradCheck.gradcheck(in -> Norm.batchNorm(in[0], rm, rv, in[1], in[2], false, 0.1, 1e-5),
                dbl(2, 3, 4), dbl(3), dbl(3)));
    }

    /** The float32 loops (partial sums, one backward pass for both sums) against the float64 path. */
    @Test
    void float32BatchNormMatchesFloat64() {
        Tensor.manualSeed(31);
        Tensor x = Tensor.randn(8, 3, 9, 7).mul(3).add(2).requiresGrad_();
        Tensor w = Tensor.randn(3).requiresGrad_(), b = Tensor.randn(3).requiresGrad_();
        Tensor x64 = x.detach().toDouble().requiresGrad_(), w64 = w.detach().toDouble().requiresGrad_();
        Tensor b64 = b.detach().toDouble().requiresGrad_();
        Tensor rm = Tensor.zeros(3), rv = Tensor.ones(3), rm64 = Tensor.zeros(3).toDouble(), rv64 = Tensor.ones(3).toDouble();
        Tensor y = Norm.batchNorm(x, rm, rv, w, b, true, 0.1, 1e-5);
        Tensor y64 = Norm.batchNorm(x64, rm64, rv64, w64, b64, true, 0.1, 1e-5);
        assertArrayEquals(y64.toFloatArray(), y.toFloatArray(), 1e-5f);
        assertArrayEquals(rm64.toFloatArray(), rm.toFloatArray(), 1e-6f);
        assertArrayEquals(rv64.toFloatArray(), rv.toFloatArray(), 1e-5f);
        Tensor g = Tensor.randn(y.shape());
        y.backward(g);
        y64.backward(g.toDouble());
        assertArrayEquals(x64.grad().toFloatArray(), x.grad().toFloatArray(), 1e-5f);
        assertArrayEquals(w64.grad().toFloatArray(), w.grad().toFloatArray(), 1e-3f);
        assertArrayEquals(b64.grad().toFloatArray(), b.grad().toFloatArray(), 1e-4f);
    }

    @Test
    void trainingUpdatesRunningStatsWithUnbiasedVariance() {
        Tensor x = Tensor.tensor(new double[][] {{1, 10}, {3, 20}, {5, 60}});
        Tensor rm = Tensor.zeros(2), rv = Tensor.ones(2);
        int before = rm.version();
        Tensor y = Norm.batchNorm(x, rm, rv, null, null, true, 0.1, 1e-5);
        // channel 0: mean 3, biased var 8/3, unbiased 4; channel 1: mean 30, unbiased var 700.
        assertArrayEquals(new float[] {0.3f, 3f}, rm.toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {0.9f + 0.4f, 0.9f + 70f}, rv.toFloatArray(), 1e-4f);
        assertTrue(rm.version() > before);
        assertEquals(-2 / Math.sqrt(8.0 / 3 + 1e-5), y.get(0, 0), 1e-6);
        // eval uses the running stats.
        Tensor z = Norm.batchNorm(x, rm, rv, null, null, false, 0.1, 1e-5);
        assertEquals((1 - 0.3) / Math.sqrt(1.3 + 1e-5), z.get(0, 0), 1e-6);
        assertArrayEquals(new float[] {0.3f, 3f}, rm.toFloatArray(), 1e-6f);
    }

    @Test
    void gradcheckLayerNorm() {
        Tensor.manualSeed(31);
        assertTrue(GradCheck.gradcheck(in -> Norm.layerNorm(in[0], new int[] {4}, in[1], in[2], 1e-5),
                dbl(3, 4), dbl(4), dbl(4)));
        assertTrue(GradCheck.gradcheck(in -> Norm.layerNorm(in[0], new int[] {2, 3}, in[1], null, 1e-5),
                dbl(2, 2, 3), dbl(2, 3)));
        Tensor x = dbl(4, 3);
        assertTrue(GradCheck.gradcheck(in -> Norm.layerNorm(in[0].t(), new int[] {4}, null, null, 1e-5), x));
    }

    @Test
    void layerNormRowsHaveZeroMeanUnitVariance() {
        Tensor.manualSeed(32);
        double[] y = Norm.layerNorm(Tensor.randn(DType.FLOAT64, 5, 8).mul(3).add(2), new int[] {8}, null, null, 0).toDoubleArray();
        for (int r = 0; r < 5; r++) {
            double s = 0, ss = 0;
            for (int i = 0; i < 8; i++) { s += y[r * 8 + i]; ss += y[r * 8 + i] * y[r * 8 + i]; }
            assertEquals(0, s / 8, 1e-12);
            assertEquals(1, ss / 8, 1e-12);
        }
    }

    @Test
    void misuseGetsPyTorchErrors() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Norm.batchNorm(Tensor.randn(1, 3), null, null, null, null, true, 0.1, 1e-5));
        assertEquals("Expected more than 1 value per channel when training, got input size torch.Size([1, 3])", e.getMessage());
        Tensor rm = Tensor.zeros(4);
        e = assertThrows(IllegalArgumentException.class,
                () -> Norm.batchNorm(Tensor.randn(2, 3), rm, Tensor.ones(4), null, null, true, 0.1, 1e-5));
        assertEquals("running_mean should contain 3 elements not 4", e.getMessage());
        assertEquals(0, rm.version());
        e = assertThrows(IllegalArgumentException.class,
                () -> Norm.layerNorm(Tensor.randn(3, 4), new int[] {3}, null, null, 1e-5));
        assertEquals("Given normalized_shape=[3], expected input with shape [*, 3], but got input of size[3, 4]", e.getMessage());
        var e2 = assertThrows(UnsupportedOperationException.class,
                () -> Norm.layerNorm(Tensor.tensor(new long[][] {{1, 2}}), new int[] {2}, null, null, 1e-5));
        assertEquals("\"LayerNormKernelImpl\" not implemented for 'Long'", e2.getMessage());
    }

    @Test
    void gradFnNames() {
        Tensor x = Tensor.randn(2, 3).requiresGrad_();
        assertEquals("NativeBatchNormBackward0", Norm.batchNorm(x, null, null, null, null, true, 0.1, 1e-5).gradFn().name());
        assertEquals("NativeLayerNormBackward0", Norm.layerNorm(x, new int[] {3}, null, null, 1e-5).gradFn().name());
    }
}
