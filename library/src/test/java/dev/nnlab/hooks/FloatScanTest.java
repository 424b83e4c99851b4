package dev.nnlab.hooks;

import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static dev.nnlab.hooks.TensorStatsTest.data;
import static dev.nnlab.hooks.TensorStatsTest.reference;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SIMD scan and the scalar scan each against the float64 loop of {@link TensorStatsTest#reference}: lengths
 * around the vector width and the blocks, sub-ranges of a larger array, NaN, +-Inf, zeros of both signs, empty.
 */
class FloatScanTest {
    /** Both scans, by name; the test JVM has the Vector API module (surefire's argLine), as ./nnlab and the kernel. */
    private final Map<String, FloatScan> scans = Map.of("scalar", TensorStats.SCALAR, "simd", VectorScan::lanes);

    static TensorStats stats(float[] x, FloatScan scan) {
        TensorStats s = new TensorStats();
        s.add(Tensor.tensor(x), scan);
        return s;
    }

    /** Every statistic against float64; min, max and the counts exactly (a zero's sign aside). */
    static void check(float[] x, FloatScan scan, String what) {
        double[] want = reference(x);
        TensorStats s = stats(x, scan);
        TensorStatsTest.assertStats(want, s, 1e-5);
        assertEquals(want[2] == 0 ? 0.0 : want[2], s.min() == 0 ? 0.0 : s.min(), 0.0, what + ": min");
        assertEquals(want[3] == 0 ? 0.0 : want[3], s.max() == 0 ? 0.0 : s.max(), 0.0, what + ": max");
        assertEquals(Math.round(want[5] * x.length), s.zeros(), what + ": zeros");
        assertEquals(x.length, s.numel(), what + ": numel");
    }

    @Test
    void theTestJvmTakesTheSimdScanOnceItsWarmUpHasRun() throws InterruptedException {
        VectorScan simd = assertInstanceOf(VectorScan.class, TensorStats.SCAN,
                "surefire runs with --add-modules jdk.incubator.vector");
        for (int i = 0; i < 1200 && !simd.isWarm(); i++) Thread.sleep(100);
        assertTrue(simd.isWarm(), "the warm-up thread should have made the lanes fast: " + simd.warmUpCpuNanos());
        assertEquals("SIMD (" + VectorScan.L + " float lanes)", TensorStats.scanKind());
        assertTrue(simd.warmUpCpuNanos() > 0);
        float[] x = data(12800, 5, 0.2, 0.5);
        TensorStatsTest.assertStats(reference(x), TensorStats.of(Tensor.tensor(x)), 1e-5);
    }

    @Test
    void everyLengthAroundTheVectorWidthAndTheBlocks() {
        int l = VectorScan.L, b = VectorScan.BLOCK;
        List<Integer> sizes = new ArrayList<>();
        for (int n = 1; n <= 4 * l + 3; n++) sizes.add(n);
        for (int n : new int[] {b - 1, b, b + 1, 2 * b - 2 * l + 1, 3 * b + 5, TensorStats.BLOCK + 3, 12800, 40001}) {
            sizes.add(n);
        }
        for (var e : scans.entrySet()) {
            for (int n : sizes) {
                float[] x = data(n, n, 0.3, 0.4);
                check(x, e.getValue(), e.getKey() + " n=" + n);
            }
        }
    }

    @Test
    void aSubRangeReadsOnlyItsOwnElements() {
        float[] big = data(3000, 7, -0.5, 0.3);
        for (int i = 0; i < 37; i++) big[i] = Float.NaN;
        for (int i = 3000 - 41; i < 3000; i++) big[i] = Float.POSITIVE_INFINITY;
        float[] inner = Arrays.copyOfRange(big, 37, 3000 - 41);
        for (var e : scans.entrySet()) {
            TensorStats s = new TensorStats();
            Tensor view = Tensor.tensor(big).narrow(0, 37, inner.length);
            assertEquals(37, view.storageOffset());
            s.add(view, e.getValue());
            TensorStatsTest.assertStats(reference(inner), s, 1e-5);
            assertEquals(0, s.nans() + s.infs(), e.getKey());
        }
    }

    @Test
    void nanAnywhereIsCountedAndPropagates() {
        int n = 3 * VectorScan.BLOCK + 2 * VectorScan.L + 3;
        for (var e : scans.entrySet()) {
            for (int at : new int[] {0, 1, VectorScan.L, VectorScan.BLOCK + 7, n - 2, n - 1}) {
                float[] x = data(n, at, 0.1, 0.2);
                x[at] = Float.NaN;
                TensorStats s = stats(x, e.getValue());
                assertEquals(1, s.nans(), e.getKey() + " NaN at " + at);
                assertEquals(0, s.infs());
                for (double v : new double[] {s.mean(), s.std(), s.min(), s.max(), s.norm()}) {
                    assertTrue(Double.isNaN(v), e.getKey() + " NaN at " + at + ": " + s);
                }
                assertEquals(reference(x)[5], s.zeroFraction(), 1e-12);
            }
        }
    }

    @Test
    void infinitiesAreCountedAndGiveInfiniteOrNanMoments() {
        int n = VectorScan.BLOCK + 5;
        for (var e : scans.entrySet()) {
            float[] x = data(n, 11, 0, 0.1);
            x[n - 1] = Float.NEGATIVE_INFINITY;
            TensorStats s = stats(x, e.getValue());
            assertEquals(1, s.infs());
            assertEquals(0, s.nans());
            assertEquals(Double.NEGATIVE_INFINITY, s.min());
            assertEquals(reference(x)[3], s.max(), 0.0);
            assertEquals(Double.NEGATIVE_INFINITY, s.mean());
            assertEquals(Double.POSITIVE_INFINITY, s.norm());

            x[3] = Float.POSITIVE_INFINITY;
            TensorStats both = stats(x, e.getValue());
            assertEquals(2, both.infs());
            assertEquals(Double.POSITIVE_INFINITY, both.max());
            assertEquals(Double.NEGATIVE_INFINITY, both.min());
            assertTrue(Double.isNaN(both.mean()), e.getKey() + ": +Inf + -Inf has no mean (torch: nan)");
            assertEquals(reference(x)[5], both.zeroFraction(), 1e-12);
        }
    }

    @Test
    void allZerosAndNegativeZeros() {
        for (var e : scans.entrySet()) {
            for (int n : new int[] {5, VectorScan.L * 2, 1000, VectorScan.BLOCK + 1}) {
                float[] plus = new float[n], minus = new float[n], mixed = new float[n];
                Arrays.fill(minus, -0f);
                for (int i = 0; i < n; i++) mixed[i] = i % 3 == 0 ? -0f : i % 3 == 1 ? 0f : Float.MIN_VALUE;
                for (float[] x : List.of(plus, minus)) {
                    TensorStats s = stats(x, e.getValue());
                    String what = e.getKey() + " n=" + n + (x == minus ? " -0" : " +0");
                    assertEquals(1.0, s.zeroFraction(), 0.0, what);
                    assertEquals(0.0, s.mean(), 0.0, what);
                    assertEquals(0.0, s.std(), 0.0, what);
                    assertEquals(0.0, s.min(), 0.0, what);
                    assertEquals(0.0, s.max(), 0.0, what);
                    assertEquals(0.0, s.norm(), 0.0, what);
                }
                check(mixed, e.getValue(), e.getKey() + " mixed zeros and subnormals n=" + n);
            }
        }
    }

    @Test
    void hugeValuesWhoseFloatSquaresOverflowStayExact() {
        Random r = new Random(2);
        float[] x = new float[1000];
        for (int i = 0; i < x.length; i++) x[i] = (float) (3e30 * r.nextGaussian());
        for (var e : scans.entrySet()) check(x, e.getValue(), e.getKey() + " |x| ~ 3e30");
    }

    @Test
    void emptyAddsACallAndNoElements() {
        for (var e : scans.entrySet()) {
            TensorStats s = stats(new float[0], e.getValue());
            assertEquals(1, s.calls());
            assertEquals(0, s.numel());
            assertEquals(0, s.zeros());
            assertEquals(0.0, s.norm(), 0.0, "torch.linalg.norm of an empty tensor is 0");
            assertTrue(Double.isNaN(s.mean()) && Double.isNaN(s.std()) && Double.isNaN(s.min())
                    && Double.isNaN(s.zeroFraction()), e.getKey() + ": " + s);
        }
    }

    /** Prints which scan a JVM took and the statistics of {@code data(5000, 3, 0.2, 0.3)}. */
    public static void main(String[] args) {
        TensorStats s = TensorStats.of(Tensor.tensor(data(5000, 3, 0.2, 0.3)));
        System.out.println(TensorStats.scanKind().startsWith("SIMD") ? "simd" : TensorStats.scanKind());
        System.out.println(s.mean() + " " + s.std() + " " + s.min() + " " + s.max() + " " + s.zeros());
    }

    @Test
    void withoutTheModuleTheLibraryTakesTheScalarScan() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (boolean module : new boolean[] {false, true}) {
            List<String> cmd = new ArrayList<>(List.of(java));
            if (module) cmd.add("--add-modules=jdk.incubator.vector");
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), FloatScanTest.class.getName()));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, cmd + "\n" + out);
            String[] lines = out.strip().split("\n");
            assertEquals(module ? "simd" : "scalar", lines[lines.length - 2].strip(), out);
            String[] v = lines[lines.length - 1].strip().split(" ");
            double[] want = reference(data(5000, 3, 0.2, 0.3));
            assertEquals(want[0], Double.parseDouble(v[0]), 1e-6, "mean");
            assertEquals(want[1], Double.parseDouble(v[1]), 1e-5, "std");
            assertEquals(want[2], Double.parseDouble(v[2]), 0.0, "min");
            assertEquals(want[3], Double.parseDouble(v[3]), 0.0, "max");
            assertEquals(Math.round(want[5] * 5000), Long.parseLong(v[4]), "zeros");
        }
    }
}
