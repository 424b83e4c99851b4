package dev.nnlab.nn;

import dev.nnlab.tensor.Tensor;

/** Flattens dims {@code startDim..endDim} into one, like {@code torch.nn.Flatten} (default 1..-1). */
public final class Flatten extends Module {
    public final int startDim;
    public final int endDim;

    public Flatten() {
        this(1, -1);
    }

    public Flatten(int startDim, int endDim) {
        this.startDim = startDim;
        this.endDim = endDim;
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.flatten(startDim, endDim);
    }

    @Override
    public String extraRepr() {
        return "start_dim=" + startDim + ", end_dim=" + endDim;
    }
}
