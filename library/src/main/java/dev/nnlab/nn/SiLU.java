package dev.nnlab.nn;

import dev.nnlab.nn.functional.F;
import dev.nnlab.tensor.Tensor;

/** {@code x * sigmoid(x)} elementwise, like {@code torch.nn.SiLU}. */
public final class SiLU extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return F.silu(x);
    }
}
