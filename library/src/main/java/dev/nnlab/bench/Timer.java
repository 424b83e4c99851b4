package dev.nnlab.bench;

import java.util.Arrays;

/**
 * Times a statement the way {@code torch.utils.benchmark.Timer.blocked_autorange} does: warm up,
 * pick a loop count whose block takes at least 10 ms, then time blocks until {@code minTime}
 * seconds have passed and report per-iteration statistics.
 */
public final class Timer {
    private final Runnable stmt;
    private double minTime = 1.0;
    private double warmupTime = 0.3;

    public Timer(Runnable stmt) {
        this.stmt = stmt;
    }

    public Timer minTime(double seconds) {
        if (!(seconds > 0)) throw new IllegalArgumentException("minTime must be positive, got " + seconds);
        this.minTime = seconds;
        return this;
    }

    public Timer warmupTime(double seconds) {
        if (!(seconds >= 0)) throw new IllegalArgumentException("warmupTime must be non-negative, got " + seconds);
        this.warmupTime = seconds;
        return this;
    }

    /** Per-iteration times of each block, in seconds. */
    public Measurement blockedAutorange() {
        long warmEnd = System.nanoTime() + (long) (warmupTime * 1e9);
        do {
            stmt.run();
        } while (System.nanoTime() < warmEnd);
        int number = 1;
        while (true) {
            long t = timeBlock(number);
            if (t >= 10_000_000L || number >= 1 << 24) break;
            number *= t < 1_000_000L ? 10 : 2;
        }
        double[] times = new double[16];
        int n = 0;
        long end = System.nanoTime() + (long) (minTime * 1e9);
        do {
            if (n == times.length) times = Arrays.copyOf(times, n * 2);
            times[n++] = timeBlock(number) / 1e9 / number;
        } while (System.nanoTime() < end || n < 3);
        return new Measurement(Arrays.copyOf(times, n), number);
    }

    private long timeBlock(int number) {
        long t0 = System.nanoTime();
        for (int i = 0; i < number; i++) stmt.run();
        return System.nanoTime() - t0;
    }

    /** Block times (seconds per iteration) and the loop count of each block. */
    public record Measurement(double[] times, int numberPerRun) {
        public double median() {
            return quantile(0.5);
        }

        public double iqr() {
            return quantile(0.75) - quantile(0.25);
        }

        public double quantile(double q) {
            double[] s = times.clone();
            Arrays.sort(s);
            double pos = q * (s.length - 1);
            int lo = (int) Math.floor(pos), hi = (int) Math.ceil(pos);
            return s[lo] + (s[hi] - s[lo]) * (pos - lo);
        }

        /** True when the spread is large relative to the median, as PyTorch's {@code has_warnings}. */
        public boolean highVariance() {
            return iqr() / median() > 0.1;
        }

        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "median %.1f us, IQR %.1f us, %d blocks of %d",
                    median() * 1e6, iqr() * 1e6, times.length, numberPerRun);
        }
    }
}
