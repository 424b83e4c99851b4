package dev.nnlab.kernel;

import dev.nnlab.kernel.eval.CellException;
import dev.nnlab.kernel.eval.Repl;
import java.util.List;

/**
 * Warms javac while the kernel waits for its first cell, on a JShell of its own that is then thrown away:
 * the user's JShell, history and execution count never see it. The JIT's compiled javac is shared, so
 * the user's cells get it. It stops at the first request that needs the user's JShell, after at most
 * the snippet it is compiling, and never starts again. A warm-up that ran to its end collects its garbage, so that
 * the kernel's serial collector can shrink the heap again (with ParallelGC a warmed kernel had 280-540 MiB
 * resident after its first cell). {@code -Dnnlab.warmUp=false} turns it off.
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
     * ran to its end then collects the garbage, its JShell's included, so that the heap can shrink again.
     */
    void run(ClassLoader parent) {
        if (stop) {
            return;
        }
        try (Repl r = Repl.scratch(parent)) {
            Startup.imports(r);
            for (int k = 0; k < ROUNDS; k++) {
                for (String s : SNIPPETS) {
                    if (!eval(r, s)) {
                        return;
                    }
                }
            }
        } catch (RuntimeException | LinkageError e) {
            Log.warn("the warm-up stopped: " + e);
            return;
        }
        if (!stop) {
            System.gc();
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
