package dev.nnlab.tensor;

import org.junit.jupiter.api.Test;

import static dev.nnlab.tensor.Grad.check;
import static dev.nnlab.tensor.Grad.randn;
import static dev.nnlab.tensor.Grad.transposed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** float64 gradchecks of matmul in every rank case, mm, bmm and linear, plus their shape errors. */
class LinalgGradTest {
    @Test
    void matmulRankCases() {
        int[][][] cases = {
            {{4}, {4}}, {{3, 4}, {4}}, {{4}, {4, 2}}, {{3, 4}, {4, 2}}, {{2, 3, 4}, {4, 5}}, {{3, 4}, {2, 4, 5}},
            {{2, 3, 4}, {2, 4, 5}}, {{2, 1, 3, 4}, {3, 4, 2}}, {{4}, {2, 4, 3}}, {{2, 3, 4}, {4}}};
        for (int[][] c : cases) {
            Tensor a = randn(c[0]), b = randn(c[1]);
            check(in -> in[0].matmul(in[1]), a, b);
        }
        assertArrayEquals(new int[] {2, 3, 3, 2}, randn(2, 1, 3, 4).matmul(randn(3, 4, 2)).shape());
        assertArrayEquals(new int[0], randn(4).matmul(randn(4)).shape());
    }

    @Test
    void mmWithTransposedOperands() {
        Tensor a = transposed(3, 4), b = randn(4, 2), c = transposed(4, 2);
        check(in -> in[0].mm(in[1]), a, b);
        check(in -> in[0].mm(in[1]), a, c);
        check(in -> in[1].t().mm(in[0].t()), a, c);
        assertEquals("MmBackward0", a.mm(b).gradFn().name());
    }

    @Test
    void bmm() {
        Tensor a = randn(2, 3, 4), b = randn(2, 4, 2);
        check(in -> in[0].bmm(in[1]), a, b);
        check(in -> in[1].transpose(1, 2).bmm(in[0].transpose(1, 2)), a, b);
        assertEquals("BmmBackward0", a.bmm(b).gradFn().name());
    }

    @Test
    void linear() {
        Tensor x = randn(5, 4), w = randn(3, 4), b = randn(3);
        check(in -> Tensor.linear(in[0], in[1], in[2]), x, w, b);
        check(in -> Tensor.linear(in[0], in[1], null), x, w);
        check(in -> Tensor.linear(in[0], in[1], in[2]), randn(2, 3, 4), w, b);
        check(in -> Tensor.linear(in[0], in[1], in[2]), transposed(5, 4), w, b);
        check(in -> Tensor.linear(in[0], in[1], in[2]), randn(4), w, b);
        check(in -> Tensor.linear(in[0], in[1].t(), in[2]), x, transposed(4, 3), b);
        assertEquals("AddmmBackward0", Tensor.linear(x, w, b).gradFn().name());
    }

    @Test
    void shapeMismatchNamesBothShapes() {
        Tensor a = Tensor.zeros(64, 100), b = Tensor.zeros(50, 10);
        var e = assertThrows(IllegalArgumentException.class, () -> a.mm(b));
        assertEquals("mat1 and mat2 shapes cannot be multiplied (64x100 and 50x10)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> a.matmul(b));
        assertEquals("mat1 and mat2 shapes cannot be multiplied (64x100 and 50x10)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.linear(a, Tensor.zeros(10, 50), null));
        assertEquals("mat1 and mat2 shapes cannot be multiplied (64x100 and 50x10)", e.getMessage());
    }

    /** Linear's backward at a batch-64 size, checked against loops in double. */
    @Test
    void linearBackwardMatchesDefinition() {
        Tensor.manualSeed(41);
        Tensor x = Tensor.randn(64, 100).requiresGrad_(), w = Tensor.randn(200, 100).requiresGrad_();
        Tensor b = Tensor.randn(200).requiresGrad_();
        Tensor g = Tensor.randn(64, 200);
        Tensor.linear(x, w, b).backward(g);
        double[] gx = new double[64 * 100], gw = new double[200 * 100];
        for (int i = 0; i < 64; i++) {
            for (int o = 0; o < 200; o++) {
                double go = g.get(i, o);
                for (int k = 0; k < 100; k++) {
                    gx[i * 100 + k] += go * w.get(o, k);
                    gw[o * 100 + k] += go * x.get(i, k);
                }
            }
        }
        float[] gotX = x.grad().toFloatArray(), gotW = w.grad().toFloatArray();
        for (int i = 0; i < gx.length; i++) assertEquals(gx[i], gotX[i], 1e-4 * (1 + Math.abs(gx[i])));
        for (int i = 0; i < gw.length; i++) assertEquals(gw[i], gotW[i], 1e-4 * (1 + Math.abs(gw[i])));
    }

    /** A batch-64 product, for a row-major and a transposed left operand, checked against loops in double. */
    @Test
    void midSizedProductsMatchLoops() {
        Tensor.manualSeed(42);
        Tensor b = Tensor.randn(150, 200);
        for (Tensor a : new Tensor[] {Tensor.randn(66, 150), Tensor.randn(150, 66).t()}) {
            float[] got = a.mm(b).toFloatArray();
            for (int i = 0; i < 66; i++) {
                for (int j = 0; j < 200; j++) {
                    double s = 0;
                    for (int k = 0; k < 150; k++) s += a.get(i, k) * b.get(k, j);
                    assertEquals(s, got[i * 200 + j], 1e-4 * (1 + Math.abs(s)));
                }
            }
        }
    }

    /**
     * A product split over the two cores (forced, whatever its size and the machine's load) equals loops in double:
     * odd row and column counts, one row, one column, transposed operands, a bias (the beta = 1 path).
     */
    @Test
    void splitProductsMatchFloat64Loops() {
        Tensor.manualSeed(43);
        int[][] mkn = {{67, 150, 33}, {5, 7, 129}, {1, 100, 151}, {151, 100, 1}, {64, 100, 150}, {200, 64, 100}, {3, 1, 3}};
        for (int[] s : mkn) {
            int m = s[0], k = s[1], n = s[2];
            Tensor[] lefts = {Tensor.randn(m, k), Tensor.randn(k, m).t()}, rights = {Tensor.randn(k, n), Tensor.randn(n, k).t()};
            Tensor bias = Tensor.randn(n);
            for (Tensor a : lefts) {
                for (Tensor b : rights) {
                    for (Tensor bb : new Tensor[] {null, bias}) {
                        float[] got = Linalg.gemm(a, b, bb, true).toFloatArray();
                        for (int i = 0; i < m; i++) {
                            for (int j = 0; j < n; j++) {
                                double sum = bb == null ? 0 : bb.get(j);
                                for (int p = 0; p < k; p++) sum += a.get(i, p) * b.get(p, j);
                                assertEquals(sum, got[i * n + j], 1e-4 * (1 + Math.abs(sum)),
                                        m + "x" + k + "x" + n + " at " + i + "," + j);
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * A split product gives the same bits whoever runs its halves: the worker, or the caller in turn (here forced by
     * running it inside a split, where the worker is taken, and repeated while the worker may be parked or busy).
     */
    @Test
    void splitProductsGiveTheSameBitsWhoeverRunsTheHalves() {
        Tensor.manualSeed(44);
        Tensor a = Tensor.randn(64, 150), b = Tensor.randn(150, 200), bias = Tensor.randn(200);
        float[] first = Linalg.gemm(a, b, bias, true).toFloatArray();
        for (int round = 0; round < 100; round++) {
            float[][] inside = new float[2][];
            Parallel.parts(2, 2, (part, from, to) -> inside[part] = Linalg.gemm(a, b, bias, true).toFloatArray());
            for (float[] got : new float[][] {Linalg.gemm(a, b, bias, true).toFloatArray(), inside[0], inside[1]}) {
                for (int i = 0; i < first.length; i++) {
                    assertEquals(Float.floatToIntBits(first[i]), Float.floatToIntBits(got[i]), "element " + i);
                }
            }
        }
    }
}
