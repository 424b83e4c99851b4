package dev.nnlab.nn;

import dev.nnlab.nn.functional.F;
import dev.nnlab.tensor.Tensor;

/** Mean squared error, like {@code torch.nn.MSELoss}; call it as {@code lossFn.call(input, target)}. */
public final class MSELoss extends Module {
    public final String reduction;

    public MSELoss() {
        this("mean");
    }

    public MSELoss(String reduction) {
        this.reduction = LossArgs.reduction(reduction);
    }

    @Override
    public Object forward(Object... args) {
        Tensor[] it = LossArgs.inputAndTarget(this, args);
        Tensor input = it[0], target = it[1];
        return F.mseLoss(input, target, reduction);
    }

    /** {@code loss(input, target)} with hooks. */
    public Tensor call(Tensor input, Tensor target) {
        return super.call(new Object[] {input, target});
    }
}
