package dev.nnlab.tensor;

import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Splits a loop over [0, n) in two halves, one on a persistent worker thread (the second core) and one on the
 * caller's thread; small loops stay whole on the caller's thread. Where a loop is cut depends on its size and the
 * core count only, never on timing, so results are the same bits from run to run; timing decides only who runs the
 * second half.
 *
 * <p>The hand-off is cheap and never waits for a late worker: the worker spins for {@link #SPIN_NS} after each task
 * (then parks), so a product that follows within that time is picked up in well under a microsecond; and a half the
 * worker has not started when the caller finishes its own is taken back and run by the caller. So on a loaded
 * machine, where the worker may not get a core in time, a split costs at most the hand-off, not a wait. A worker
 * that makes the caller wait (it lost its core to other processes) pauses the hand-offs, from
 * {@link #MIN_PAUSE_NS} up to {@link #MAX_PAUSE_NS} while that repeats: the caller then runs both halves in turn.
 * So it does while other processes keep the cores busy (the CPU time spent outside this process, checked by the
 * worker every {@link #CHECK_NS}), and while the JVM's own JIT compiles new code in a model's first seconds: a
 * hand-off then loses more to waits than it gains. One hand-off at a time; a split asked for while the worker is
 * busy (or from the worker itself) runs on the caller.
 */
final class Parallel {
    /** Below this many elements (or multiply-adds) the hand-off costs more than it saves. */
    static final int GRAIN = 1 << 16;
    /** How long the worker spins for the next task before it parks (a forward's products come every few us). */
    static final long SPIN_NS = 200_000;
    /**
     * How much longer than the caller's own half a wait for the worker may last before the worker counts as late:
     * the two tasks of {@link #both} differ in shape, and one may take up to twice the other's time on a free core.
     */
    static final long SLACK_NS = 50_000;
    /** The shortest and longest pause of splitting after a late worker. */
    static final long MIN_PAUSE_NS = 1_000_000, MAX_PAUSE_NS = 250_000_000;
    /** How often the worker looks at what other processes and the JIT use of the cores. */
    static final long CHECK_NS = 250_000_000;
    /**
     * Cores' worth of CPU time used outside this process (other processes, the kernel's interrupts, the
     * hypervisor's steal) or by this JVM's JIT compiler threads, averaged over about a second, from which no loop
     * splits. One busy process beside the caller and the worker makes 1, and so does C2 compiling a new model's
     * code in its first seconds: the worker then loses its core for whole time slices.
     */
    static final double CROWDED_CORES = 0.5;
    private static final int CORES = Runtime.getRuntime().availableProcessors();
    /** Two cores, and no OPENBLAS_NUM_THREADS=1 or OMP_NUM_THREADS=1 (a user asking for one thread gets one). */
    private static final boolean ENABLED = CORES > 1 && !"1".equals(env("OPENBLAS_NUM_THREADS"))
            && !"1".equals(env("OMP_NUM_THREADS"));
    private static final Path STAT = Path.of("/proc/stat"), SELF = Path.of("/proc/self/stat"),
            TASKS = Path.of("/proc/self/task");
    /** Whether other processes or the JIT keep the cores busy, as last seen by the worker. */
    private static volatile boolean crowded;
    /** The worker's last reading of the CPU times, and the averaged cores' worth that crowd the worker. */
    private static CpuTimes last;
    private static double crowding;
    private static final AtomicReference<Task> SLOT = new AtomicReference<>();
    private static volatile boolean parked;
    private static volatile boolean busy;
    /** The most threads kernels ran on at once since {@link #peakThreads} was last called. */
    private static volatile int peak = 1;
    private static final Thread WORKER = ENABLED ? start() : null;
    /** {@link System#nanoTime} before which loops do not split, and the pause the next late worker earns. */
    private static volatile long pausedUntil;
    private static long pause = MIN_PAUSE_NS;

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
        parts(n, count(n, work), (part, from, to) -> body.run(from, to));
    }

    /**
     * How many parts a loop over [0, n) of {@code work} elements is cut into: 1, or 2 when it is big enough and
     * there are two cores. This depends on the shape only, so results are the same bits whoever runs the parts;
     * whether the worker takes the second part is decided at run time ({@link #helps}).
     */
    static int count(int n, long work) {
        return !ENABLED || work <= GRAIN || n < 2 ? 1 : 2;
    }

    /**
     * Whether the worker should take a second part now: it is free and has been on time, the caller is not the
     * worker, and the machine is not crowded ({@link #crowdedNow}). Otherwise the caller runs both parts in turn.
     */
    private static boolean helps() {
        return !busy && !crowded && SLOT.get() == null && Thread.currentThread() != WORKER
                && System.nanoTime() - pausedUntil >= 0;
    }

    /**
     * Runs {@code body} over [0, n) in {@code count} parts (1, or 2 from {@link #count}), each knowing its index (for
     * per-part partial sums); the second part runs on the worker when it {@link #helps}, else after the first.
     */
    static void parts(int n, int count, Part body) {
        if (count == 1 || n < 2) {
            body.run(0, 0, n);
            return;
        }
        int mid = n >>> 1;
        if (!helps()) {
            body.run(0, 0, mid);
            body.run(1, mid, n);
            return;
        }
        Task other = offer(() -> body.run(1, mid, n));
        long start = System.nanoTime(), mine = start;
        try {
            body.run(0, 0, mid);
            mine = System.nanoTime();
        } finally {
            finish(other, mine - start);
        }
    }

    /** Runs two independent tasks, the second on the worker when {@code count} is 2 and it {@link #helps}. */
    static void both(int count, Runnable a, Runnable b) {
        if (count == 1 || !helps()) {
            a.run();
            b.run();
            return;
        }
        Task other = offer(b);
        long start = System.nanoTime(), mine = start;
        try {
            a.run();
            mine = System.nanoTime();
        } finally {
            finish(other, mine - start);
        }
    }

    /** Notes that a kernel ran on {@code threads} threads at once (for {@link #peakThreads}). */
    static void ran(int threads) {
        if (threads > peak) peak = threads;
    }

    /** The most threads kernels ran on at once since the previous call (1 when all ran on the caller's thread). */
    static int peakThreads() {
        int p = peak;
        peak = 1;
        return p;
    }

    /** Posts {@code r} for the worker; returns its task, or a task for the caller to run when the slot is taken. */
    private static Task offer(Runnable r) {
        Task t = new Task(r);
        if (!SLOT.compareAndSet(null, t)) return t;
        if (parked) LockSupport.unpark(WORKER);
        return t;
    }

    /**
     * Runs {@code t} here if the worker has not started it, else waits for the worker to end it. A late worker
     * (the caller waited for it longer than its own half took, {@code mine} ns, and {@link #SLACK_NS} more: the
     * split then cost more than it saved) lost its core: splitting pauses, twice as long each time that repeats,
     * half as long after a split that paid.
     */
    private static void finish(Task t, long mine) {
        if (t.claim()) {
            // not started (the worker was parked, or the slot taken): cheap, and no sign of a lost core
            SLOT.compareAndSet(t, null);
            t.body.run();
            return;
        }
        long from = System.nanoTime();
        for (int spins = 0; t.state.get() != Task.DONE; spins++) {
            if (spins < 1 << 14) {
                Thread.onSpinWait();
            } else {
                if (!WORKER.isAlive()) throw new IllegalStateException("nnlab-worker ended while running a task");
                Thread.yield();
            }
        }
        long now = System.nanoTime();
        if (now - from > mine + SLACK_NS) late();
        else pause = Math.max(pause >> 1, MIN_PAUSE_NS);
        if (t.error != null) {
            if (t.error instanceof RuntimeException e) throw e;
            if (t.error instanceof Error e) throw e;
            throw new IllegalStateException(t.error);
        }
    }

    /** Pauses splitting: the worker did not get a core in time. */
    private static void late() {
        pausedUntil = System.nanoTime() + pause;
        pause = Math.min(2 * pause, MAX_PAUSE_NS);
    }

    private static String env(String name) {
        String v = System.getenv(name);
        return v == null ? null : v.trim();
    }

    /**
     * The worker lives in the top thread group, not the caller's: a notebook's stop interrupts (or, on older JDKs,
     * stops) every thread of the cell's group, and the worker must outlive cells.
     */
    private static Thread start() {
        ThreadGroup group = Thread.currentThread().getThreadGroup();
        while (group.getParent() != null) group = group.getParent();
        Thread t = new Thread(group, Parallel::work, "nnlab-worker");
        t.setContextClassLoader(Parallel.class.getClassLoader());
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** The worker's loop: take a task, run it, spin a while for the next, then park; now and then, look at the load. */
    private static void work() {
        long checked = System.nanoTime();
        crowded = crowdedNow();
        while (true) {
            if (System.nanoTime() - checked > CHECK_NS) {
                checked = System.nanoTime();
                crowded = crowdedNow();
            }
            Task t = SLOT.get();
            if (t == null) {
                long until = System.nanoTime() + SPIN_NS;
                while ((t = SLOT.get()) == null && System.nanoTime() < until) Thread.onSpinWait();
                if (t == null) {
                    Thread.interrupted(); // a stray interrupt would make every park return at once
                    parked = true;
                    if (SLOT.get() == null) LockSupport.parkNanos(CHECK_NS);
                    parked = false;
                    continue;
                }
            }
            if (!SLOT.compareAndSet(t, null) || !t.claim()) continue;
            busy = true;
            if (peak < 2) peak = 2;
            try {
                t.body.run();
            } catch (Throwable e) {
                t.error = e;
            } finally {
                busy = false;
                t.state.set(Task.DONE);
            }
        }
    }

    /**
     * Whether other processes or the JIT keep the cores busy: the CPU time spent outside this process or by its JIT
     * compiler threads since the last look ({@link CpuTimes#crowding}), averaged over about a second, above
     * {@link #CROWDED_CORES}; where /proc is missing, a load average above cores + 1.
     */
    private static boolean crowdedNow() {
        try {
            List<String> tasks = new ArrayList<>();
            try (DirectoryStream<Path> dir = Files.newDirectoryStream(TASKS)) {
                for (Path task : dir) {
                    try {
                        tasks.add(Files.readString(task.resolve("stat")));
                    } catch (java.io.IOException ended) {
                        // the thread ended meanwhile
                    }
                }
            }
            CpuTimes now = CpuTimes.read(Files.readString(STAT), Files.readString(SELF), CpuTimes.jit(tasks),
                    System.nanoTime());
            if (last != null) crowding = 0.5 * crowding + 0.5 * now.crowding(last);
            last = now;
            return crowding > CROWDED_CORES;
        } catch (java.io.IOException | RuntimeException e) {
            return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage() > CORES + 1;
        }
    }

    /**
     * The machine's busy CPU time, this process's own and its JIT compiler threads', in clock ticks, at
     * {@code nanos}: from the first line of /proc/stat (user, nice, system, irq, softirq and steal; guest time is
     * already in user) and the utime and stime fields of /proc/self/stat and of its threads' stat files.
     */
    record CpuTimes(long busy, long own, long jit, long nanos) {
        /** Linux's USER_HZ, the unit of these files. */
        static final int TICKS_PER_SECOND = 100;

        static CpuTimes read(String stat, String self, long jit, long nanos) {
            String[] cpu = stat.substring(0, stat.indexOf('\n')).trim().split("\\s+");
            if (!cpu[0].equals("cpu")) throw new IllegalArgumentException("not /proc/stat: " + cpu[0]);
            long busy = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) busy += Long.parseLong(cpu[i]);
            return new CpuTimes(busy, ticks(self), jit, nanos);
        }

        /** The CPU ticks of the threads (their /proc/self/task/N/stat) that are HotSpot's C1 or C2 compilers. */
        static long jit(List<String> threads) {
            long sum = 0;
            for (String t : threads) {
                String name = t.substring(t.indexOf('(') + 1, t.lastIndexOf(')'));
                if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) sum += ticks(t);
            }
            return sum;
        }

        /** utime + stime of a stat line; the name, in parentheses, may hold spaces: fields count after its ')'. */
        private static long ticks(String stat) {
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        }

        /**
         * Cores' worth of CPU time used between {@code before} and this reading outside this process, or by its
         * JIT compilers (a compiler thread that ended takes its ticks along: that counts as none).
         */
        double crowding(CpuTimes before) {
            double ticks = (nanos - before.nanos) * 1e-9 * TICKS_PER_SECOND;
            if (ticks <= 0) return 0;
            return (Math.max(0, (busy - before.busy) - (own - before.own)) + Math.max(0, jit - before.jit)) / ticks;
        }
    }

    /** One half of a split: posted, then claimed by the worker or taken back by the caller, then done. */
    private static final class Task {
        static final int POSTED = 0, CLAIMED = 1, DONE = 2;
        final Runnable body;
        final AtomicInteger state = new AtomicInteger(POSTED);
        Throwable error;

        Task(Runnable body) {
            this.body = body;
        }

        boolean claim() {
            return state.compareAndSet(POSTED, CLAIMED);
        }
    }
}
