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
        if (!reduction.equals("mean") && !reduction.equals("sum") && !reduction.equals("none")) {
            throw new IllegalArgumentException(reduction + " is not a valid value for reduction");
        }
        this.weight = registerBuffer("weight", weight);
        this.ignoreIndex = ignoreIndex;
        this.reduction = reduction;
        this.labelSmoothing = labelSmoothing;
    }

    @Override
    public Object forward(Object... args) {
        if (args.length != 2) {
            throw new IllegalArgumentException("CrossEntropyLoss.forward() takes 3 positional arguments but " + (args.length + 1)
                    + " were given");
        }
        Tensor input = (Tensor) args[0];
        Tensor target = (Tensor) args[1];
        return F.crossEntropy(input, target, weight, ignoreIndex, reduction, labelSmoothing);
    }

    /** {@code loss(input, target)} with hooks. */
    public Tensor call(Tensor input, Tensor target) {
        return super.call(new Object[] {input, target});
    }
}
