package dev.nnlab.tensor;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The two-core split: every index once, the right part numbers, errors and nesting, whoever runs the halves. */
class ParallelTest {
    @Test
    void forcedSplitCoversEveryIndexOnceInTwoParts() {
        for (int n : new int[] {2, 3, 17, 1000, 100_001}) {
            for (int round = 0; round < 50; round++) {
                int[] hits = new int[n];
                int[] partOf = new int[n];
                Parallel.parts(n, 2, (part, from, to) -> {
                    for (int i = from; i < to; i++) {
                        hits[i]++;
                        partOf[i] = part;
                    }
                });
                int[] ones = new int[n];
                java.util.Arrays.fill(ones, 1);
                assertArrayEquals(ones, hits, "n=" + n);
                for (int i = 0; i < n; i++) assertEquals(i < n / 2 ? 0 : 1, partOf[i], "n=" + n + " i=" + i);
            }
        }
    }

    @Test
    void oneElementAndOnePartRunOnTheCallerWhole() {
        int[] calls = new int[3];
        Parallel.parts(1, 2, (part, from, to) -> {
            calls[0]++;
            assertEquals(0, from);
            assertEquals(1, to);
        });
        Parallel.parts(10, 1, (part, from, to) -> {
            calls[1]++;
            assertEquals(10, to - from);
            assertEquals("main", Thread.currentThread().getName().equals("nnlab-worker") ? "worker" : "main");
        });
        Parallel.both(1, () -> calls[2]++, () -> calls[2] += 10);
        assertArrayEquals(new int[] {1, 1, 11}, calls);
    }

    @Test
    void bothRunsEachTaskOnceAndSeesTheirWrites() {
        for (int round = 0; round < 200; round++) {
            float[] a = new float[1000], b = new float[1000];
            int r = round;
            Parallel.both(2, () -> java.util.Arrays.fill(a, r), () -> java.util.Arrays.fill(b, -r));
            for (int i = 0; i < 1000; i++) {
                assertEquals(r, a[i]);
                assertEquals(-r, b[i]);
            }
        }
    }

    @Test
    void anErrorInEitherHalfReachesTheCaller() {
        for (int bad = 0; bad < 2; bad++) {
            int b = bad;
            for (int round = 0; round < 20; round++) {
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> Parallel.parts(100, 2,
                        (part, from, to) -> {
                            if (part == b) throw new IllegalStateException("part " + part + " failed");
                        }));
                assertEquals("part " + b + " failed", e.getMessage());
            }
        }
        // the worker still works afterwards
        AtomicInteger sum = new AtomicInteger();
        Parallel.parts(10, 2, (part, from, to) -> sum.addAndGet(to - from));
        assertEquals(10, sum.get());
    }

    @Test
    void nestedSplitsFinish() {
        AtomicInteger sum = new AtomicInteger();
        for (int round = 0; round < 100; round++) {
            Parallel.parts(4, 2, (part, from, to) -> Parallel.parts(100, 2, (p, f, t) -> sum.addAndGet(t - f)));
        }
        assertEquals(100 * 2 * 100, sum.get());
    }

    /**
     * A notebook's stop interrupts the cell's threads; the worker lives in the top thread group, drops a stray
     * interrupt (else each park would return at once: a busy loop) and keeps working.
     */
    @Test
    void theWorkerOutlivesAnInterrupt() throws InterruptedException {
        Parallel.parts(10, 2, (part, from, to) -> { });
        Thread worker = null;
        for (Thread t : Thread.getAllStackTraces().keySet()) if (t.getName().equals("nnlab-worker")) worker = t;
        if (worker == null) {
            assertEquals(1, Runtime.getRuntime().availableProcessors(), "no nnlab-worker thread on a multi-core machine");
            return;
        }
        assertEquals(null, worker.getThreadGroup().getParent(), "the worker is not in the top thread group");
        worker.interrupt();
        for (int i = 0; i < 500 && worker.isInterrupted(); i++) Thread.sleep(10);
        assertEquals(false, worker.isInterrupted(), "the worker kept its interrupt");
        AtomicInteger sum = new AtomicInteger();
        for (int round = 0; round < 50; round++) Parallel.parts(10, 2, (part, from, to) -> sum.addAndGet(to - from));
        assertEquals(500, sum.get());
        assertEquals(true, worker.isAlive());
    }
}
