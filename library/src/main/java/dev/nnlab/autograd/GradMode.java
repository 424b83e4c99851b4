package dev.nnlab.autograd;

/** Whether ops record a graph, per thread, like {@code torch.is_grad_enabled()}. */
public final class GradMode {
    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

    private GradMode() { }

    public static boolean isEnabled() {
        return ENABLED.get()[0];
    }

    /** Sets grad mode and returns a scope that restores the previous mode when closed. */
    public static Scope set(boolean enabled) {
        boolean[] cell = ENABLED.get();
        boolean previous = cell[0];
        cell[0] = enabled;
        return () -> cell[0] = previous;
    }

    /** A grad-mode scope for try-with-resources; closing it never throws. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
