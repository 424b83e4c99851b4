package dev.nnlab.nn;

import dev.nnlab.nn.functional.F;
import dev.nnlab.tensor.Tensor;

/** Cross-entropy of logits against class indices or class probabilities, like {@code torch.nn.CrossEntropyLoss}; call it as {@code lossFn.call(input, target)}. */
public final class CrossEntropyLoss extends Module {
    public final String reduction;
    public final Tensor weight;
    public final int ignoreIndex;
    public final double labelSmoothing;

    public CrossEntropyLoss() {
        this(null, -100, "mean", 0.0);
    }

    public CrossEntropyLoss(Tensor weight, int ignoreIndex, String reduction, double labelSmoothing) {
        this.weight = registerBuffer("weight", weight);
        this.ignoreIndex = ignoreIndex;
        this.reduction = LossArgs.reduction(reduction);
        this.labelSmoothing = labelSmoothing;
    }

    @Override
    public Object forward(Object... args) {
        Tensor[] it = LossArgs.inputAndTarget(this, args);
        Tensor input = it[0], target = it[1];
        return F.crossEntropy(input, target, weight, ignoreIndex, reduction, labelSmoothing);
    }

    /** {@code loss(input, target)} with hooks. */
    public Tensor call(Tensor input, Tensor target) {
        return super.call(new Object[] {input, target});
    }
}
