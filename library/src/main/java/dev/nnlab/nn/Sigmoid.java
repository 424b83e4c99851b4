package dev.nnlab.nn;

import dev.nnlab.tensor.Tensor;

/** {@code 1 / (1 + exp(-x))} elementwise, like {@code torch.nn.Sigmoid}. */
public final class Sigmoid extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return x.sigmoid();
    }
}
