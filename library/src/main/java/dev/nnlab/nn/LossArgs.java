package dev.nnlab.nn;

import dev.nnlab.tensor.Tensor;

/** What the loss modules share: PyTorch's check of {@code reduction} and of the (input, target) arguments. */
final class LossArgs {
    private LossArgs() { }

    static String reduction(String reduction) {
        if (!reduction.equals("mean") && !reduction.equals("sum") && !reduction.equals("none")) {
            throw new IllegalArgumentException(reduction + " is not a valid value for reduction");
        }
        return reduction;
    }

    /** The two tensors of {@code loss(input, target)}, or PyTorch's arity error. */
    static Tensor[] inputAndTarget(Module loss, Object[] args) {
        if (args.length != 2) {
            throw new IllegalArgumentException(loss.getClass().getSimpleName() + ".forward() takes 3 positional arguments but "
                    + (args.length + 1) + " were given");
        }
        return new Tensor[] {(Tensor) args[0], (Tensor) args[1]};
    }
}
