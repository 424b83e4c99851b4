package dev.nnlab.kernel.eval;

/**
 * Thrown where a cell calls {@code System.exit}, {@code Runtime.exit} or {@code Runtime.halt}, so that the
 * kernel reports it instead of dying. An Error, so that {@code catch (Exception e)} in the cell cannot hide it.
 */
public final class SystemExit extends Error {
    private static final long serialVersionUID = 1L;
    private final int status;

    public SystemExit(int status) {
        super("System.exit(" + status + ") was called; the kernel keeps running with its state");
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** Replaces {@code System.exit(status)} in snippet bytecode. */
    public static void exit(int status) {
        throw new SystemExit(status);
    }

    /** Replaces {@code Runtime.getRuntime().exit(status)} and {@code halt(status)} in snippet bytecode. */
    public static void exit(Runtime runtime, int status) {
        throw new SystemExit(status);
    }
}
