package dev.nnlab.tensor;

import dev.nnlab.autograd.GradCheck;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SoftmaxTest {
    private static Tensor dbl(int... shape) {
        return Tensor.randn(DType.FLOAT64, shape).detach().requiresGrad_();
    }

    @Test
    void gradcheckOverEveryDim() {
        Tensor.manualSeed(3);
        for (int d : new int[] {0, 1, 2, -1}) {
            assertTrue(GradCheck.gradcheck(in -> SoftmaxOps.softmax(in[0], d), dbl(2, 3, 4)));
            assertTrue(GradCheck.gradcheck(in -> SoftmaxOps.logSoftmax(in[0], d), dbl(2, 3, 4)));
        }
        Tensor x = dbl(4, 3);
        assertTrue(GradCheck.gradcheck(in -> SoftmaxOps.softmax(in[0].t(), 1), x));
    }

    @Test
    void stableForLargeLogits() {
        Tensor x = Tensor.tensor(1000f, 1001f, 1002f);
        float[] p = SoftmaxOps.softmax(x, 0).toFloatArray();
        double z = Math.exp(-2) + Math.exp(-1) + 1;
        assertArrayEquals(new float[] {(float) (Math.exp(-2) / z), (float) (Math.exp(-1) / z), (float) (1 / z)}, p, 1e-6f);
        float[] lp = SoftmaxOps.logSoftmax(x, 0).toFloatArray();
        assertEquals(-Math.log(z), lp[2], 1e-5);
        for (float v : lp) assertFalse(Float.isNaN(v));
    }

    @Test
    void rowsSumToOne() {
        Tensor.manualSeed(4);
        Tensor p = SoftmaxOps.softmax(Tensor.randn(5, 7), 1);
        float[] a = p.toFloatArray();
        for (int r = 0; r < 5; r++) {
            double s = 0;
            for (int j = 0; j < 7; j++) s += a[r * 7 + j];
            assertEquals(1, s, 1e-6);
        }
    }

    @Test
    void badDimIsRejected() {
        var e = assertThrows(IndexOutOfBoundsException.class, () -> SoftmaxOps.softmax(Tensor.randn(3, 4), 2));
        assertEquals("Dimension out of range (expected to be in range of [-2, 1], but got 2)", e.getMessage());
    }

    @Test
    void gumbelHardIsOneHotWithSoftGradient() {
        Generator g = new Generator(5);
        Tensor logits = Tensor.randn(DType.FLOAT64, 6, 4).detach().requiresGrad_();
        Tensor y = SoftmaxOps.gumbelSoftmax(logits, 0.5, true, 1, g);
        double[] v = y.toDoubleArray();
        for (int r = 0; r < 6; r++) {
            int ones = 0;
            double sum = 0;
            for (int j = 0; j < 4; j++) {
                double e = v[r * 4 + j];
                assertTrue(Math.abs(e) < 1e-12 || Math.abs(e - 1) < 1e-12, "entry " + e);
                if (Math.abs(e - 1) < 1e-12) ones++;
                sum += e;
            }
            assertEquals(1, ones);
            assertEquals(1, sum, 1e-12);
        }
        // Straight-through: the gradient is the soft sample's; replay the same noise to get the soft sample.
        Tensor w = Tensor.randn(DType.FLOAT64, 6, 4);
        y.mul(w).sum().backward();
        Tensor hardGrad = logits.grad();
        logits.setGrad(null);
        SoftmaxOps.gumbelSoftmax(logits, 0.5, false, 1, new Generator(5)).mul(w).sum().backward();
        assertArrayEquals(logits.grad().toDoubleArray(), hardGrad.toDoubleArray(), 1e-12);
    }

    @Test
    void gumbelSoftFollowsTheSoftmaxDistribution() {
        Generator g = new Generator(6);
        Tensor logits = Tensor.tensor(DType.FLOAT64, Math.log(0.6), Math.log(0.3), Math.log(0.1)).reshape(1, 3);
        int[] counts = new int[3];
        int trials = 20000;
        for (int i = 0; i < trials; i++) {
            double[] y = SoftmaxOps.gumbelSoftmax(logits, 1, true, -1, g).toDoubleArray();
            for (int j = 0; j < 3; j++) if (y[j] == 1) counts[j]++;
        }
        // Gumbel-max sampling picks class j with probability softmax(logits)_j; 4 sigma bands.
        double[] p = {0.6, 0.3, 0.1};
        for (int j = 0; j < 3; j++) {
            double sd = Math.sqrt(p[j] * (1 - p[j]) / trials);
            assertEquals(p[j], counts[j] / (double) trials, 4 * sd);
        }
    }

    @Test
    void gumbelSoftIsADistributionAndTemperatureSharpens() {
        Generator g = new Generator(7);
        Tensor logits = Tensor.randn(8, 5);
        double[] y = SoftmaxOps.gumbelSoftmax(logits, 0.01, false, 1, g).toDoubleArray();
        for (int r = 0; r < 8; r++) {
            double s = 0, max = 0;
            for (int j = 0; j < 5; j++) { s += y[r * 5 + j]; max = Math.max(max, y[r * 5 + j]); }
            assertEquals(1, s, 1e-5);
            assertTrue(max > 0.99, "tau 0.01 is nearly one-hot");
        }
    }
}
