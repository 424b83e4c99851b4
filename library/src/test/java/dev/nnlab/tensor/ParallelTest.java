package dev.nnlab.tensor;

import org.junit.jupiter.api.Test;

import java.util.List;
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

    @Test
    void crowdingCountsOtherProcessesAndTheJitNotTheCallerOrTheWorker() {
        // /proc/stat's first line and /proc/self/stat, 2 s apart: the machine was busy for 300 ticks (user 120, nice
        // 10, system 50, irq 5, softirq 15, steal 100; idle and iowait do not count), this process for 150 of them
        String self0 = "4242 (java (nnlab) x) S 1 2 3 0 -1 4 5 6 7 8 1000 200 0 0 20 0 40 0 9 10 11";
        String self1 = "4242 (java (nnlab) x) S 1 2 3 0 -1 4 5 6 7 8 1120 230 0 0 20 0 40 0 9 10 11";
        Parallel.CpuTimes before = Parallel.CpuTimes.read(
                "cpu  1000 20 500 9000 30 40 50 60 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\n", self0, 0, 1_000_000_000L);
        Parallel.CpuTimes after = Parallel.CpuTimes.read(
                "cpu  1120 30 550 9100 99 45 65 160 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\n", self1, 0, 3_000_000_000L);
        assertEquals(150 / 200.0, after.crowding(before), 1e-12);
        // this process alone, the caller, the worker and GC, never crowds, however busy
        Parallel.CpuTimes mine = Parallel.CpuTimes.read(
                "cpu  1140 20 580 9000 30 40 50 60 0 0\n", "4242 (java) S 1 2 3 0 -1 4 5 6 7 8 1140 280 0 0", 0,
                2_000_000_000L);
        assertEquals(0, mine.crowding(before), 1e-12);
        // ...but its JIT compilers do: 80 of its 220 ticks were C2's and C1's
        List<String> threads = List.of(
                "4250 (C2 CompilerThre) S 1 2 3 0 -1 4 5 6 7 8 70 5 0 0",
                "4251 (C1 CompilerThre) S 1 2 3 0 -1 4 5 6 7 8 4 1 0 0",
                "4243 (nnlab-worker) R 1 2 3 0 -1 4 5 6 7 8 60 0 0 0",
                "4244 (GC Thread#0) S 1 2 3 0 -1 4 5 6 7 8 9 1 0 0");
        assertEquals(80, Parallel.CpuTimes.jit(threads));
        Parallel.CpuTimes compiling = Parallel.CpuTimes.read(
                "cpu  1140 20 580 9000 30 40 50 60 0 0\n", "4242 (java) S 1 2 3 0 -1 4 5 6 7 8 1140 280 0 0", 80,
                2_000_000_000L);
        assertEquals(80 / 100.0, compiling.crowding(before), 1e-12);
        // a compiler thread that ended takes its ticks along: no crowding, not a negative one
        assertEquals(0, mine.crowding(new Parallel.CpuTimes(compiling.busy(), compiling.own(), 80, 1_000_000_000L)), 1e-12);
        assertThrows(IllegalArgumentException.class,
                () -> Parallel.CpuTimes.read("intr 1 2 3\n", self0, 0, 0));
    }
}
