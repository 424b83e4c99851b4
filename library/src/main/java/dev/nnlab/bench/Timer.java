package dev.nnlab.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.concurrent.CancellationException;

/**
 * How to time a statement, as {@code torch.utils.benchmark.Timer}: a warm-up that lasts until times and the JIT
 * have settled, a loop count chosen so that timer overhead is negligible, then runs until {@link #minTime} has been
 * spent timing.
 * The result is a {@link Measurement}. An interrupted thread (a notebook's stop button) ends the timing between two
 * runs with a {@link CancellationException}.
 *
 * <pre>{@code Measurement m = new Timer(() -> model.call(x)).label("mlp").minTime(0.5).blockedAutorange();}</pre>
 */
public final class Timer {
    /** A source of nanoseconds and of JIT activity; tests inject one to feed the timer synthetic timings. */
    @FunctionalInterface
    public interface Clock {
        long nanoTime();

        /** Milliseconds the JIT has spent compiling so far: a change means it is still at work. */
        default long compileMillis() {
            return jitMillis();
        }
    }

    /** Warm-up blocks compared to decide that times have settled: the last window against the one before. */
    static final int WINDOW = 5;
    /** The last window may be at most this much faster than the one before and still count as settled. */
    static final double SETTLED = 0.05;
    private static final long WARM_BLOCK_NS = 2_000_000L;
    /** Warm-up also waits for the JIT to be quiet (no compilation finished) for this long, or a tenth of warm-up. */
    private static final long QUIET_NS = 20_000_000L;
    private static final CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();
    private static final long PROGRESS_NS = 50_000_000L;

    private final Runnable stmt;
    private Runnable setup = () -> { };
    private String label = "stmt";
    private String mode = "";
    private double minTime = 0.2;
    private double minWarmup = 0.2;
    private double maxWarmup = 3.0;
    private int threads = blasThreads() > 0 ? blasThreads() : Runtime.getRuntime().availableProcessors();
    private Clock clock = System::nanoTime;
    private ProgressListener progress = ProgressListener.NONE;
    private long lastReport;

    public Timer(Runnable stmt) {
        if (stmt == null) throw new IllegalArgumentException("Timer needs a statement to time, got null");
        this.stmt = stmt;
    }

    /** Run once before warm-up, untimed (PyTorch's {@code setup}). */
    public Timer setup(Runnable setup) {
        this.setup = setup == null ? () -> { } : setup;
        return this;
    }

    /** The row this measurement belongs to in a {@link Compare} (PyTorch's label / sub_label). */
    public Timer label(String label) {
        this.label = label;
        return this;
    }

    /** The column this measurement belongs to in a {@link Compare} ("fwd", "nograd", ...; PyTorch's description). */
    public Timer mode(String mode) {
        this.mode = mode == null ? "" : mode;
        return this;
    }

    /** Seconds of timed runs, at least (PyTorch's {@code min_run_time}; default 0.2). */
    public Timer minTime(double seconds) {
        if (!(seconds > 0)) throw new IllegalArgumentException("minTime must be positive, got " + seconds);
        this.minTime = seconds;
        return this;
    }

    /** Warm-up runs at least {@code min} seconds and stops at {@code max} even if times are still falling. */
    public Timer warmup(double min, double max) {
        checkWarmup(min, max);
        this.minWarmup = min;
        this.maxWarmup = max;
        return this;
    }

    /** The thread count to report (by default OpenBLAS's: OPENBLAS_NUM_THREADS, or every core). */
    public Timer threads(int threads) {
        this.threads = threads;
        return this;
    }

    public Timer clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    public Timer progress(ProgressListener progress) {
        this.progress = progress == null ? ProgressListener.NONE : progress;
        return this;
    }

    static void checkWarmup(double min, double max) {
        if (!(min >= 0) || !(max >= min)) {
            throw new IllegalArgumentException("warm-up needs 0 <= min <= max, got min " + min + " and max " + max);
        }
    }

    /** Times runs until {@code minTime} seconds are spent; like {@code Timer.blocked_autorange}. */
    public Measurement blockedAutorange() {
        setup.run();
        Warmup w = warmUp();
        int loops = estimateLoops(minTime);
        double[] times = runs(loops, minTime, 0, Double.POSITIVE_INFINITY);
        return new Measurement(label, mode, times, loops, threads, w.seconds, w.loops, w.settled);
    }

    /** Times runs until IQR/median falls below 0.1, within [0.01, 10] s; like {@code Timer.adaptive_autorange}. */
    public Measurement adaptiveAutorange() {
        return adaptiveAutorange(0.1, 0.01, 10.0);
    }

    /** Times runs until IQR/median is below {@code threshold}, spending between min and max seconds. */
    public Measurement adaptiveAutorange(double threshold, double minRunTime, double maxRunTime) {
        if (!(threshold > 0) || !(minRunTime >= 0) || !(maxRunTime >= minRunTime)) {
            throw new IllegalArgumentException("adaptiveAutorange needs threshold > 0 and 0 <= minRunTime <= maxRunTime,"
                    + " got " + threshold + ", " + minRunTime + ", " + maxRunTime);
        }
        setup.run();
        Warmup w = warmUp();
        int loops = estimateLoops(0.05);
        double[] times = runs(loops, minRunTime, threshold, maxRunTime);
        return new Measurement(label, mode, times, loops, threads, w.seconds, w.loops, w.settled);
    }

    private record Warmup(double seconds, long loops, boolean settled) { }

    /**
     * Runs blocks of about 2 ms until the median of the last {@link #WINDOW} blocks is no more than
     * {@link #SETTLED} faster than the median of the window before it and the JIT has finished no compilation for
     * a while (20 ms or a tenth of the warm-up so far), or until {@code maxWarmup}. Times alone can look flat while a
     * starved compiler thread still has the hot code queued.
     */
    private Warmup warmUp() {
        long start = clock.nanoTime();
        long jit = clock.compileMillis(), quietSince = start;
        double[] perLoop = new double[64];
        int n = 0, loops = 1;
        long total = 0;
        boolean settled = false;
        report(0, "warming up");
        while (true) {
            checkInterrupt();
            long t = timeBlock(loops);
            total += loops;
            if (n == perLoop.length) perLoop = Arrays.copyOf(perLoop, 2 * n);
            perLoop[n++] = (double) t / loops;
            long now = clock.nanoTime(), elapsed = now - start, j = clock.compileMillis();
            if (j != jit) {
                jit = j;
                quietSince = now;
            }
            boolean quiet = now - quietSince >= Math.max(QUIET_NS, elapsed / 10);
            if (elapsed >= minWarmup * 1e9 && n >= 2 * WINDOW && quiet && !falling(perLoop, n, WINDOW)) {
                settled = true;
                break;
            }
            if (elapsed >= maxWarmup * 1e9) {
                int w = Math.min(WINDOW, n / 2);
                settled = quiet && (w < 2 || !falling(perLoop, n, w));
                break;
            }
            if (t < WARM_BLOCK_NS && loops < 1 << 24) loops *= 2;
            reportEvery(0, "warming up");
        }
        return new Warmup((clock.nanoTime() - start) / 1e9, total, settled);
    }

    /** True when the median of the last {@code w} values is more than {@link #SETTLED} below the w before them. */
    static boolean falling(double[] v, int n, int w) {
        return median(v, n - w, n) < (1 - SETTLED) * median(v, n - 2 * w, n - w);
    }

    private static double median(double[] v, int from, int to) {
        double[] s = Arrays.copyOfRange(v, from, to);
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
    }

    /** PyTorch's {@code _estimate_block_size}: grow the loop count tenfold until overhead is below 1e-4. */
    private int estimateLoops(double runTime) {
        long[] empty = new long[5];
        for (int i = 0; i < empty.length; i++) empty[i] = timeBlock(0);
        Arrays.sort(empty);
        double overhead = empty[2];
        int loops = 1;
        while (true) {
            checkInterrupt();
            long t = timeBlock(loops);
            if (t > 0 && overhead / t <= 1e-4 && t >= runTime / 1000 * 1e9) break;
            if (t > runTime * 1e9 || loops > Integer.MAX_VALUE / 10) break;
            loops *= 10;
        }
        return loops;
    }

    /** Timed runs until {@code minRun} seconds are spent and (with a threshold) IQR/median is below it. */
    private double[] runs(int loops, double minRun, double threshold, double maxRun) {
        double[] times = new double[64];
        int n = 0;
        double total = 0;
        while (true) {
            checkInterrupt();
            long t = timeBlock(loops);
            if (n == times.length) times = Arrays.copyOf(times, 2 * n);
            times[n++] = t / 1e9 / loops;
            total += t / 1e9;
            // checking the spread sorts every time: check about 16 times per doubling of the runs
            boolean canStop = threshold == 0 || n > 3 && n % Math.max(1, n / 16) == 0 && confident(times, n, threshold);
            if (total >= minRun && canStop || total > maxRun) break;
            reportEvery(Math.min(total / (threshold == 0 ? minRun : maxRun), 0.99), "measuring");
        }
        report(1, "done");
        return Arrays.copyOf(times, n);
    }

    private static boolean confident(double[] times, int n, double threshold) {
        Measurement m = new Measurement("", "", Arrays.copyOf(times, n), 1, 0);
        return m.iqr() / m.median() < threshold;
    }

    private long timeBlock(int loops) {
        long t0 = clock.nanoTime();
        for (int i = 0; i < loops; i++) stmt.run();
        return clock.nanoTime() - t0;
    }

    private void checkInterrupt() {
        if (Thread.currentThread().isInterrupted()) {
            throw new CancellationException(name() + ": benchmark interrupted");
        }
    }

    private void reportEvery(double fraction, String what) {
        long now = System.nanoTime();
        if (now - lastReport >= PROGRESS_NS) report(fraction, what);
    }

    private void report(double fraction, String what) {
        lastReport = System.nanoTime();
        progress.update(fraction, name() + ": " + what);
    }

    private String name() {
        return mode.isEmpty() ? label : label + " " + mode;
    }

    /** Milliseconds this JVM's JIT has spent compiling (0 when the JVM does not say). */
    static long jitMillis() {
        return JIT != null && JIT.isCompilationTimeMonitoringSupported() ? JIT.getTotalCompilationTime() : 0;
    }

    /** OpenBLAS's thread count as read from the environment at start-up (0: its default, every core). */
    static int blasThreads() {
        String v = System.getenv("OPENBLAS_NUM_THREADS");
        try {
            return v == null ? 0 : Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
