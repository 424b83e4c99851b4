package dev.nnlab.nn;

import dev.nnlab.tensor.Tensor;

/** {@code tanh(x)} elementwise, like {@code torch.nn.Tanh}. */
public final class Tanh extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return x.tanh();
    }
}
