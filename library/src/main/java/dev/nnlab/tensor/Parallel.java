package dev.nnlab.tensor;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * Splits a big loop over [0, n) in two halves, one on the common ForkJoinPool and one on the caller's thread; small
 * loops stay on the caller's thread. On two cores the common pool has one worker, which is the second core.
 */
final class Parallel {
    /** Below this many elements the fork costs more than it saves. */
    static final int GRAIN = 1 << 16;
    private static final boolean ENABLED = Runtime.getRuntime().availableProcessors() > 1;

    private Parallel() { }

    /** A loop body over the half-open range [from, to). */
    @FunctionalInterface
    interface Range {
        void run(int from, int to);
    }

    /** A loop body over part {@code part} (0 or 1) of the split, the range [from, to). */
    @FunctionalInterface
    interface Part {
        void run(int part, int from, int to);
    }

    /** Runs {@code body} over [0, n); {@code work} is the element count that decides whether to split. */
    static void range(int n, long work, Range body) {
        parts(n, work, (part, from, to) -> body.run(from, to));
    }

    /** How many parts {@link #parts} will use for this loop: 1 or 2. */
    static int count(int n, long work) {
        return !ENABLED || work <= GRAIN || n < 2 ? 1 : 2;
    }

    /** Runs {@code body} over [0, n) in {@link #count} parts, each knowing its index (for per-part partial sums). */
    static void parts(int n, long work, Part body) {
        if (count(n, work) == 1) {
            body.run(0, 0, n);
            return;
        }
        int mid = n >>> 1;
        ForkJoinTask<?> other = ForkJoinPool.commonPool().submit(() -> body.run(1, mid, n));
        try {
            body.run(0, 0, mid);
        } finally {
            other.join();
        }
    }

    /** Runs two independent tasks, the second on the pool when {@code work} (their element count) is worth it. */
    static void both(long work, Runnable a, Runnable b) {
        if (!ENABLED || work <= GRAIN) {
            a.run();
            b.run();
            return;
        }
        ForkJoinTask<?> other = ForkJoinPool.commonPool().submit(b);
        try {
            a.run();
        } finally {
            other.join();
        }
    }
}
