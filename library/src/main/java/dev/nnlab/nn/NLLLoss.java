package dev.nnlab.nn;

import dev.nnlab.nn.functional.F;
import dev.nnlab.tensor.Tensor;

/** Negative log-likelihood of log-probabilities against class indices, like {@code torch.nn.NLLLoss}; call it as {@code lossFn.call(input, target)}. */
public final class NLLLoss extends Module {
    public final String reduction;
    public final Tensor weight;
    public final int ignoreIndex;

    public NLLLoss() {
        this(null, -100, "mean");
    }

    public NLLLoss(Tensor weight, int ignoreIndex, String reduction) {
        this.weight = registerBuffer("weight", weight);
        this.ignoreIndex = ignoreIndex;
        this.reduction = LossArgs.reduction(reduction);
    }

    @Override
    public Object forward(Object... args) {
        Tensor[] it = LossArgs.inputAndTarget(this, args);
        Tensor input = it[0], target = it[1];
        return F.nllLoss(input, target, weight, ignoreIndex, reduction);
    }

    /** {@code loss(input, target)} with hooks. */
    public Tensor call(Tensor input, Tensor target) {
        return super.call(new Object[] {input, target});
    }
}
