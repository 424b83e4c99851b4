package dev.nnlab.nn;

import dev.nnlab.nn.functional.F;
import dev.nnlab.tensor.Tensor;

/** Mean absolute error, like {@code torch.nn.L1Loss}; call it as {@code lossFn.call(input, target)}. */
public final class L1Loss extends Module {
    public final String reduction;

    public L1Loss() {
        this("mean");
    }

    public L1Loss(String reduction) {
        this.reduction = LossArgs.reduction(reduction);
    }

    @Override
    public Object forward(Object... args) {
        Tensor[] it = LossArgs.inputAndTarget(this, args);
        Tensor input = it[0], target = it[1];
        return F.l1Loss(input, target, reduction);
    }

    /** {@code loss(input, target)} with hooks. */
    public Tensor call(Tensor input, Tensor target) {
        return super.call(new Object[] {input, target});
    }
}
