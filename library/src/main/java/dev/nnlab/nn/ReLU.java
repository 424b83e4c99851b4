package dev.nnlab.nn;

import dev.nnlab.tensor.Tensor;

/** {@code max(0, x)} elementwise, like {@code torch.nn.ReLU}. */
public final class ReLU extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return x.relu();
    }
}
