package dev.nnlab.kernel;

import sun.misc.Signal;

/** SIGINT interrupts the running cell instead of ending the JVM. */
final class Signals {
    private Signals() {
    }

    static void onInterrupt(Runnable action) {
        try {
            Signal.handle(new Signal("INT"), s -> action.run());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            Log.warn("cannot handle SIGINT here (" + e.getMessage() + "); interrupt_request still works");
        }
    }
}
