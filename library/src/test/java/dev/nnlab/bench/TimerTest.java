package dev.nnlab.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The timer's logic on synthetic timings (a fake clock that moves only when the statement runs), and once for real. */
class TimerTest {
    @Test
    void everyTimedCallIsAccountedForAndTheLoopCountFollowsPyTorch() {
        long cost = 1_000;
        FakeClock clock = new FakeClock(i -> cost);
        Measurement m = new Timer(clock.stmt()).clock(clock).minTime(0.2).warmup(0.01, 1).blockedAutorange();
        // PyTorch's rule: the smallest power of ten whose block takes >= min_run_time / 1000 (200 us here)
        assertEquals(1000, m.loops());
        assertEquals(m.runs() * 1000L, m.totalLoops());
        assertEquals(clock.calls, m.warmupLoops() + (1 + 10 + 100 + 1000) + m.totalLoops());
        // runs stop as soon as 0.2 s have been timed
        assertTrue(m.totalLoops() * cost >= 0.2e9 * (1 - 1e-9));
        assertTrue((m.runs() - 1) * 1000L * cost < 0.2e9 * (1 + 1e-9));
        assertEquals(1e-6, m.median(), 1e-15);
        assertEquals(0, m.iqr(), 1e-15);
        assertTrue(m.settled());
        assertTrue(m.warnings().isEmpty(), m.warnings().toString());
    }

    @Test
    void warmUpWaitsUntilTheJitHasSettled() {
        // 200 us per call at first, falling towards 10 us: at call 1500 a call still costs 19.5 us
        FakeClock clock = new FakeClock(i -> 10_000 + (long) (190_000 * Math.exp(-i / 500.0)));
        Measurement m = new Timer(clock.stmt()).clock(clock).minTime(0.1).warmup(0.05, 10).blockedAutorange();
        assertTrue(m.settled());
        assertTrue(m.warmupLoops() > 1500, "warm-up stopped at call " + m.warmupLoops());
        assertTrue(m.median() < 10.5e-6, "median " + m.median());
        assertTrue(m.warmupSeconds() >= 0.05);
    }

    @Test
    void warmUpWaitsForTheJitEvenWhenTimesLookFlat() {
        // flat 10 us calls, but a compilation finishes every 100 calls until call 40,000 (0.4 s of calls)
        FakeClock clock = new FakeClock(i -> 10_000, i -> Math.min(i, 40_000) / 100);
        Measurement m = new Timer(clock.stmt()).clock(clock).minTime(0.01).warmup(0.05, 10).blockedAutorange();
        assertTrue(m.settled());
        assertTrue(m.warmupLoops() > 40_000, "warm-up stopped at call " + m.warmupLoops());
    }

    @Test
    void aJitThatNeverGoesQuietIsReported() {
        FakeClock clock = new FakeClock(i -> 10_000, i -> i / 100);
        Measurement m = new Timer(clock.stmt()).clock(clock).minTime(0.01).warmup(0.05, 0.5).blockedAutorange();
        assertFalse(m.settled());
        assertTrue(m.warnings().stream().anyMatch(w -> w.contains("the JIT still compiling")), m.warnings().toString());
    }

    @Test
    void warmUpThatNeverSettlesIsReported() {
        FakeClock clock = new FakeClock(i -> 100_000_000L / (i + 1));
        Measurement m = new Timer(clock.stmt()).clock(clock).minTime(0.01).warmup(0.1, 1.0).blockedAutorange();
        assertFalse(m.settled());
        assertTrue(m.warmupSeconds() >= 1.0);
        assertTrue(m.warnings().stream().anyMatch(w -> w.startsWith("warm-up stopped after")), m.warnings().toString());
    }

    @Test
    void adaptiveAutorangeStopsWhenTheSpreadIsSmall() {
        FakeClock clock = new FakeClock(i -> 1_000);
        Measurement m = new Timer(clock.stmt()).clock(clock).warmup(0, 0).adaptiveAutorange(0.1, 0.01, 10);
        assertTrue(m.runs() > 3);
        assertTrue(m.totalLoops() * 1_000 >= 0.01e9 * (1 - 1e-9));
        assertTrue(m.totalLoops() * 1_000 < 1e9, "ran " + m.totalLoops() + " loops");
    }

    @Test
    void adaptiveAutorangeGivesUpAtItsLimitWhenTheSpreadStaysWide() {
        // 1, 2 or 3 us per call, changing every 1000 calls: runs of 100 calls never agree
        FakeClock clock = new FakeClock(i -> 1_000 * (1 + (i / 1000) % 3));
        Measurement m = new Timer(clock.stmt()).clock(clock).warmup(0, 0).adaptiveAutorange(0.1, 0.01, 0.05);
        double timed = 0;
        for (double t : m.times()) timed += t * m.loops();
        assertTrue(timed > 0.05, "timed " + timed);
        assertTrue(m.relativeIqr() > Measurement.GROSS);
        assertTrue(m.hasWarnings());
    }

    @Test
    void progressGoesFromZeroToOne() {
        FakeClock clock = new FakeClock(i -> 50_000);
        List<Double> seen = new ArrayList<>();
        new Timer(clock.stmt()).clock(clock).minTime(0.05).warmup(0, 0.01).progress((f, s) -> seen.add(f))
                .blockedAutorange();
        assertEquals(0.0, seen.get(0));
        assertEquals(1.0, seen.get(seen.size() - 1));
        for (int i = 1; i < seen.size(); i++) assertTrue(seen.get(i) >= seen.get(i - 1), seen.toString());
    }

    @Test
    void anInterruptStopsTheTimingBetweenRuns() {
        Thread.currentThread().interrupt();
        try {
            assertThrows(CancellationException.class, () -> new Timer(() -> { }).blockedAutorange());
        } finally {
            assertTrue(Thread.interrupted(), "the interrupt flag is kept for the caller");
        }
        long[] calls = {0};
        FakeClock clock = new FakeClock(i -> 1_000);
        Runnable timed = clock.stmt();
        Timer t = new Timer(() -> {
            timed.run();
            if (++calls[0] == 30_000) Thread.currentThread().interrupt();
        }).clock(clock).minTime(10);
        try {
            CancellationException e = assertThrows(CancellationException.class, t::blockedAutorange);
            assertTrue(e.getMessage().contains("interrupted"));
        } finally {
            Thread.interrupted();
        }
        assertTrue(calls[0] < 30_000 + 10_000, "ran on for " + (calls[0] - 30_000) + " calls");
    }

    @Test
    void aTinyRealWorkloadGivesConsistentStatistics() {
        double[] v = new double[100];
        for (int i = 0; i < v.length; i++) v[i] = i;
        double[] sink = {0};
        Measurement m = new Timer(() -> {
            double s = 0;
            for (double d : v) s += d;
            sink[0] += s;
        }).label("sum").minTime(0.05).warmup(0, 0.1).blockedAutorange();
        assertTrue(m.runs() >= 1 && m.loops() >= 1);
        assertEquals(m.runs(), m.times().length);
        assertTrue(m.min() <= m.quantile(0.25) && m.quantile(0.25) <= m.median());
        assertTrue(m.median() <= m.quantile(0.75) && m.quantile(0.75) <= m.max());
        assertTrue(m.iqr() >= 0 && m.std() >= 0);
        assertTrue(m.min() <= m.mean() && m.mean() <= m.max());
        assertTrue(m.min() > 0);
        assertTrue(m.warmupLoops() >= 1 && m.warmupSeconds() >= 0);
        assertTrue(m.toString().startsWith("sum\n  Median: "), m.toString());
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Timer(null));
        assertThrows(IllegalArgumentException.class, () -> new Timer(() -> { }).minTime(0));
        assertThrows(IllegalArgumentException.class, () -> new Timer(() -> { }).warmup(2, 1));
        assertThrows(IllegalArgumentException.class, () -> new Timer(() -> { }).adaptiveAutorange(0, 0, 1));
    }
}
