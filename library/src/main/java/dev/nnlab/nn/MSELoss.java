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
        if (!reduction.equals("mean") && !reduction.equals("sum") && !reduction.equals("none")) {
            throw new IllegalArgumentException(reduction + " is not a valid value for reduction");
        }
        this.reduction = reduction;
    }

    @Override
    public Object forward(Object... args) {
        if (args.length != 2) {
            throw new IllegalArgumentException("MSELoss.forward() takes 3 positional arguments but " + (args.length + 1)
                    + " were given");
        }
        Tensor input = (Tensor) args[0];
        Tensor target = (Tensor) args[1];
        return F.mseLoss(input, target, reduction);
    }

    /** {@code loss(input, target)} with hooks. */
    public Tensor call(Tensor input, Tensor target) {
        return super.call(new Object[] {input, target});
    }
}
