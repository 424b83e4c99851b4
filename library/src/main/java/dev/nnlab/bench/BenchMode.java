package dev.nnlab.bench;

import dev.nnlab.autograd.NoGrad;
import dev.nnlab.nn.Module;
import dev.nnlab.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What one timed call of a module does: a forward, a forward under no-grad, or zero_grad + forward + backward. */
public enum BenchMode {
    /** {@code model(x)} with autograd recording. */
    FWD("fwd"),
    /** {@code model(x)} inside {@code torch.no_grad()}. */
    NOGRAD("nograd"),
    /** {@code model.zero_grad(set_to_none=True); model(x).sum().backward()}. */
    FWDBWD("fwdbwd");

    private final String key;

    BenchMode(String key) {
        this.key = key;
    }

    /** The short name used in tables and {@code ./nnlab bench}: fwd, nograd, fwdbwd. */
    public String key() {
        return key;
    }

    /** The mode named {@code key} (fwd, nograd or fwdbwd; case-insensitive). */
    public static BenchMode of(String key) {
        for (BenchMode m : values()) {
            if (m.key.equals(key.trim().toLowerCase(Locale.ROOT))) return m;
        }
        throw new IllegalArgumentException("unknown benchmark mode '" + key + "': expected fwd, nograd or fwdbwd");
    }

    /** The modes named in a comma-separated list such as "fwd,nograd". */
    public static List<BenchMode> list(String keys) {
        List<BenchMode> out = new ArrayList<>();
        for (String k : keys.split(",")) {
            if (k.isBlank()) continue;
            BenchMode m = of(k);
            if (!out.contains(m)) out.add(m);
        }
        if (out.isEmpty()) throw new IllegalArgumentException("no benchmark mode given: expected fwd, nograd or fwdbwd");
        return out;
    }

    /** The statement that runs {@code model} on {@code inputs} in this mode. */
    public Runnable statement(Module model, Object... inputs) {
        if (inputs.length == 1 && inputs[0] instanceof Tensor x) {
            switch (this) {
                case FWD: return () -> model.call(x);
                case NOGRAD: return () -> {
                    try (var g = NoGrad.enter()) {
                        model.call(x);
                    }
                };
                default: return () -> {
                    model.zeroGrad(true);
                    model.call(x).sum().backward();
                };
            }
        }
        switch (this) {
            case FWD: return () -> model.call(inputs);
            case NOGRAD: return () -> {
                try (var g = NoGrad.enter()) {
                    model.call(inputs);
                }
            };
            default: return () -> {
                model.zeroGrad(true);
                Object out = model.call(inputs);
                if (!(out instanceof Tensor t)) {
                    throw new IllegalStateException(model.getName() + " returned "
                            + (out == null ? "null" : out.getClass().getSimpleName())
                            + ", not a Tensor: fwdbwd calls sum().backward() on the output");
                }
                t.sum().backward();
            };
        }
    }

    @Override
    public String toString() {
        return key;
    }
}
