package dev.nnlab.autograd;

/** {@code try (var g = NoGrad.enter()) { ... }} is {@code with torch.no_grad():}. */
public final class NoGrad {
    private NoGrad() { }

    public static GradMode.Scope enter() {
        return GradMode.set(false);
    }
}
