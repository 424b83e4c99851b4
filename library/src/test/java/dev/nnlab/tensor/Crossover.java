package dev.nnlab.tensor;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Measures where splitting a float32 product over the two cores pays, the data behind {@link Linalg#SPLIT_MNK}
 * and {@link Blas#THREADED_MNK} (not a test: run its main). For each shape it times, in interleaved blocks,
 * OpenBLAS on one thread, the product split in two halves over nnlab's two threads (one OpenBLAS thread each),
 * and OpenBLAS on all cores; it prints the median and the best block of each, in us.
 *
 * <pre>java -cp library/target/test-classes:library/target/classes:$(cat library/target/classpath.txt) \
 *     dev.nnlab.tensor.Crossover [blocks]</pre>
 */
public final class Crossover {
    private Crossover() { }

    /** OpenBLAS's thread switch, bound here on its own (Blas keeps its binding private). */
    static final class Threads {
        static native void openblas_set_num_threads(int n);
    }

    public static void main(String[] args) throws Exception {
        int blocks = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        Tensor.randn(8, 8).mm(Tensor.randn(8, 8));
        String lib = Files.readAllLines(Path.of("/proc/self/maps")).stream().filter(l -> l.contains("libopenblas"))
                .map(l -> l.substring(l.indexOf('/'))).findFirst().orElseThrow();
        Native.register(Threads.class, NativeLibrary.getInstance(lib));
        Thread.sleep(1000);
        int cores = Runtime.getRuntime().availableProcessors();
        // m x k x n of the row-major product: batch-64 Linear shapes first, then squares.
        int[][] shapes = {{64, 32, 64}, {64, 64, 64}, {64, 100, 50}, {64, 100, 100}, {64, 100, 150}, {64, 150, 200},
            {64, 200, 150}, {200, 64, 100}, {64, 256, 256}, {64, 512, 512}, {96, 96, 96}, {128, 128, 128},
            {160, 160, 160}, {192, 192, 192}, {224, 224, 224}, {256, 256, 256}, {320, 320, 320}, {384, 384, 384},
            {512, 512, 512}};
        System.out.printf(Locale.ROOT, "cores %d, load %s, %d blocks; us per product, median (best)%n", cores,
                Files.readString(Path.of("/proc/loadavg")).trim(), blocks);
        System.out.printf(Locale.ROOT, "| m x k x n | multiply-adds | 1 thread | split in 2 | OpenBLAS %d threads | best |%n",
                cores);
        System.out.println("|---|---|---|---|---|---|");
        for (int[] s : shapes) {
            int m = s[0], k = s[1], n = s[2];
            float[] a = Tensor.randn(m, k).floats(), b = Tensor.randn(k, n).floats(), c = new float[m * n];
            long mnk = (long) m * n * k;
            // row-major C = A B as column-major C^T = B^T A^T; the split halves C's longer side
            Runnable one = () -> Blas.IMPL.sgemm("N", "N", n, m, k, 1f, b, 0, n, a, 0, k, 0f, c, 0, n);
            Runnable split = () -> Parallel.parts(Math.max(m, n), 2, (p, from, to) -> {
                if (n >= m) Blas.IMPL.sgemm("N", "N", to - from, m, k, 1f, b, from, n, a, 0, k, 0f, c, from, n);
                else Blas.IMPL.sgemm("N", "N", n, to - from, k, 1f, b, 0, n, a, from * k, k, 0f, c, from * n, n);
            });
            Runnable all = () -> {
                Threads.openblas_set_num_threads(cores);
                one.run();
                Threads.openblas_set_num_threads(1);
            };
            Runnable[] runs = {one, split, all};
            int reps = (int) Math.max(3, Math.min(2000, 2e8 / (mnk * 2) * 0.05 * 50));
            double[][] t = new double[3][blocks];
            for (Runnable r : runs) for (int i = 0; i < reps; i++) r.run();
            for (int blk = 0; blk < blocks; blk++) {
                for (int v = 0; v < 3; v++) {
                    long t0 = System.nanoTime();
                    for (int i = 0; i < reps; i++) runs[v].run();
                    t[v][blk] = (System.nanoTime() - t0) / 1e3 / reps;
                }
            }
            double[] med = new double[3], best = new double[3];
            for (int v = 0; v < 3; v++) {
                Arrays.sort(t[v]);
                med[v] = t[v][blocks / 2];
                best[v] = t[v][0];
            }
            int win = med[0] <= med[1] && med[0] <= med[2] ? 0 : med[1] <= med[2] ? 1 : 2;
            System.out.printf(Locale.ROOT, "| %dx%dx%d | %,d | %.1f (%.1f) | %.1f (%.1f) | %.1f (%.1f) | %s |%n", m, k, n,
                    mnk, med[0], best[0], med[1], best[1], med[2], best[2],
                    new String[] {"1 thread", "split", "OpenBLAS threads"}[win]);
        }
        System.out.printf(Locale.ROOT, "load after: %s%n", Files.readString(Path.of("/proc/loadavg")).trim());
    }
}
