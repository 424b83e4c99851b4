package dev.nnlab.tensor;

import dev.nnlab.autograd.GradCheck;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConvTest {
    private static Tensor dbl(int... shape) {
        return Tensor.randn(DType.FLOAT64, shape).detach().requiresGrad_();
    }

    private static int[] p(int a, int b) { return new int[] {a, b}; }

    /** Direct 2-D convolution from the definition, as the reference. */
    private static double[] direct(Tensor x, Tensor w, Tensor b, int[] s, int[] pd, int[] d, int groups) {
        int n = x.size(0), c = x.size(1), h = x.size(2), wd = x.size(3);
        int o = w.size(0), cg = w.size(1), kh = w.size(2), kw = w.size(3), og = o / groups;
        int oh = (h + 2 * pd[0] - d[0] * (kh - 1) - 1) / s[0] + 1, ow = (wd + 2 * pd[1] - d[1] * (kw - 1) - 1) / s[1] + 1;
        double[] out = new double[n * o * oh * ow];
        for (int b0 = 0; b0 < n; b0++) for (int oc = 0; oc < o; oc++) for (int y = 0; y < oh; y++) for (int z = 0; z < ow; z++) {
            double acc = b == null ? 0 : b.get(oc);
            int g = oc / og;
            for (int ic = 0; ic < cg; ic++) for (int i = 0; i < kh; i++) for (int j = 0; j < kw; j++) {
                int iy = y * s[0] - pd[0] + i * d[0], ix = z * s[1] - pd[1] + j * d[1];
                if (iy >= 0 && iy < h && ix >= 0 && ix < wd) acc += x.get(b0, g * cg + ic, iy, ix) * w.get(oc, ic, i, j);
            }
            out[((b0 * o + oc) * oh + y) * ow + z] = acc;
        }
        assertEquals(c, cg * groups);
        return out;
    }

    @Test
    void forwardMatchesDefinition() {
        Tensor.manualSeed(10);
        int[][][] cases = {{p(1, 1), p(0, 0), p(1, 1)}, {p(2, 1), p(1, 2), p(1, 1)}, {p(1, 2), p(2, 1), p(2, 3)},
            {p(3, 3), p(2, 3), p(2, 2)}, {p(1, 4), p(3, 4), p(1, 1)}};
        for (int[][] cs : cases) {
            for (int groups : new int[] {1, 2}) {
                Tensor x = Tensor.randn(DType.FLOAT64, 2, 4, 7, 8), w = Tensor.randn(DType.FLOAT64, 6, 4 / groups, 3, 2);
                Tensor b = Tensor.randn(DType.FLOAT64, 6);
                double[] expected = direct(x, w, b, cs[0], cs[1], cs[2], groups);
                assertArrayEquals(expected, Conv.conv2d(x, w, b, cs[0], cs[1], cs[2], groups).toDoubleArray(), 1e-12);
                float[] f = Conv.conv2d(x.toFloat(), w.toFloat(), b.toFloat(), cs[0], cs[1], cs[2], groups).toFloatArray();
                for (int i = 0; i < f.length; i++) assertEquals(expected[i], f[i], 1e-4);
            }
        }
    }

    @Test
    void largeBatchesSplitAcrossCoresGiveTheSameResults() {
        Tensor.manualSeed(15);
        // Big enough to split the samples across the cores (2 + 1 on two cores), each with its own partial sums.
        Tensor x = Tensor.randn(DType.FLOAT64, 3, 2, 300, 300).detach().requiresGrad_();
        Tensor w = Tensor.randn(DType.FLOAT64, 2, 2, 3, 3).detach().requiresGrad_();
        Tensor y = Conv.conv2d(x, w, null, p(1, 1), p(0, 0), p(1, 1), 1);
        assertArrayEquals(direct(x.detach(), w.detach(), null, p(1, 1), p(0, 0), p(1, 1), 1), y.toDoubleArray(), 1e-10);
        Tensor g = Tensor.randn(DType.FLOAT64, y.shape());
        y.backward(g);
        double[] sumW = new double[w.numel()];
        for (int n = 0; n < 3; n++) {
            Tensor wn = w.detach().requiresGrad_();
            Tensor xn = x.detach().narrow(0, n, 1).contiguous().requiresGrad_();
            Conv.conv2d(xn, wn, null, p(1, 1), p(0, 0), p(1, 1), 1).backward(g.narrow(0, n, 1).contiguous());
            double[] gw = wn.grad().toDoubleArray();
            for (int i = 0; i < gw.length; i++) sumW[i] += gw[i];
            assertArrayEquals(xn.grad().toDoubleArray(), x.grad().narrow(0, n, 1).contiguous().toDoubleArray(), 1e-10);
        }
        assertArrayEquals(sumW, w.grad().toDoubleArray(), 1e-8);
    }

    /** The float32 path (per-sample gemms, samples split across cores, 1x1 without im2col) against float64. */
    @Test
    void float32MatchesDefinitionAndFloat64Gradients() {
        Tensor.manualSeed(16);
        // {kh, kw, padding, size, dilation}: "same" 3x3 (one copy per patch row), 1x1, valid 3x3, dilated "same" 3x3.
        int[][] cases = {{3, 3, 1, 12, 1}, {1, 1, 0, 24, 1}, {3, 3, 0, 12, 1}, {3, 3, 2, 12, 2}};
        for (int[] cs : cases) {
            Tensor x = Tensor.randn(6, 3, cs[3], cs[3]).requiresGrad_();
            Tensor w = Tensor.randn(8, 3, cs[0], cs[1]).requiresGrad_(), b = Tensor.randn(8).requiresGrad_();
            Tensor y = Conv.conv2d(x, w, b, p(1, 1), p(cs[2], cs[2]), p(cs[4], cs[4]), 1);
            double[] expected = direct(x.detach().toDouble(), w.detach().toDouble(), b.detach().toDouble(), p(1, 1),
                    p(cs[2], cs[2]), p(cs[4], cs[4]), 1);
            float[] got = y.toFloatArray();
            for (int i = 0; i < got.length; i++) assertEquals(expected[i], got[i], 1e-4 * (1 + Math.abs(expected[i])));
            Tensor x64 = x.detach().toDouble().requiresGrad_(), w64 = w.detach().toDouble().requiresGrad_();
            Tensor b64 = b.detach().toDouble().requiresGrad_();
            Tensor g = Tensor.randn(y.shape());
            y.backward(g);
            Conv.conv2d(x64, w64, b64, p(1, 1), p(cs[2], cs[2]), p(cs[4], cs[4]), 1).backward(g.toDouble());
            assertArrayEquals(x64.grad().toFloatArray(), x.grad().toFloatArray(), 1e-3f);
            assertArrayEquals(w64.grad().toFloatArray(), w.grad().toFloatArray(), 2e-3f);
            assertArrayEquals(b64.grad().toFloatArray(), b.grad().toFloatArray(), 1e-3f);
        }
    }

    @Test
    void gradcheckConv2dVariants() {
        Tensor.manualSeed(11);
        assertTrue(GradCheck.gradcheck(in -> Conv.conv2d(in[0], in[1], in[2], p(1, 1), p(0, 0), p(1, 1), 1),
                dbl(2, 2, 5, 5), dbl(3, 2, 3, 3), dbl(3)));
        assertTrue(GradCheck.gradcheck(in -> Conv.conv2d(in[0], in[1], in[2], p(2, 1), p(1, 2), p(1, 1), 1),
                dbl(1, 2, 6, 5), dbl(2, 2, 3, 2), dbl(2)));
        assertTrue(GradCheck.gradcheck(in -> Conv.conv2d(in[0], in[1], null, p(1, 1), p(1, 1), p(2, 2), 1),
                dbl(1, 1, 6, 6), dbl(2, 1, 3, 3)));
        assertTrue(GradCheck.gradcheck(in -> Conv.conv2d(in[0], in[1], in[2], p(1, 2), p(0, 1), p(1, 1), 2),
                dbl(2, 4, 4, 5), dbl(4, 2, 2, 2), dbl(4)));
        assertTrue(GradCheck.gradcheck(in -> Conv.conv2d(in[0], in[1], null, p(3, 3), p(2, 3), p(2, 2), 1),
                dbl(1, 1, 7, 8), dbl(2, 1, 2, 2)));
    }

    @Test
    void gradcheckUnbatchedAndNonContiguous() {
        Tensor.manualSeed(12);
        assertTrue(GradCheck.gradcheck(in -> Conv.conv2d(in[0], in[1], null, p(1, 1), p(1, 1), p(1, 1), 1),
                dbl(2, 4, 4), dbl(2, 2, 3, 3)));
        Tensor x = dbl(1, 2, 5, 4);
        assertTrue(GradCheck.gradcheck(in -> Conv.conv2d(in[0].transpose(2, 3), in[1], null, p(1, 1), p(0, 0), p(1, 1), 1),
                x, dbl(3, 2, 2, 2)));
    }

    @Test
    void gradcheckConv1d() {
        Tensor.manualSeed(13);
        assertTrue(GradCheck.gradcheck(in -> Conv.conv1d(in[0], in[1], in[2], 2, 1, 2, 2),
                dbl(2, 4, 9), dbl(4, 2, 3), dbl(4)));
        assertTrue(GradCheck.gradcheck(in -> Conv.conv1d(in[0], in[1], null, 1, 0, 1, 1), dbl(3, 7), dbl(2, 3, 2)));
    }

    @Test
    void conv1dEqualsConv2dOfHeightOne() {
        Tensor.manualSeed(14);
        Tensor x = Tensor.randn(DType.FLOAT64, 2, 3, 10), w = Tensor.randn(DType.FLOAT64, 4, 3, 3);
        Tensor y1 = Conv.conv1d(x, w, null, 2, 1, 2, 1);
        Tensor y2 = Conv.conv2d(x.unsqueeze(2), w.unsqueeze(2), null, p(1, 2), p(0, 1), p(1, 2), 1);
        assertArrayEquals(y2.toDoubleArray(), y1.toDoubleArray(), 1e-12);
        assertArrayEquals(new int[] {2, 4, 4}, y1.shape());
    }

    @Test
    void gradFnIsConvolutionBackward() {
        Tensor x = Tensor.randn(1, 1, 3, 3).requiresGrad_();
        assertEquals("ConvolutionBackward0", Conv.conv2d(x, Tensor.randn(1, 1, 2, 2), null, p(1, 1), p(0, 0), p(1, 1), 1)
                .gradFn().name());
    }

    @Test
    void misuseGetsPyTorchErrors() {
        Tensor w = Tensor.randn(8, 3, 3, 3);
        var e = assertThrows(IllegalArgumentException.class,
                () -> Conv.conv2d(Tensor.randn(2, 4, 28, 28), w, null, p(1, 1), p(0, 0), p(1, 1), 1));
        assertEquals("Given groups=1, weight of size [8, 3, 3, 3], expected input[2, 4, 28, 28] to have 3 channels, "
                + "but got 4 channels instead", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Conv.conv2d(Tensor.randn(2, 3, 2, 2), w, null, p(1, 1), p(0, 0), p(1, 1), 1));
        assertEquals("Calculated padded input size per channel: (2 x 2). Kernel size: (3 x 3). Kernel size can't be "
                + "greater than actual input size", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Conv.conv2d(Tensor.randn(2, 3), w, null, p(1, 1), p(0, 0), p(1, 1), 1));
        assertEquals("Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: [2, 3]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Conv.conv2d(Tensor.randn(2, 4, 5, 5), Tensor.randn(8, 2, 3, 3), null, p(1, 1), p(0, 0), p(1, 1), 3));
        assertEquals("Given groups=3, expected weight to be divisible by 3 at dimension 0, but got weight of size "
                + "[[8, 2, 3, 3]] instead", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Conv.conv2d(Tensor.randn(1, 3, 5, 5), Tensor.randn(3, 3, 3, 3), Tensor.randn(4), p(1, 1), p(0, 0), p(1, 1), 1));
        assertEquals("Given weight of size [3, 3, 3, 3], expected bias to be 1-dimensional with 3 elements, but got bias "
                + "of size [4] instead", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Conv.conv1d(Tensor.randn(1, 3, 5), Tensor.randn(3, 4, 3), null, 1, 0, 1, 1));
        assertEquals("Given groups=1, weight of size [3, 4, 3], expected input[1, 3, 5] to have 4 channels, but got 3 "
                + "channels instead", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Conv.conv2d(Tensor.randn(1, 3, 5, 5), Tensor.randn(3, 3, 3, 3), null, p(0, 1), p(0, 0), p(1, 1), 1));
        assertEquals("non-positive stride is not supported", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Conv.conv2d(Tensor.randn(DType.FLOAT64, 1, 1, 3, 3),
                Tensor.randn(1, 1, 2, 2), null, p(1, 1), p(0, 0), p(1, 1), 1));
        assertEquals("expected scalar type Double but found Float", e.getMessage());
    }
}
