package dev.nnlab.kernel.magics;

import java.util.UUID;
import java.util.concurrent.Callable;
import org.dflib.jjava.jupyter.kernel.BaseKernel;

/**
 * Runs a magic's long Java work on the session's own snippet thread, by evaluating a cell expression that calls it.
 * The kernel's interrupt (JShell's stop) then reaches it as it reaches any cell: a thread interrupt on JDK 25, an
 * asynchronous stop on JDK 17. The job travels through the system properties, which every class loader shares, so
 * this works whichever loader the session compiles against. Bad-input exceptions come back to the magic.
 */
final class InSession {
    private record Failed(RuntimeException error) { }

    private InSession() {
    }

    /** Runs {@code job} in the session and returns its result; its IllegalArgument/IllegalState exceptions are rethrown. */
    static <T> T call(BaseKernel kernel, Callable<T> job) {
        String key = "nnlab.magic.job." + UUID.randomUUID();
        Callable<Object> wrapped = () -> {
            try {
                return job.call();
            } catch (IllegalArgumentException | IllegalStateException e) {
                return new Failed(e);
            }
        };
        System.getProperties().put(key, wrapped);
        Object v;
        try {
            v = kernel.evalRaw("((java.util.concurrent.Callable<?>) System.getProperties().remove(\"" + key
                    + "\")).call()");
        } finally {
            System.getProperties().remove(key);
        }
        if (v instanceof Failed f) {
            throw f.error;
        }
        @SuppressWarnings("unchecked")
        T t = (T) v;
        return t;
    }
}
