package dev.nnlab.nn;

import dev.nnlab.nn.functional.F;
import dev.nnlab.tensor.Tensor;

/** {@code scale * elu(x, alpha)} with PyTorch's fixed constants elementwise, like {@code torch.nn.SELU}. */
public final class SELU extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return F.selu(x);
    }
}
