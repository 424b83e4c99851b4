package dev.nnlab.kernel.magics;

import java.util.concurrent.Callable;
import org.dflib.jjava.jupyter.kernel.BaseKernel;

/**
 * Runs a magic's long Java work on the session's own snippet thread, by evaluating a call to {@link #runPending} as a
 * cell expression. The kernel's interrupt (JShell's stop) then reaches it as it reaches any cell: a thread interrupt
 * on JDK 25, an asynchronous stop on JDK 17. Bad-input exceptions come back to the magic to be reported with its usage.
 */
public final class InSession {
    private record Failed(RuntimeException error) { }

    private static volatile Callable<?> pending;

    private InSession() {
    }

    /** Runs {@code job} in the session and returns its result; its IllegalArgument/IllegalState exceptions are rethrown. */
    public static synchronized <T> T call(BaseKernel kernel, Callable<T> job) {
        pending = job;
        Object v;
        try {
            v = kernel.evalRaw(InSession.class.getName() + ".runPending()");
        } finally {
            pending = null;
        }
        if (v instanceof Failed f) {
            throw f.error;
        }
        @SuppressWarnings("unchecked")
        T t = (T) v;
        return t;
    }

    /** Called by the cell expression that {@link #call} evaluates; not for users. */
    public static Object runPending() throws Exception {
        Callable<?> job = pending;
        pending = null;
        if (job == null) {
            throw new IllegalStateException("no magic is waiting to run");
        }
        try {
            return job.call();
        } catch (IllegalArgumentException | IllegalStateException e) {
            return new Failed(e);
        }
    }
}
