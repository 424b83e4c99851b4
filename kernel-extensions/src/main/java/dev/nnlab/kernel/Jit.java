package dev.nnlab.kernel;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.management.ObjectName;

/**
 * Gives the session's first cells the cores, then keeps javac and JShell out of the C2 compiler.
 *
 * <p>Until {@link #CELLS} cells have run, or one cell has run for {@link #LONG_CELL}, or the warm-up starts, the C2
 * compiler threads are in Linux's idle scheduling class (SCHED_IDLE, set with {@code chrt}): they run only on a core
 * that nothing else wants. On two cores C2, compiling the JDK's and javac's hot methods, took most of a core from the
 * start-up's and the cells' javac tasks. Launch to the first cell's result (medians of 10 interleaved kernels): 483 ms
 * with SCHED_IDLE, 504 ms at nice 10, 523 ms with neither. Given back after the first cell, the first 30
 * cells at once took 14.9-18.3 ms each; after the 30th, 12.7-15.0 (medians of 4 interleaved kernels, three times). A
 * cell that runs long does work that wants C2 (a training loop, a benchmark). Only where this process may give the
 * normal class back (CAP_SYS_NICE or RLIMIT_NICE), so that no session keeps a slow C2. Linux only;
 * {@code -Dnnlab.c2Nice=false} leaves the scheduling as it is.
 *
 * <p>Each cell runs two javac passes through thousands of javac methods; over a session's first few hundred cells
 * C2 kept compiling them, about as much CPU again as the cells themselves, while C1's code runs javac almost as
 * fast. The library and cell code keep C2, and what C2 compiled before stays. Set at JVM start the directive made
 * the boot slower, and set at the end of the boot the first 30 cells (javac then ran longer on profiled C1 code),
 * so it comes after {@link #CELLS} cells. {@code -Dnnlab.javacC2=true} leaves the JIT as it is.
 */
final class Jit {
    /** HotSpot compiler directives (the format of {@code -XX:CompilerDirectivesFile}). */
    static final String DIRECTIVES = "[{ match: [\"com/sun/tools/javac/*.*\", \"jdk/jshell/*.*\","
            + " \"jdk/internal/shellsupport/*.*\"], c2: { Exclude: true } }]";
    private static final String DCMD = "com.sun.management:type=DiagnosticCommand";
    /** Executed cells after which C2 gets its priority back and the directive is added. */
    static final int CELLS = 30;
    /** How long one cell may run before C2 gets its priority back. */
    static final Duration LONG_CELL = Duration.ofSeconds(1);
    private static Thread deferring;
    private static boolean restoring;
    private static ScheduledThreadPoolExecutor timer;
    private static ScheduledFuture<?> longCell;

    private Jit() {
    }

    /** {@link #limitJavac()} on a thread of its own, so that no cell waits for it. */
    static void limitJavacSoon() {
        daemon(Jit::limitJavac);
    }

    /** Puts the C2 compiler threads in the idle scheduling class, on a thread of its own, where allowed. */
    static synchronized void deferC2Soon() {
        if (deferring == null && !System.getProperty("nnlab.c2Nice", "true").equals("false") && mayRaisePriority()) {
            deferring = daemon(() -> {
                if (!scheduleC2(false)) {
                    Log.warn("the C2 compiler threads stay in the normal scheduling class (chrt failed)");
                }
            });
            timer = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "nnlab-jit");
                t.setDaemon(true);
                return t;
            });
            timer.setRemoveOnCancelPolicy(true);
        }
    }

    /** A cell starts: while C2 waits, it gets its priority back once the cell has run for {@link #LONG_CELL}. */
    static synchronized void cellStarted() {
        if (deferring != null && !restoring) {
            longCell = timer.schedule(Jit::restoreC2Soon, LONG_CELL.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** The {@code executed}-th cell ended: the {@link #CELLS}-th gives C2 its priority back, and javac leaves C2. */
    static synchronized void cellEnded(int executed) {
        if (longCell != null) {
            longCell.cancel(false);
            longCell = null;
        }
        if (executed == CELLS) {
            restoreC2Soon();
            limitJavacSoon();
        }
    }

    /** Gives the C2 compiler threads the normal scheduling class back, once {@link #deferC2Soon()} has taken it. */
    static synchronized void restoreC2Soon() {
        Thread lowered = deferring;
        if (lowered != null && !restoring) {
            restoring = true;
            daemon(() -> {
                try {
                    lowered.join();
                } catch (InterruptedException e) {
                    return;
                }
                if (!scheduleC2(true)) {
                    Log.warn("the C2 compiler threads could not get their priority back (chrt failed)");
                }
            });
            timer.shutdown();
        }
    }

    private static Thread daemon(Runnable r) {
        Thread t = new Thread(r, "nnlab-jit");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * True where this process may leave the idle scheduling class again: CAP_SYS_NICE, or an RLIMIT_NICE of 20 (nice 0)
     * or more.
     */
    static boolean mayRaisePriority() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:") && (Long.parseLong(line.substring(7).strip(), 16) >> 23 & 1) == 1) {
                    return true;
                }
            }
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max nice priority")) {
                    String soft = line.substring("Max nice priority".length()).strip().split("\\s+")[0];
                    return soft.equals("unlimited") || Integer.parseInt(soft) >= 20;
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc: not Linux
        }
        return false;
    }

    /**
     * Puts this JVM's C2 compiler threads (found by name in /proc) in the normal scheduling class or the idle one, with
     * chrt, one thread each; true if it did for all.
     */
    static boolean scheduleC2(boolean normal) {
        List<Process> chrts = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                if (name(task).startsWith("C2 CompilerThre")) {
                    chrts.add(new ProcessBuilder("chrt", normal ? "--other" : "--idle", "--pid", "0",
                            task.getFileName().toString()).redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
                }
            }
            boolean all = !chrts.isEmpty();
            for (Process p : chrts) {
                all &= p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0;
            }
            return all;
        } catch (IOException | RuntimeException e) {
            return false; // no /proc or no chrt: the scheduling stays as it is
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The thread's name, or "" for one that ended after the listing (a cell's thread, say). */
    private static String name(Path task) {
        try {
            return Files.readString(task.resolve("comm"));
        } catch (IOException e) {
            return "";
        }
    }

    /** Adds {@link #DIRECTIVES} to this JVM; a JVM without the diagnostic command keeps its JIT as it is. */
    static void limitJavac() {
        if (Boolean.getBoolean("nnlab.javacC2")) {
            return;
        }
        Path file = null;
        try {
            file = Files.createTempFile("nnlab-jit-", ".json");
            Files.writeString(file, DIRECTIVES);
            String out = dcmd("compilerDirectivesAdd", file.toString());
            if (!out.contains("1 compiler directives added")) {
                Log.warn("javac's JIT directive was not taken: " + out.strip());
            }
        } catch (Exception | LinkageError e) {
            Log.warn("javac's JIT directive was not taken: " + e);
        } finally {
            if (file != null) {
                file.toFile().delete();
            }
        }
    }

    /** Runs a HotSpot diagnostic command (what jcmd runs) in this JVM and returns its output. */
    static String dcmd(String operation, String... args) throws Exception {
        return String.valueOf(ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName(DCMD), operation,
                new Object[] {args}, new String[] {String[].class.getName()}));
    }
}
