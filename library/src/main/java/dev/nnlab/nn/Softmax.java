package dev.nnlab.nn;

import dev.nnlab.nn.functional.F;
import dev.nnlab.tensor.Tensor;

/** {@code exp(x) / sum(exp(x))} along {@code dim}, like {@code torch.nn.Softmax}. */
public final class Softmax extends Module {
    public final int dim;

    public Softmax(int dim) {
        this.dim = dim;
    }

    @Override
    public Tensor forward(Tensor x) {
        return F.softmax(x, dim);
    }

    @Override
    public String extraRepr() {
        return "dim=" + dim;
    }
}
