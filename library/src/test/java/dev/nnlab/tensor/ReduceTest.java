package dev.nnlab.tensor;

import org.junit.jupiter.api.Test;

import static dev.nnlab.tensor.Grad.check;
import static dev.nnlab.tensor.Grad.randn;
import static dev.nnlab.tensor.Grad.transposed;
import static dev.nnlab.tensor.Grad.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reductions: gradchecks (all elements, dims, keepdim, non-contiguous), values from mathematics, errors. */
class ReduceTest {
    @Test
    void sumAndMeanGrad() {
        Tensor x = randn(2, 3, 4);
        check(in -> in[0].sum(), x);
        check(in -> in[0].sum(1), x);
        check(in -> in[0].sum(new int[] {0, 2}, true), x);
        check(in -> in[0].mean(), x);
        check(in -> in[0].mean(-1, true), x);
        check(in -> in[0].mean(new int[] {0, 1}, false), x);
        check(in -> in[0].sum(0), transposed(3, 4));
        check(in -> in[0].sumTo(1, 4), x);
    }

    @Test
    void varStdGrad() {
        Tensor x = randn(3, 4);
        check(in -> in[0].var(), x);
        check(in -> in[0].var(false), x);
        check(in -> in[0].var(1, true, false), x);
        check(in -> in[0].var(0, false, true), x);
        check(in -> in[0].std(), x);
        check(in -> in[0].std(1, true, true), x);
        check(in -> in[0].std(new int[] {0, 1}, false, false), x);
        check(in -> in[0].var(0, true, false), transposed(3, 4));
        check(in -> in[0].std(1, false, false), transposed(3, 4));
        assertEquals("VarBackward0", x.var().gradFn().name());
        assertEquals("StdBackward0", x.std().gradFn().name());
    }

    @Test
    void varStdValues() {
        Tensor x = Tensor.tensor(new double[][] {{1, 2, 3, 4}, {2, 2, 2, 2}});
        assertArrayEquals(new float[] {5f / 3, 0}, x.var(1, true, false).toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {1.25f, 0}, x.var(1, false, false).toFloatArray(), 1e-6f);
        assertArrayEquals(new int[] {2, 1}, x.var(1, true, true).shape());
        assertEquals(Math.sqrt(5.5 / 7), x.std().item(), 1e-6);
        assertTrue(Double.isNaN(Tensor.tensor(3f).var().item()));
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.arange(3).var());
        assertEquals("std and var only support floating point and complex dtypes", e.getMessage());
    }

    @Test
    void prodGradIncludingZeros() {
        Tensor x = uniform(0.5, 1.5, 3, 4);
        check(in -> in[0].prod(), x);
        check(in -> in[0].prod(1, false), x);
        check(in -> in[0].prod(0, true), transposed(3, 4));
        Tensor z = Tensor.tensor(DType.FLOAT64, 2, 0, 3, 4).requiresGrad_();
        z.prod().backward();
        assertArrayEquals(new double[] {0, 24, 0, 0}, z.grad().toDoubleArray());
        Tensor zz = Tensor.tensor(DType.FLOAT64, 0, 0, 3).requiresGrad_();
        check(in -> in[0].prod(), zz);
        assertEquals(24.0, Tensor.arange(1, 5).prod().item());
        assertEquals(DType.INT64, Tensor.arange(1, 5).prod().dtype());
        assertEquals("ProdBackward0", x.prod().gradFn().name());
        assertEquals("ProdBackward1", x.prod(0, false).gradFn().name());
    }

    @Test
    void maxMinAll() {
        Tensor x = randn(3, 4);
        check(in -> in[0].max(), x);
        check(in -> in[0].min(), x);
        Tensor ties = Tensor.tensor(DType.FLOAT64, 1, 5, 5, 2).requiresGrad_();
        ties.max().backward();
        assertArrayEquals(new double[] {0, 0.5, 0.5, 0}, ties.grad().toDoubleArray());
        assertEquals("MaxBackward1", x.max().gradFn().name());
        assertTrue(Double.isNaN(Tensor.tensor(1f, Float.NaN, 3f).max().item()));
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(0).max());
        assertEquals("max(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim "
                + "with the 'dim' argument.", e.getMessage());
    }

    @Test
    void maxMinDimWithIndices() {
        Tensor x = Tensor.tensor(new double[][] {{1, 7, 3}, {9, 2, 9}});
        Tensor.ValuesIndices m = x.max(1, false);
        assertArrayEquals(new float[] {7, 9}, m.values().toFloatArray());
        assertArrayEquals(new long[] {1, 0}, m.indices().toLongArray());
        Tensor.ValuesIndices n = x.min(0, true);
        assertArrayEquals(new int[] {1, 3}, n.values().shape());
        assertArrayEquals(new long[] {0, 1, 0}, n.indices().toLongArray());
        assertEquals(DType.INT64, n.indices().dtype());
        assertArrayEquals(new long[] {1, 0}, x.argmax(1, false).toLongArray());
        assertArrayEquals(new long[] {1, 0, 1}, x.argmax(0, false).toLongArray());
        assertArrayEquals(new int[] {2, 1}, x.argmin(1, true).shape());
        assertEquals(null, randn(2, 3).argmax(1, false).gradFn());
        assertEquals(0, x.argmin().item());
        assertEquals(3, x.neg().argmin().item());
        assertEquals(3, x.argmax().item());
        assertEquals(1, x.t().argmax().item());
        Tensor g = randn(3, 4);
        check(in -> in[0].max(1, false).values(), g);
        check(in -> in[0].min(0, true).values(), g);
        check(in -> in[0].max(0, false).values(), transposed(3, 4));
    }

    @Test
    void maxDimRoutesGradientToTheArgmax() {
        Tensor x = Tensor.tensor(DType.FLOAT64, 1, 5, 5, 2).reshape(2, 2).detach().requiresGrad_();
        Tensor v = x.max(1, false).values();
        assertEquals("MaxBackward0", v.gradFn().name());
        v.backward(Tensor.tensor(DType.FLOAT64, 10, 20));
        assertArrayEquals(new double[] {0, 10, 20, 0}, x.grad().toDoubleArray());
        var e = assertThrows(IndexOutOfBoundsException.class, () -> Tensor.zeros(2, 0).max(1, false));
        assertEquals("max(): Expected reduction dim 1 to have non-zero size.", e.getMessage());
        e = assertThrows(IndexOutOfBoundsException.class, () -> Tensor.zeros(3, 2).max(5, false));
        assertEquals("Dimension out of range (expected to be in range of [-2, 1], but got 5)", e.getMessage());
    }

    @Test
    void normValuesAndGrad() {
        Tensor v = Tensor.tensor(3f, -4f);
        assertEquals(5, v.norm().item(), 1e-6);
        assertEquals(7, v.norm(1).item(), 1e-6);
        assertEquals(4, v.norm(Double.POSITIVE_INFINITY).item(), 1e-6);
        assertEquals(Math.cbrt(91), v.norm(3).item(), 1e-5);
        assertEquals(2, v.norm(0).item(), 1e-6);
        Tensor x = PointwiseGradTest.awayFrom(randn(3, 4), 0, 0.05);
        for (double p : new double[] {1, 2, 3, 1.5, 0.5, Double.POSITIVE_INFINITY}) {
            check(in -> in[0].norm(p), x);
            check(in -> in[0].norm(p, 1, false), x);
            check(in -> in[0].norm(p, 0, true), x);
        }
        check(in -> in[0].norm(2, 0, false), transposed(3, 4));
        assertEquals("LinalgVectorNormBackward0", x.norm().gradFn().name());
        Tensor zero = Tensor.zeros(DType.FLOAT64, 3).requiresGrad_();
        zero.norm().backward();
        assertArrayEquals(new double[] {0, 0, 0}, zero.grad().toDoubleArray());
    }

    @Test
    void logsumexpIsStable() {
        Tensor x = Tensor.tensor(new double[][] {{1000, 1000}, {-1000, -1000}});
        assertArrayEquals(new float[] {1000 + (float) Math.log(2), -1000 + (float) Math.log(2)},
                x.logsumexp(1, false).toFloatArray(), 1e-3f);
        Tensor inf = Tensor.tensor(Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY);
        assertEquals(Double.NEGATIVE_INFINITY, inf.logsumexp(0, false).item());
        Tensor g = randn(3, 4);
        check(in -> in[0].logsumexp(1, false), g);
        check(in -> in[0].logsumexp(0, true), g);
        check(in -> in[0].logsumexp(-1, false), transposed(3, 4));
        assertEquals("LogsumexpBackward0", g.logsumexp(0, false).gradFn().name());
    }

    @Test
    void resultDtypesFollowPyTorch() {
        Tensor i = Tensor.tensor(3L, -7L, 5L);
        assertEquals(DType.INT64, i.max().dtype());
        assertEquals(-7, i.min().item());
        assertEquals(DType.INT64, i.max(0, false).values().dtype());
        assertEquals(DType.INT64, i.sum().dtype());
        assertEquals(-105, i.prod().item());
        assertEquals(1, i.argmin().item());
        Tensor d = Tensor.tensor(DType.FLOAT64, 1, 2, 3);
        assertEquals(DType.FLOAT64, d.var().dtype());
        assertEquals(DType.FLOAT64, d.norm().dtype());
        assertEquals(DType.FLOAT64, d.logsumexp(0, false).dtype());
        assertEquals(DType.FLOAT32, i.logsumexp(0, false).dtype());
        assertEquals(DType.BOOL, Tensor.tensor(true, false).max().dtype());
        var e = assertThrows(IllegalArgumentException.class, () -> i.norm());
        assertEquals("linalg.vector_norm: Expected a floating point or complex tensor as input. Got Long", e.getMessage());
    }

    @Test
    void bigInputsSplitAcrossCoresGiveTheSameResult() {
        Tensor x = Tensor.randn(new Generator(5), 1000, 300);
        float[] v = x.toFloatArray();
        Tensor.ValuesIndices m = x.max(1, false);
        float[] values = m.values().toFloatArray();
        long[] idx = m.indices().toLongArray();
        for (int i = 0; i < 1000; i++) {
            int best = 0;
            for (int j = 1; j < 300; j++) if (v[i * 300 + j] > v[i * 300 + best]) best = j;
            assertEquals(best, idx[i]);
            assertEquals(v[i * 300 + best], values[i]);
        }
        boolean[] gt = x.gt(Tensor.tensor(0.5f)).toBooleanArray();
        for (int i = 0; i < v.length; i++) assertEquals(v[i] > 0.5f, gt[i]);
    }

    @Test
    void anyAll() {
        assertTrue(Tensor.tensor(0f, 2f).any().item() != 0);
        assertFalse(Tensor.tensor(0f, 2f).all().item() != 0);
        assertTrue(Tensor.tensor(true, true).all().item() != 0);
        assertFalse(Tensor.zeros(DType.INT64, 3).any().item() != 0);
        assertTrue(Tensor.zeros(0).all().item() != 0);
        assertEquals(DType.BOOL, Tensor.ones(2).any().dtype());
    }
}
