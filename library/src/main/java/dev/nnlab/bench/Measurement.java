package dev.nnlab.bench;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What a {@link Timer} saw: the time per loop of each run (a run is {@code loops} back-to-back calls), with the
 * statistics of {@code torch.utils.benchmark.Measurement} (median, IQR, significant figures, variance warnings) and
 * those of {@code %timeit} (mean ± std). Times are in seconds. Serializable, so that a measurement taken on a Spark
 * executor comes back whole.
 */
public final class Measurement implements Serializable {
    private static final long serialVersionUID = 1L;
    /** IQR/median above which a measurement is flagged ({@code _IQR_WARN_THRESHOLD}). */
    public static final double WARN = 0.10;
    /** IQR/median above which the spread is called gross ({@code _IQR_GROSS_WARN_THRESHOLD}). */
    public static final double GROSS = 0.25;

    private final String label;
    private final String mode;
    private final double[] times;
    private final double[] sorted;
    private final int loops;
    private final int threads;
    private final double warmupSeconds;
    private final long warmupLoops;
    private final boolean settled;

    /** A measurement from given per-loop times (seconds), one per run of {@code loops} calls; no warm-up recorded. */
    public Measurement(String label, String mode, double[] times, int loops, int threads) {
        this(label, mode, times, loops, threads, 0, 0, true);
    }

    Measurement(String label, String mode, double[] times, int loops, int threads, double warmupSeconds,
                long warmupLoops, boolean settled) {
        if (times == null || times.length == 0) throw new IllegalArgumentException("a measurement needs at least one run");
        if (loops < 1) throw new IllegalArgumentException("loops per run must be at least 1, got " + loops);
        for (double t : times) {
            if (!(t >= 0) || Double.isInfinite(t)) {
                throw new IllegalArgumentException("run times must be finite and non-negative, got " + t);
            }
        }
        this.label = label == null ? "" : label;
        this.mode = mode == null ? "" : mode;
        this.times = times.clone();
        this.sorted = times.clone();
        Arrays.sort(sorted);
        this.loops = loops;
        this.threads = threads;
        this.warmupSeconds = warmupSeconds;
        this.warmupLoops = warmupLoops;
        this.settled = settled;
    }

    public String label() {
        return label;
    }

    public String mode() {
        return mode;
    }

    /** Seconds per loop of each run, in the order they ran. */
    public double[] times() {
        return times.clone();
    }

    /** The number of timed runs. */
    public int runs() {
        return times.length;
    }

    /** Back-to-back calls in each run. */
    public int loops() {
        return loops;
    }

    /** Calls timed in all: runs × loops. */
    public long totalLoops() {
        return (long) times.length * loops;
    }

    public int threads() {
        return threads;
    }

    /** Seconds spent warming up before timing. */
    public double warmupSeconds() {
        return warmupSeconds;
    }

    /** Calls made while warming up. */
    public long warmupLoops() {
        return warmupLoops;
    }

    /** False when warm-up hit its time limit with times still falling or the JIT still compiling. */
    public boolean settled() {
        return settled;
    }

    public double median() {
        return quantile(0.5);
    }

    /** Interquartile range, p75 - p25. */
    public double iqr() {
        return quantile(0.75) - quantile(0.25);
    }

    /** The q-quantile with linear interpolation (what {@code torch.quantile} and numpy do by default). */
    public double quantile(double q) {
        if (!(q >= 0 && q <= 1)) throw new IllegalArgumentException("quantile must be in [0, 1], got " + q);
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos), hi = (int) Math.ceil(pos);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }

    public double min() {
        return sorted[0];
    }

    public double max() {
        return sorted[sorted.length - 1];
    }

    public double mean() {
        double s = 0;
        for (double t : times) s += t;
        return s / times.length;
    }

    /** Standard deviation over runs, dividing by n as {@code %timeit} does. */
    public double std() {
        double m = mean(), s = 0;
        for (double t : times) s += (t - m) * (t - m);
        return Math.sqrt(s / times.length);
    }

    /** IQR / median (0 when the median is 0). */
    public double relativeIqr() {
        double med = median();
        return med == 0 ? 0 : iqr() / med;
    }

    /** True when IQR/median exceeds {@link #WARN}: PyTorch's {@code has_warnings}. */
    public boolean hasWarnings() {
        return relativeIqr() > WARN;
    }

    /** One sentence per problem: a wide spread (above 10% or 25% of the median), too few runs, unsettled warm-up. */
    public List<String> warnings() {
        List<String> out = new ArrayList<>();
        double rel = relativeIqr();
        if (rel > GROSS) {
            out.add(String.format(Locale.ROOT, "IQR is %.1f%% of the median: this suggests significant environmental"
                    + " influence.", rel * 100));
        } else if (rel > WARN) {
            out.add(String.format(Locale.ROOT, "IQR is %.1f%% of the median: this could indicate system fluctuation.",
                    rel * 100));
        }
        if (times.length < 4) {
            out.add("only " + times.length + " run" + (times.length == 1 ? "" : "s") + ": median and IQR say little;"
                    + " raise the minimum run time.");
        }
        if (!settled) {
            out.add(String.format(Locale.ROOT, "warm-up stopped after %.1f s with times still falling or the JIT"
                    + " still compiling; raise the warm-up limit.", warmupSeconds));
        }
        return out;
    }

    /**
     * How many digits of the median are worth showing (1 to 4), from a 90% confidence interval of the mean of the
     * interquartile runs: PyTorch's {@code significant_figures}.
     */
    public int significantFigures() {
        int n = sorted.length;
        int lo = n / 4, hi = (int) Math.ceil(3 * n / 4.0);
        double mean = 0;
        for (int i = lo; i < hi; i++) mean += sorted[i];
        mean /= hi - lo;
        double var = 0;
        for (int i = lo; i < hi; i++) var += (sorted[i] - mean) * (sorted[i] - mean);
        double std = Math.sqrt(var / (hi - lo));
        double ci = Math.max(1.645 * std / Math.sqrt(hi - lo), 25e-9);
        int figures = (int) Math.floor(Math.log10(median() / ci));
        return Math.min(Math.max(figures, 1), 4);
    }

    /** {@code x} rounded to {@code n} significant figures: PyTorch's {@code trim_sigfig}. */
    static double trim(double x, int n) {
        if (x == 0 || !Double.isFinite(x)) return x;
        int magnitude = (int) Math.ceil(Math.log10(Math.abs(x)));
        double scale = Math.pow(10, magnitude - n);
        return Math.rint(x / scale) * scale;
    }

    /** One line, as {@code %timeit} prints: "1.23 ms ± 0.05 ms (median ± IQR) per loop, 57 runs × 10 loops". */
    public String summary() {
        Unit u = Unit.of(median());
        return String.format(Locale.ROOT, "%.3g %s ± %.2g %s (median ± IQR) per loop; mean %.3g %s ± %.2g %s std;"
                        + " %d run%s × %d loop%s, %d thread%s; warm-up %.2f s%s",
                median() / u.scale, u.symbol, iqr() / u.scale, u.symbol, mean() / u.scale, u.symbol, std() / u.scale,
                u.symbol, runs(), runs() == 1 ? "" : "s", loops, loops == 1 ? "" : "s", threads,
                threads == 1 ? "" : "s", warmupSeconds, hasWarnings() || !settled || runs() < 4 ? " (see warnings)" : "");
    }

    @Override
    public String toString() {
        Unit u = Unit.of(median());
        StringBuilder b = new StringBuilder();
        String title = mode.isEmpty() ? label : label + " / " + mode;
        if (!title.isEmpty()) b.append(title).append('\n');
        b.append(String.format(Locale.ROOT, "  Median: %.2f %s%n", median() / u.scale, u.symbol));
        b.append(String.format(Locale.ROOT, "  IQR:    %.2f %s (%.2f to %.2f)%n", iqr() / u.scale, u.symbol,
                quantile(0.25) / u.scale, quantile(0.75) / u.scale));
        b.append(String.format(Locale.ROOT, "  Mean:   %.2f %s ± %.2f %s std%n", mean() / u.scale, u.symbol,
                std() / u.scale, u.symbol));
        b.append(String.format(Locale.ROOT, "  %d runs, %d loop%s per run, %d thread%s; warm-up %.2f s (%d loops)",
                runs(), loops, loops == 1 ? "" : "s", threads, threads == 1 ? "" : "s", warmupSeconds, warmupLoops));
        for (String w : warnings()) b.append("\n  WARNING: ").append(w);
        return b.toString();
    }

    /** A time unit for display, chosen as PyTorch's {@code select_unit} does. */
    enum Unit {
        NS("ns", 1e-9, "nanoseconds"), US("µs", 1e-6, "microseconds"), MS("ms", 1e-3, "milliseconds"),
        S("s", 1, "seconds");

        final String symbol;
        final double scale;
        final String word;

        Unit(String symbol, double scale, String word) {
            this.symbol = symbol;
            this.scale = scale;
            this.word = word;
        }

        static Unit of(double seconds) {
            if (seconds < 1e-6) return NS;
            if (seconds < 1e-3) return US;
            if (seconds < 1) return MS;
            return S;
        }
    }
}
