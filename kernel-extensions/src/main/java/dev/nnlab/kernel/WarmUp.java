package dev.nnlab.kernel;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.nnlab.kernel.eval.CellException;
import dev.nnlab.kernel.eval.Repl;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.util.List;

/**
 * Warms javac while the kernel waits for its first cell, on a JShell of its own that is then thrown away:
 * the user's JShell, history and execution count never see it. The JIT's compiled javac is shared, so
 * the user's cells get it. It stops at the first request that needs the user's JShell, after at most
 * the snippet it is compiling, and never starts again. A warm-up that ran to its end gives the heap it grew back
 * ({@link #shrinkHeap}). {@code -Dnnlab.warmUp=false} turns it off.
 */
final class WarmUp {
    /** The system property that turns the warm-up off ({@code false}). */
    static final String PROPERTY = "nnlab.warmUp";

    /**
     * Single snippets of the kinds cells hold (each goes to JShell whole: splitting cells would start the
     * class-path indexing of JShell's source analysis in this JShell too); none prints, none touches the
     * library, whose first tensor prints its BLAS.
     */
    static final List<String> SNIPPETS = List.of("1 + 1", "int x = 2;", "x * 3", "String f(int n) { return \"\" + n; }",
            "f(x)", "class P { int v; }", "new P().v", "List.of(1, 2).size()", "var s = \"a\" + x;", "s.length()",
            "x = 3", "double[] d = {1, 2};", "d[0] + d[1]", "Map<String, Integer> m = new HashMap<>();");
    /** About 110 snippets: 4-6 s on this machine's two busy cores, what a user reading the notebook gives it. */
    static final int ROUNDS = 8;
    /**
     * Full collections after the warm-up, at least and at most. The serial collector shrinks the old generation by
     * 0%, 10%, 40% and then all of the excess over {@code MaxHeapFreeRatio} in consecutive collections, and each
     * collection with less free heap clears more of javac's soft caches, so the live size itself falls for a few.
     */
    static final int MIN_COLLECTIONS = 4, MAX_COLLECTIONS = 12;
    /**
     * Milliseconds between those collections. Back to back (each 60-140 ms on this machine) they left the shell thread
     * too little time to see a cell and stop them: a first cell sent as they began waited 170-390 ms, for the three
     * or four collections after it too; with 50 ms between them, and the stop looked at after each pause, 29-41 ms
     * (6 kernels).
     */
    static final int PAUSE_MS = 50;

    private volatile boolean stop;
    private volatile int done;

    /** Stops the warm-up after the snippet in hand. */
    void stop() {
        stop = true;
    }

    /** Snippets evaluated so far. */
    int done() {
        return done;
    }

    /**
     * Evaluates the start-up imports, then {@link #ROUNDS} rounds of {@link #SNIPPETS}, unless stopped. One that
     * ran to its end then gives the heap back ({@link #shrinkHeap}), once its JShell is out of every frame.
     */
    void run(ClassLoader parent) {
        if (warm(parent) && !stop) {
            shrinkHeap();
        }
    }

    /** True when every snippet ran. */
    private boolean warm(ClassLoader parent) {
        if (stop) {
            return false;
        }
        try (Repl r = Repl.scratch(parent)) {
            Startup.imports(r);
            for (int k = 0; k < ROUNDS; k++) {
                for (String s : SNIPPETS) {
                    if (!eval(r, s)) {
                        return false;
                    }
                }
            }
            return true;
        } catch (RuntimeException | LinkageError e) {
            Log.warn("the warm-up stopped: " + e);
            return false;
        }
    }

    /**
     * Collects the warm-up's garbage, its JShell's included, with the heap's free-ratio bounds lowered to 10%, so that
     * the serial collector gives back what the warm-up grew: 209-218 MiB resident after the first cell without this,
     * 196-203 MiB with it (about 50 MiB live). The bounds are then restored, and the heap grows as a session needs.
     * It collects until a collection changes neither the heap's size nor (by 1%) its live size. Stops early at a
     * request, as the warm-up does. A JVM without the management bean just collects once.
     */
    private void shrinkHeap() {
        HotSpotDiagnosticMXBean vm;
        try {
            vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        } catch (RuntimeException | LinkageError e) {
            System.gc();
            return;
        }
        String min = vm.getVMOption("MinHeapFreeRatio").getValue(), max = vm.getVMOption("MaxHeapFreeRatio").getValue();
        try {
            vm.setVMOption("MinHeapFreeRatio", "10");
            vm.setVMOption("MaxHeapFreeRatio", "10");
            MemoryMXBean heap = ManagementFactory.getMemoryMXBean();
            MemoryUsage last = heap.getHeapMemoryUsage();
            for (int i = 1; i <= MAX_COLLECTIONS; i++) {
                if (i > 1) {
                    Thread.sleep(PAUSE_MS);
                }
                if (stop) {
                    break;
                }
                System.gc();
                MemoryUsage now = heap.getHeapMemoryUsage();
                boolean settled = now.getCommitted() == last.getCommitted()
                        && Math.abs(now.getUsed() - last.getUsed()) < last.getUsed() / 100;
                if (settled && i >= MIN_COLLECTIONS) {
                    break;
                }
                last = now;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            Log.warn("the heap was not shrunk after the warm-up: " + e);
        } finally {
            vm.setVMOption("MaxHeapFreeRatio", max);
            vm.setVMOption("MinHeapFreeRatio", min);
        }
    }

    private boolean eval(Repl r, String code) {
        if (stop) {
            return false;
        }
        try {
            r.evalSnippet(code, "warm-up");
        } catch (CellException e) {
            // a snippet that fails warms javac as well
        }
        done++;
        return !stop;
    }
}
