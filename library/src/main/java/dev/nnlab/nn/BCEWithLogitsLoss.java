package dev.nnlab.nn;

import dev.nnlab.nn.functional.F;
import dev.nnlab.tensor.Tensor;

/** Binary cross-entropy of logits (a stable sigmoid inside), like {@code torch.nn.BCEWithLogitsLoss}; call it as {@code lossFn.call(input, target)}. */
public final class BCEWithLogitsLoss extends Module {
    public final String reduction;
    public final Tensor weight;
    public final Tensor posWeight;

    public BCEWithLogitsLoss() {
        this(null, null, "mean");
    }

    public BCEWithLogitsLoss(Tensor weight, Tensor posWeight, String reduction) {
        this.weight = registerBuffer("weight", weight);
        this.posWeight = registerBuffer("pos_weight", posWeight);
        this.reduction = LossArgs.reduction(reduction);
    }

    @Override
    public Object forward(Object... args) {
        Tensor[] it = LossArgs.inputAndTarget(this, args);
        Tensor input = it[0], target = it[1];
        return F.binaryCrossEntropyWithLogits(input, target, weight, posWeight, reduction);
    }

    /** {@code loss(input, target)} with hooks. */
    public Tensor call(Tensor input, Tensor target) {
        return super.call(new Object[] {input, target});
    }
}
