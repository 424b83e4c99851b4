package dev.nnlab.autograd;

/**
 * Like {@code torch.autograd.detect_anomaly()}: nodes remember where the forward op was created, and
 * the first backward function that returns NaN or Inf fails with that forward trace attached.
 */
public final class AnomalyMode {
    private static volatile boolean enabled;

    private AnomalyMode() { }

    public static boolean isEnabled() {
        return enabled;
    }

    /** Turns anomaly detection on until the returned scope is closed. */
    public static GradMode.Scope detectAnomaly() {
        boolean previous = enabled;
        enabled = true;
        return () -> enabled = previous;
    }

    public static void setEnabled(boolean on) {
        enabled = on;
    }
}
