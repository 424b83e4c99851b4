package dev.nnlab.kernel.eval;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.function.BooleanSupplier;
import jdk.jshell.JShell;
import jdk.jshell.SourceCodeAnalysis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JShell's class-path index is made only while no cell runs. */
class IndexingTest {
    private static final Duration NEVER = Duration.ofHours(1);

    @Test
    void aPausedIndexWaitsUntilResumed(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("p"));
        try (JShell shell = JShell.builder().executionEngine("local").build()) {
            SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
            Indexing indexing = Indexing.of(analysis, NEVER);
            try {
                assertTrue(indexing.paused(), "JShell's pause was not reached: is jdk.jshell opened to this code?");
                // a directory JShell has not indexed yet, which its indexer walks file by file, pausing between
                shell.addToClasspath(dir.toString());
                await(IndexingTest::indexerWaits, "JShell's indexer never waited for the pause to end");
                assertFalse(upToDate(analysis), "the index was made while paused");
                assertFalse(indexing.made());
                assertTrue(indexing.resumeAndAwait(Duration.ofSeconds(60)), "the index was not made once resumed");
                assertFalse(indexing.paused());
                assertTrue(upToDate(analysis), "JShell does not see the index it made");
            } finally {
                indexing.resume();
            }
        }
    }

    @Test
    void aCellPausesTheIndexUntilNoCellHasRunForAWhile() {
        try (Repl slow = new Repl(IndexingTest.class.getClassLoader(), NEVER)) {
            try {
                slow.eval("1 + 1", "t", 0);
                assertTrue(slow.indexing().paused());
                slow.indexNow();
                assertFalse(slow.indexing().paused());
                slow.eval("2 + 1", "t", 0);
                assertTrue(slow.indexing().paused(), "a cell after the index resumed did not pause it again");
            } finally {
                slow.indexNow();
            }
        }
        try (Repl quick = new Repl(IndexingTest.class.getClassLoader(), Duration.ofMillis(1))) {
            quick.eval("1 + 1", "t", 0);
            await(() -> !quick.indexing().paused(), "the index did not resume once the cells had ended");
        }
    }

    @Test
    void completionResumesTheIndexAtOnce() {
        try (Repl repl = new Repl(IndexingTest.class.getClassLoader(), NEVER)) {
            try {
                repl.eval("1 + 1", "t", 0);
                new Analysis(repl, Set::of).complete("java.ut", 7);
                assertFalse(repl.indexing().paused(), "completion, which reads the index, left it paused");
            } finally {
                repl.indexNow();
            }
        }
    }

    private static boolean upToDate(SourceCodeAnalysis analysis) {
        return analysis.listQualifiedNames("ArrayList", "ArrayList".length()).isUpToDate();
    }

    private static boolean indexerWaits() {
        return Thread.getAllStackTraces().entrySet().stream()
                .anyMatch(e -> e.getKey().getState() == Thread.State.WAITING && Arrays.stream(e.getValue())
                        .anyMatch(f -> f.getMethodName().equals("waitIndexingNotSuspended")));
    }

    private static void await(BooleanSupplier condition, String message) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail(message + " within 60 s");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }
}
