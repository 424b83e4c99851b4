package dev.nnlab.hooks;

import dev.nnlab.tensor.DType;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Statistics against float64 loops over the same numbers, written here and sharing nothing with {@link TensorStats}. */
class TensorStatsTest {
    /** Mean, unbiased std, min, max, L2 norm, zero fraction, NaN and Inf counts of {@code x}, in plain float64. */
    static double[] reference(float[] x) {
        int n = x.length, nan = 0, inf = 0, zeros = 0;
        double sum = 0, sq = 0, min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (float v : x) {
            sum += v;
            sq += (double) v * v;
            min = Math.min(min, v);
            max = Math.max(max, v);
            if (v == 0) zeros++;
            if (Float.isNaN(v)) nan++;
            if (Float.isInfinite(v)) inf++;
        }
        double mean = sum / n, ss = 0;
        for (float v : x) ss += (v - mean) * (v - mean);
        return new double[] {mean, Math.sqrt(ss / (n - 1)), min, max, Math.sqrt(sq), (double) zeros / n, nan, inf};
    }

    static void assertStats(double[] want, TensorStats got, double rtol) {
        double[] have = {got.mean(), got.std(), got.min(), got.max(), got.norm(), got.zeroFraction(), got.nans(),
                got.infs()};
        String[] names = {"mean", "std", "min", "max", "norm", "zero_frac", "nan", "inf"};
        for (int i = 0; i < want.length; i++) {
            if (Double.isNaN(want[i])) {
                assertTrue(Double.isNaN(have[i]), names[i] + ": want NaN, got " + have[i]);
            } else {
                double tol = rtol * Math.max(1, Math.abs(want[i]));
                assertEquals(want[i], have[i], tol, names[i]);
            }
        }
    }

    /** Gaussian numbers with a mean offset, a fraction set to exact zeros (some as -0.0), like a ReLU output. */
    static float[] data(int n, long seed, double offset, double zeroFraction) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (offset + r.nextGaussian());
            if (r.nextDouble() < zeroFraction) x[i] = r.nextBoolean() ? 0f : -0f;
        }
        return x;
    }

    @Test
    void sizesBelowAtAndAboveTheLaneWidthMatchFloat64() {
        int l = TensorStats.BLOCK;
        for (int n : new int[] {1 + 1, 7, l - 1, l, l + 3, 12800, 16 * l, 16 * l + 5, 40000}) {
            float[] x = data(n, n, 0.3, 0.4);
            TensorStats s = TensorStats.of(Tensor.tensor(x));
            assertStats(reference(x), s, 1e-5);
            assertEquals(n, s.numel());
            assertEquals(1, s.calls());
            assertArrayEquals(new int[] {n}, s.shape());
        }
    }

    @Test
    void largeMeanSmallSpreadKeepsTheStd() {
        // sigmoid-like output: mean near 1000, std 0.01; a naive sum of squares in float loses the std entirely
        Random r = new Random(5);
        float[] x = new float[12800];
        for (int i = 0; i < x.length; i++) x[i] = (float) (1000 + 0.01 * r.nextGaussian());
        double[] want = reference(x);
        TensorStats s = TensorStats.of(Tensor.tensor(x));
        assertEquals(want[1], s.std(), 1e-3 * want[1]);
        assertEquals(want[0], s.mean(), 1e-6 * want[0]);
    }

    @Test
    void zerosCountPlusAndMinusZeroAndNotSubnormals() {
        float[] x = new float[3000];
        for (int i = 0; i < x.length; i++) x[i] = i % 3 == 0 ? 0f : i % 3 == 1 ? -0f : Float.MIN_VALUE;
        TensorStats s = TensorStats.of(Tensor.tensor(x));
        assertEquals(2000, s.zeros());
        assertEquals(2.0 / 3, s.zeroFraction(), 1e-12);
    }

    @Test
    void nanAndInfAreCountedAndPropagateLikePytorch() {
        for (int n : new int[] {10, 5000}) {
            float[] x = data(n, 3, 0, 0.1);
            x[1] = Float.NaN;
            x[n - 1] = Float.POSITIVE_INFINITY;
            x[n / 2] = Float.NaN;
            TensorStats s = TensorStats.of(Tensor.tensor(x));
            assertEquals(2, s.nans());
            assertEquals(1, s.infs());
            assertTrue(Double.isNaN(s.mean()) && Double.isNaN(s.std()) && Double.isNaN(s.min()) && Double.isNaN(s.max()));

            float[] y = data(n, 4, 0, 0.1);
            y[0] = Float.NEGATIVE_INFINITY;
            TensorStats t = TensorStats.of(Tensor.tensor(y));
            assertEquals(0, t.nans());
            assertEquals(1, t.infs());
            assertEquals(Double.NEGATIVE_INFINITY, t.min());
            assertEquals(Double.NEGATIVE_INFINITY, t.mean());
            assertEquals(reference(y)[3], t.max(), 1e-6);
            assertEquals(reference(y)[5], t.zeroFraction(), 1e-12);
        }
    }

    @Test
    void runningStatsOverCallsEqualStatsOfAllElementsAndNormIsThePerCallMean() {
        float[] a = data(3000, 1, 2.0, 0.5), b = data(12800, 2, -1.0, 0.0), c = data(5, 3, 0.0, 0.2);
        float[] all = new float[a.length + b.length + c.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        System.arraycopy(c, 0, all, a.length + b.length, c.length);
        TensorStats s = new TensorStats();
        s.add(Tensor.tensor(a));
        s.add(null);
        s.add(Tensor.tensor(b).reshape(64, 200));
        s.add(Tensor.tensor(c));
        double[] want = reference(all);
        want[4] = (reference(a)[4] + reference(b)[4] + reference(c)[4]) / 3;
        assertStats(want, s, 1e-5);
        assertEquals(4, s.calls());
        assertEquals(all.length, s.numel());
        assertEquals("[5]", s.shapeString());

        TensorStats m = TensorStats.of(Tensor.tensor(a));
        m.merge(TensorStats.of(Tensor.tensor(b)));
        m.merge(TensorStats.of(Tensor.tensor(c)));
        assertStats(want, m, 1e-5);
    }

    @Test
    void nonContiguousAndFloat64TensorsReadTheirLogicalElements() {
        float[] x = data(64 * 200, 9, 0.5, 0.3);
        Tensor t = Tensor.tensor(x).reshape(64, 200).t();
        TensorStats s = TensorStats.of(t);
        assertStats(reference(x), s, 1e-5);
        assertEquals("[200, 64]", s.shapeString());

        TensorStats d = TensorStats.of(Tensor.tensor(x).to(DType.FLOAT64));
        assertStats(reference(x), d, 1e-9);
    }

    @Test
    void noTensorGivesNanStatisticsAndNoneShape() {
        TensorStats s = new TensorStats();
        s.add(null);
        assertEquals(1, s.calls());
        assertEquals("None", s.shapeString());
        assertTrue(Double.isNaN(s.mean()) && Double.isNaN(s.norm()) && Double.isNaN(s.zeroFraction()));
    }
}
