package dev.nnlab.tensor;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/** Splits a big loop over [0, n) in two halves on the common ForkJoinPool; small loops stay on the caller's thread. */
final class Parallel {
    /** Below this many elements the fork costs more than it saves. */
    static final int GRAIN = 1 << 16;
    private static final boolean ENABLED = ForkJoinPool.getCommonPoolParallelism() > 1;

    private Parallel() { }

    /** A loop body over the half-open range [from, to). */
    @FunctionalInterface
    interface Range {
        void run(int from, int to);
    }

    /** Runs {@code body} over [0, n); {@code work} is the element count that decides whether to split. */
    static void range(int n, long work, Range body) {
        if (!ENABLED || work <= GRAIN || n < 2) {
            body.run(0, n);
            return;
        }
        int mid = n >>> 1;
        ForkJoinTask<?> other = ForkJoinPool.commonPool().submit(() -> body.run(mid, n));
        body.run(0, mid);
        other.join();
    }
}
