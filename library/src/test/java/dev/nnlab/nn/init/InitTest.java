package dev.nnlab.nn.init;

import dev.nnlab.nn.Parameter;
import dev.nnlab.tensor.DType;
import dev.nnlab.tensor.Generator;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InitTest {
    // Plain loops: these statistics must not depend on the reductions under test elsewhere.
    private static double mean(Tensor t) { return mean(t.toDoubleArray()); }
    private static double std(Tensor t) { return std(t.toDoubleArray()); }
    private static double max(Tensor t) { return java.util.Arrays.stream(t.toDoubleArray()).max().orElseThrow(); }
    private static double min(Tensor t) { return java.util.Arrays.stream(t.toDoubleArray()).min().orElseThrow(); }

    private static double mean(double[] a) {
        double s = 0;
        for (double v : a) s += v;
        return s / a.length;
    }

    private static double std(double[] a) {
        double m = mean(a), s = 0;
        for (double v : a) s += (v - m) * (v - m);
        return Math.sqrt(s / (a.length - 1));
    }

    /** Same shape and values (Tensor.equal is not in the core yet). */
    private static void assertValues(Tensor actual, Tensor expected) {
        assertArrayEquals(expected.shape(), actual.shape());
        assertArrayEquals(expected.toDoubleArray(), actual.toDoubleArray());
    }

    private static <E extends Throwable> void assertMessage(Class<E> type, String message, Runnable r) {
        E e = assertThrows(type, r::run);
        assertEquals(message, e.getMessage());
    }

    @Test
    void calculateGainTable() {
        for (String n : List.of("linear", "conv1d", "conv2d", "conv3d", "conv_transpose2d", "sigmoid")) {
            assertEquals(1.0, Init.calculateGain(n), n);
        }
        assertEquals(5.0 / 3, Init.calculateGain("tanh"));
        assertEquals(Math.sqrt(2), Init.calculateGain("relu"));
        assertEquals(Math.sqrt(2 / (1 + 0.01 * 0.01)), Init.calculateGain("leaky_relu"));
        assertEquals(Math.sqrt(2 / 1.04), Init.calculateGain("leaky_relu", 0.2), 1e-15);
        assertEquals(0.75, Init.calculateGain("selu"));
        assertMessage(IllegalArgumentException.class, "Unsupported nonlinearity xyz", () -> Init.calculateGain("xyz"));
    }

    @Test
    void fanInAndFanOut() {
        assertArrayEquals(new int[] {75, 400}, Init.calculateFanInAndFanOut(Tensor.empty(16, 3, 5, 5)));
        assertArrayEquals(new int[] {20, 10}, Init.calculateFanInAndFanOut(Tensor.empty(10, 20)));
        assertMessage(IllegalArgumentException.class,
                "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions",
                () -> Init.calculateFanInAndFanOut(Tensor.empty(5)));
    }

    @Test
    void uniformAndNormalFollowTheirDistributions() {
        Tensor u = Init.uniform_(Tensor.empty(400, 500), -3, 5);
        assertTrue(min(u) >= -3 && max(u) < 5);
        assertEquals(1.0, mean(u), 0.02);
        assertEquals(8 / Math.sqrt(12), std(u), 0.02);
        Tensor n = Init.normal_(Tensor.empty(DType.FLOAT64, 400, 500), 2, 0.5);
        assertEquals(2.0, mean(n), 0.005);
        assertEquals(0.5, std(n), 0.005);
    }

    @Test
    void truncNormalStaysInBoundsWithTheTruncatedMoments() {
        Tensor t = Init.truncNormal_(Tensor.empty(200_000));
        assertTrue(min(t) >= -2 && max(t) <= 2);
        assertEquals(0, mean(t), 0.01);
        assertEquals(0.8796, std(t), 0.005);
        // A far window takes the uniform-proposal branch: mean of N(0,1) on [3, 4] is 3.2606.
        Tensor far = Init.truncNormal_(Tensor.empty(100_000), 0, 1, 3, 4);
        assertTrue(min(far) >= 3 && max(far) <= 4);
        assertEquals(3.2606, mean(far), 0.01);
    }

    @Test
    void constantsEyeAndDirac() {
        assertValues(Init.constant_(Tensor.empty(2, 3), 0.25), Tensor.full(new int[] {2, 3}, 0.25));
        assertValues(Init.ones_(Tensor.empty(4)), Tensor.ones(4));
        assertValues(Init.zeros_(Tensor.ones(4)), Tensor.zeros(4));
        assertValues(Init.eye_(Tensor.empty(2, 3)), Tensor.tensor(new float[][] {{1, 0, 0}, {0, 1, 0}}));
        assertMessage(IllegalArgumentException.class, "Only tensors with 2 dimensions are supported",
                () -> Init.eye_(Tensor.empty(2, 2, 2)));

        Tensor w = Init.dirac_(Tensor.ones(4, 2, 3, 3));
        for (int o = 0; o < 4; o++) {
            for (int i = 0; i < 2; i++) {
                for (int y = 0; y < 3; y++) {
                    for (int x = 0; x < 3; x++) {
                        assertEquals(o == i && y == 1 && x == 1 ? 1.0 : 0.0, w.get(o, i, y, x));
                    }
                }
            }
        }
        // Two groups of 2 outputs over 3 input channels: outputs 0,1 and 2,3 each see inputs 0,1.
        Tensor g = Init.dirac_(Tensor.empty(4, 3, 4), 2);
        assertEquals(4.0, g.sum().item());
        assertEquals(1.0, g.get(2, 0, 2));
        assertEquals(1.0, g.get(3, 1, 2));
        assertEquals(1.0, Init.dirac_(Tensor.empty(1, 1, 3, 3, 3)).get(0, 0, 1, 1, 1));
        assertMessage(IllegalArgumentException.class, "Only tensors with 3, 4, or 5 dimensions are supported",
                () -> Init.dirac_(Tensor.empty(3, 3)));
        assertMessage(IllegalArgumentException.class, "dim 0 must be divisible by groups",
                () -> Init.dirac_(Tensor.empty(3, 3, 3), 2));
    }

    @Test
    void xavierAndKaimingUseTheFans() {
        Tensor x = Init.xavierUniform_(Tensor.empty(300, 500), 2);
        double a = 2 * Math.sqrt(6.0 / 800);
        assertTrue(max(x) <= a && min(x) >= -a && max(x) > 0.99 * a);
        assertEquals(a / Math.sqrt(3), std(x), 0.002);
        assertEquals(Math.sqrt(2.0 / 800), std(Init.xavierNormal_(Tensor.empty(300, 500))), 0.001);

        Tensor k = Init.kaimingUniform_(Tensor.empty(64, 100, 3, 3));
        double bound = Math.sqrt(6.0 / 900);
        assertTrue(max(k) <= bound && max(k) > 0.99 * bound);
        // The layer default: kaiming_uniform_(a=sqrt(5)) gives bound 1/sqrt(fan_in).
        Tensor lin = Init.kaimingUniform_(Tensor.empty(200, 400), Math.sqrt(5));
        assertTrue(max(lin) <= 1 / Math.sqrt(400) && max(lin) > 0.99 / Math.sqrt(400));
        Tensor kn = Init.kaimingNormal_(Tensor.empty(400, 300), 0, "fan_out", "relu");
        assertEquals(Math.sqrt(2.0 / 400), std(kn), 0.001);
        assertMessage(IllegalArgumentException.class, "Mode fan_avg not supported, please use one of ['fan_in', 'fan_out']",
                () -> Init.kaimingNormal_(Tensor.empty(4, 4), 0, "fan_avg", "relu"));
        assertEquals(0, Init.kaimingUniform_(Tensor.empty(0, 3)).numel());
    }

    private static void assertIdentity(Tensor m, double scale, double tol) {
        int n = m.size(0);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) assertEquals(i == j ? scale : 0, m.get(i, j), tol, "(" + i + "," + j + ")");
        }
    }

    @Test
    void orthogonalGivesOrthonormalRowsOrColumnsTimesGain() {
        Tensor tall = Init.orthogonal_(Tensor.empty(DType.FLOAT64, 50, 20), 3);
        assertIdentity(tall.t().matmul(tall), 9, 1e-12);
        Tensor wide = Init.orthogonal_(Tensor.empty(20, 50));
        assertIdentity(wide.matmul(wide.t()), 1, 1e-5);
        Tensor square = Init.orthogonal_(Tensor.empty(DType.FLOAT64, 16, 16));
        assertIdentity(square.matmul(square.t()), 1, 1e-12);
        assertIdentity(square.t().matmul(square), 1, 1e-12);
        Tensor conv = Init.orthogonal_(Tensor.empty(8, 3, 3, 3)).reshape(8, 27);
        assertIdentity(conv.matmul(conv.t()), 1, 1e-5);
        Tensor strided = Tensor.empty(DType.FLOAT64, 12, 7).t();
        Init.orthogonal_(strided);
        assertIdentity(strided.matmul(strided.t()), 1, 1e-12);
        assertMessage(IllegalArgumentException.class, "Only tensors with 2 or more dimensions are supported",
                () -> Init.orthogonal_(Tensor.empty(5)));
    }

    @Test
    void advancedInitializationFactsFromTheArticle() {
        Generator g = new Generator(0);
        Parameter weight = new Parameter(Tensor.empty(32, 64));
        Parameter bias = new Parameter(Tensor.empty(32));
        double gain = Init.calculateGain("relu");
        assertEquals(Math.sqrt(2), gain);
        Init.orthogonal_(weight, gain, g);
        double bound = 1 / Math.sqrt(weight.size(1));
        Init.uniform_(bias, -bound, bound, g);
        try (var s = dev.nnlab.autograd.NoGrad.enter()) {
            weight.add_(Tensor.randn(g, 32, 64).mul(0.01));
        }
        Tensor wwt = weight.matmul(weight.t());
        double diagMean = 0, offMax = 0;
        for (int i = 0; i < 32; i++) {
            diagMean += wwt.get(i, i) / 32;
            for (int j = 0; j < 32; j++) if (i != j) offMax = Math.max(offMax, Math.abs(wwt.get(i, j)));
        }
        assertEquals(2.0, diagMean, 0.02);
        assertTrue(offMax < 0.15 && offMax > 0.005, "largest off-diagonal " + offMax);
        assertTrue(max(bias) <= 0.125 && min(bias) >= -0.125);
        assertTrue(weight.isLeaf() && weight.requiresGrad());
        assertNull(weight.grad());
    }

    @Test
    void sparseZeroesTheSameNumberInEveryColumn() {
        Tensor t = Init.sparse_(Tensor.empty(100, 40), 0.25, 0.5);
        for (int c = 0; c < 40; c++) {
            int zeros = 0;
            for (int r = 0; r < 100; r++) if (t.get(r, c) == 0) zeros++;
            assertEquals(25, zeros);
        }
        double[] nonzero = java.util.Arrays.stream(t.toDoubleArray()).filter(v -> v != 0).toArray();
        assertEquals(3000, nonzero.length);
        assertEquals(0.5, std(nonzero), 0.03);
        assertMessage(IllegalArgumentException.class, "Only tensors with 2 dimensions are supported",
                () -> Init.sparse_(Tensor.empty(3, 3, 3), 0.1));
    }

    @Test
    void generatorsMakeInitReproducible() {
        List<BiFunction<Tensor, Generator, Tensor>> inits = List.of(
                (t, g) -> Init.uniform_(t, -1, 1, g), (t, g) -> Init.normal_(t, 0, 1, g),
                (t, g) -> Init.truncNormal_(t, 0, 1, -2, 2, g), (t, g) -> Init.xavierUniform_(t, 1, g),
                (t, g) -> Init.xavierNormal_(t, 1, g), (t, g) -> Init.kaimingUniform_(t, 0, "fan_in", "relu", g),
                (t, g) -> Init.kaimingNormal_(t, 0, "fan_in", "relu", g), (t, g) -> Init.orthogonal_(t, 1, g),
                (t, g) -> Init.sparse_(t, 0.3, 0.01, g));
        for (BiFunction<Tensor, Generator, Tensor> init : inits) {
            Tensor a = init.apply(Tensor.empty(6, 9), new Generator(42));
            Tensor b = init.apply(Tensor.empty(6, 9), new Generator(42));
            Tensor c = init.apply(Tensor.empty(6, 9), new Generator(43));
            assertValues(a, b);
            assertFalse(java.util.Arrays.equals(a.toDoubleArray(), c.toDoubleArray()));
        }
    }

    @Test
    void initRunsUnderNoGradOnParametersAndBumpsTheVersion() {
        Parameter p = new Parameter(Tensor.empty(4, 4));
        int v = p.version();
        assertSame(p, Init.kaimingUniform_(p));
        assertSame(p, Init.orthogonal_(p));
        assertSame(p, Init.eye_(p));
        assertTrue(p.version() > v);
        assertTrue(p.isLeaf());
        assertNull(p.gradFn());
    }
}
