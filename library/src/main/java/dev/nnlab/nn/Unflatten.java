package dev.nnlab.nn;

import dev.nnlab.tensor.Tensor;

/** Splits dim {@code dim} into {@code unflattenedSize}, like {@code torch.nn.Unflatten}. */
public final class Unflatten extends Module {
    public final int dim;
    private final int[] unflattenedSize;

    public Unflatten(int dim, int... unflattenedSize) {
        this.dim = dim;
        this.unflattenedSize = unflattenedSize.clone();
    }

    public int[] unflattenedSize() {
        return unflattenedSize.clone();
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.unflatten(dim, unflattenedSize);
    }

    @Override
    public String extraRepr() {
        return "dim=" + dim + ", unflattened_size=" + Repr.pyTuple(unflattenedSize);
    }
}
