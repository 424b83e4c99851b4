package dev.nnlab.nn;

import dev.nnlab.tensor.Tensor;

/** {@code max(0, x)} elementwise, like {@code torch.nn.ReLU}; {@code inplace} overwrites the input. */
public final class ReLU extends Module {
    public final boolean inplace;

    public ReLU() {
        this(false);
    }

    public ReLU(boolean inplace) {
        this.inplace = inplace;
    }

    @Override
    public Tensor forward(Tensor x) {
        return inplace ? x.relu_() : x.relu();
    }

    @Override
    public String extraRepr() {
        return inplace ? "inplace=True" : "";
    }
}
