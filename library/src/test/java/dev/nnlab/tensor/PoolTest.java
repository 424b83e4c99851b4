package dev.nnlab.tensor;

import dev.nnlab.autograd.GradCheck;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PoolTest {
    private static Tensor dbl(int... shape) {
        return Tensor.randn(DType.FLOAT64, shape).detach().requiresGrad_();
    }

    private static int[] p(int a, int b) { return new int[] {a, b}; }

    @Test
    void maxPoolPicksWindowMaxima() {
        Tensor x = Tensor.arange(16).toFloat().reshape(1, 1, 4, 4);
        assertArrayEquals(new float[] {5, 7, 13, 15}, Pool.maxPool2d(x, p(2, 2), null, p(0, 0), p(1, 1)).toFloatArray());
        // padding 1, stride 2: windows clipped to the image.
        assertArrayEquals(new float[] {0, 2, 3, 8, 10, 11, 12, 14, 15},
                Pool.maxPool2d(x, p(2, 2), p(2, 2), p(1, 1), p(1, 1)).toFloatArray());
        // dilation 2 on a 3x3 kernel over 5x5: one window reaching the corners.
        Tensor y = Tensor.arange(25).toFloat().reshape(1, 5, 5);
        assertArrayEquals(new float[] {24}, Pool.maxPool2d(y, p(3, 3), null, p(0, 0), p(2, 2)).toFloatArray());
    }

    @Test
    void gradcheckPools() {
        Tensor.manualSeed(20);
        assertTrue(GradCheck.gradcheck(in -> Pool.maxPool2d(in[0], p(2, 2), null, p(0, 0), p(1, 1)), dbl(2, 2, 4, 5)));
        assertTrue(GradCheck.gradcheck(in -> Pool.maxPool2d(in[0], p(3, 2), p(2, 1), p(1, 1), p(1, 2)), dbl(1, 2, 6, 6)));
        assertTrue(GradCheck.gradcheck(in -> Pool.avgPool2d(in[0], p(3, 3), p(2, 2), p(1, 1)), dbl(2, 1, 5, 6)));
        assertTrue(GradCheck.gradcheck(in -> Pool.avgPool2d(in[0].transpose(2, 3), p(2, 2), null, p(0, 0)), dbl(1, 2, 4, 6)));
        assertTrue(GradCheck.gradcheck(in -> Pool.adaptiveAvgPool2d(in[0], p(3, 2)), dbl(2, 2, 7, 5)));
    }

    @Test
    void avgPoolCountsPaddingAndAdaptiveUsesOverlappingWindows() {
        Tensor x = Tensor.ones(1, 1, 2, 2);
        assertArrayEquals(new float[] {0.25f, 0.5f, 0.25f, 0.5f, 1f, 0.5f, 0.25f, 0.5f, 0.25f},
                Pool.avgPool2d(x, p(2, 2), p(1, 1), p(1, 1)).toFloatArray());
        Tensor y = Tensor.arange(5).toFloat().reshape(1, 1, 1, 5);
        // windows [0,2), [1,4), [3,5) for 5 -> 3.
        assertArrayEquals(new float[] {0.5f, 2f, 3.5f}, Pool.adaptiveAvgPool2d(y, p(1, 3)).toFloatArray(), 1e-6f);
    }

    @Test
    void largeFloat32MaxPoolSplitAcrossCoresMatchesFloat64Path() {
        Tensor.manualSeed(21);
        Tensor x = Tensor.randn(16, 8, 28, 28).requiresGrad_();
        Tensor y = Pool.maxPool2d(x, p(3, 3), p(2, 2), p(1, 1), null);
        Tensor x64 = x.detach().toDouble().requiresGrad_();
        Tensor y64 = Pool.maxPool2d(x64, p(3, 3), p(2, 2), p(1, 1), null);
        assertArrayEquals(y64.toFloatArray(), y.toFloatArray());
        Tensor g = Tensor.randn(y.shape());
        y.backward(g);
        y64.backward(g.toDouble());
        assertArrayEquals(x64.grad().toFloatArray(), x.grad().toFloatArray(), 1e-6f);
    }

    /** The branch-free 2x2 float32 path picks what the float64 loop picks: first maximum on ties, first NaN. */
    @Test
    void float32TwoByTwoMaxPoolMatchesFloat64PathOnTiesAndNaN() {
        Generator gen = new Generator(22);
        int n = 4 * 3 * 10 * 12;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = i % 17 == 0 ? Float.NaN : (float) Math.floor(gen.nextDouble() * 4);
        Tensor x = Tensor.tensor(v).reshape(4, 3, 10, 12).requiresGrad_();
        Tensor x64 = x.detach().toDouble().requiresGrad_();
        for (int[] stride : new int[][] {p(2, 2), p(1, 2), p(2, 1)}) {
            Tensor y = Pool.maxPool2d(x, p(2, 2), stride, p(0, 0), p(1, 1));
            Tensor y64 = Pool.maxPool2d(x64, p(2, 2), stride, p(0, 0), p(1, 1));
            assertArrayEquals(y64.toFloatArray(), y.toFloatArray());
            Tensor g = Tensor.randn(y.shape());
            y.backward(g);
            y64.backward(g.toDouble());
            assertArrayEquals(x64.grad().toFloatArray(), x.grad().toFloatArray(), 1e-6f);
            x.setGrad(null);
            x64.setGrad(null);
        }
    }

    @Test
    void gradFnNames() {
        Tensor x = Tensor.randn(1, 1, 4, 4).requiresGrad_();
        assertEquals("MaxPool2DWithIndicesBackward0", Pool.maxPool2d(x, p(2, 2), null, null, null).gradFn().name());
        assertEquals("AvgPool2DBackward0", Pool.avgPool2d(x, p(2, 2), null, null).gradFn().name());
        assertEquals("AdaptiveAvgPool2DBackward0", Pool.adaptiveAvgPool2d(x, p(2, 2)).gradFn().name());
    }

    @Test
    void misuseGetsPyTorchErrors() {
        Tensor x = Tensor.randn(1, 2, 5, 5);
        var e = assertThrows(IllegalArgumentException.class, () -> Pool.maxPool2d(x, p(2, 2), null, p(2, 2), null));
        assertEquals("pad should be at most half of effective kernel size, but got pad=2, kernel_size=2 and dilation=1",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Pool.maxPool2d(x, p(7, 7), null, null, null));
        assertEquals("Given input size: (2x5x5). Calculated output size: (2x0x0). Output size is too small", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Pool.adaptiveAvgPool2d(x, new int[] {2}));
        assertEquals("adaptive_avg_pool2d: output_size must be 2", e.getMessage());
    }
}
