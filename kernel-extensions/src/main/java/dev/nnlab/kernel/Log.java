package dev.nnlab.kernel;

import java.io.PrintStream;
import java.time.LocalTime;

/** The kernel's own log: the process's original stderr, which Jupyter keeps in its server log. */
public final class Log {
    private static final PrintStream ERR = System.err;

    private Log() {
    }

    /** Called before cells' System.err is installed, so that the log keeps the process's stderr. */
    static void init() {
        ERR.flush();
    }

    public static void warn(String message) {
        ERR.println("[nnlab " + LocalTime.now() + "] WARNING " + message);
        ERR.flush();
    }

    public static void error(String message, Throwable t) {
        ERR.println("[nnlab " + LocalTime.now() + "] ERROR " + message);
        if (t != null) {
            t.printStackTrace(ERR);
        }
        ERR.flush();
    }
}
