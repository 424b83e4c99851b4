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
        if (!reduction.equals("mean") && !reduction.equals("sum") && !reduction.equals("none")) {
            throw new IllegalArgumentException(reduction + " is not a valid value for reduction");
        }
        this.weight = registerBuffer("weight", weight);
        this.ignoreIndex = ignoreIndex;
        this.reduction = reduction;
    }

    @Override
    public Object forward(Object... args) {
        if (args.length != 2) {
            throw new IllegalArgumentException("NLLLoss.forward() takes 3 positional arguments but " + (args.length + 1)
                    + " were given");
        }
        Tensor input = (Tensor) args[0];
        Tensor target = (Tensor) args[1];
        return F.nllLoss(input, target, weight, ignoreIndex, reduction);
    }

    /** {@code loss(input, target)} with hooks. */
    public Tensor call(Tensor input, Tensor target) {
        return super.call(new Object[] {input, target});
    }
}
