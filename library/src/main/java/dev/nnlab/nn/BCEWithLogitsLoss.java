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
        if (!reduction.equals("mean") && !reduction.equals("sum") && !reduction.equals("none")) {
            throw new IllegalArgumentException(reduction + " is not a valid value for reduction");
        }
        this.weight = registerBuffer("weight", weight);
        this.posWeight = registerBuffer("pos_weight", posWeight);
        this.reduction = reduction;
    }

    @Override
    public Object forward(Object... args) {
        if (args.length != 2) {
            throw new IllegalArgumentException("BCEWithLogitsLoss.forward() takes 3 positional arguments but " + (args.length + 1)
                    + " were given");
        }
        Tensor input = (Tensor) args[0];
        Tensor target = (Tensor) args[1];
        return F.binaryCrossEntropyWithLogits(input, target, weight, posWeight, reduction);
    }

    /** {@code loss(input, target)} with hooks. */
    public Tensor call(Tensor input, Tensor target) {
        return super.call(new Object[] {input, target});
    }
}
