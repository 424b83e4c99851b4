package dev.nnlab.kernel.eval;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import jdk.jshell.SourceCodeAnalysis;

/**
 * Keeps JShell's class-path index (the JDK's and the jars' class names, which the completion of package names reads)
 * for the moments when no cell has run for a while. JShell starts the index as soon as its source analysis is made
 * and pauses it only while a snippet compiles, so it ran between a cell's snippets and between cells: on two cores
 * its 130-170 ms of CPU, and the collections its garbage caused, made a session's first 30 cells at once
 * 24-25 ms each; with the index paused, 13.5-16.4 (JDK 17, 4 kernels each). A completion request resumes it at once
 * and waits for it a little: without it {@code java.ut} completes to nothing.
 *
 * <p>JShell's own pause ({@code suspendIndexing}) is public in a class that is not, so it is reached with
 * {@code jdk.jshell} opened to this code (the kernel jar's manifest opens it); where it is not open, the index is
 * made as JShell makes it.
 */
final class Indexing {
    /** How long no cell must have run before the index is made. */
    static final Duration IDLE = Duration.ofMillis(500);
    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private final SourceCodeAnalysis analysis;
    private final Method suspend;
    private final Method resume;
    private final Field made;
    private final Field wanted;
    private final Duration idle;
    private boolean paused;
    private ScheduledFuture<?> resuming;

    private Indexing(SourceCodeAnalysis analysis, Method suspend, Method resume, Field made, Field wanted,
            Duration idle) {
        this.analysis = analysis;
        this.suspend = suspend;
        this.resume = resume;
        this.made = made;
        this.wanted = wanted;
        this.idle = idle;
    }

    /** The index of this source analysis, paused now and resumed after {@code idle} unless a cell comes first. */
    static Indexing of(SourceCodeAnalysis analysis, Duration idle) {
        Method suspend = null;
        Method resume = null;
        Field made = null;
        Field wanted = null;
        try {
            suspend = analysis.getClass().getMethod("suspendIndexing");
            resume = analysis.getClass().getMethod("resumeIndexing");
            made = analysis.getClass().getDeclaredField("indexVersion");
            wanted = analysis.getClass().getDeclaredField("classpathVersion");
            suspend.setAccessible(true);
            resume.setAccessible(true);
            made.setAccessible(true);
            wanted.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            suspend = resume = null; // jdk.jshell not opened, or laid out otherwise: JShell indexes as it does
            made = wanted = null;
        }
        Indexing indexing = new Indexing(analysis, suspend, resume, made, wanted, idle);
        indexing.pause();
        indexing.resumeLater();
        return indexing;
    }

    /** A cell starts: the index waits (JShell finishes the file in hand). */
    synchronized void pause() {
        cancelResuming();
        if (!paused && suspend != null) {
            paused = call(suspend);
        }
    }

    /** A cell ended: the index resumes once no cell has started for {@link #IDLE}. */
    synchronized void resumeLater() {
        cancelResuming();
        if (paused) {
            resuming = TIMER.schedule(this::resume, idle.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Resumes the index now (completion reads it). */
    synchronized void resume() {
        cancelResuming();
        if (paused) {
            paused = !call(resume);
        }
    }

    /** Resumes the index now and waits until it is made, at most {@code max}; true if it was made. */
    boolean resumeAndAwait(Duration max) {
        resume();
        long deadline = System.nanoTime() + max.toNanos();
        while (!made()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** True once the index covers the class path as it is (and where that cannot be read). */
    boolean made() {
        try {
            return made == null || made.getInt(analysis) == wanted.getInt(analysis);
        } catch (IllegalAccessException e) {
            return true;
        }
    }

    /** True while this pauses the index. */
    synchronized boolean paused() {
        return paused;
    }

    private void cancelResuming() {
        if (resuming != null) {
            resuming.cancel(false);
            resuming = null;
        }
    }

    private boolean call(Method m) {
        try {
            m.invoke(analysis);
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "nnlab-indexing");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }
}
