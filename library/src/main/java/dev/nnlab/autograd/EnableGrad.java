package dev.nnlab.autograd;

/** {@code try (var g = EnableGrad.enter()) { ... }} is {@code with torch.enable_grad():}. */
public final class EnableGrad {
    private EnableGrad() { }

    public static GradMode.Scope enter() {
        return GradMode.set(true);
    }
}
