package dev.nnlab.nn;

import dev.nnlab.nn.functional.F;
import dev.nnlab.tensor.Tensor;

/**
 * In training mode zeroes each element with probability {@code p} and scales the rest by {@code 1/(1-p)}; in eval
 * mode returns the input. Like {@code torch.nn.Dropout}.
 */
public final class Dropout extends Module {
    public final double p;
    public final boolean inplace;

    public Dropout() {
        this(0.5);
    }

    public Dropout(double p) {
        this(p, false);
    }

    public Dropout(double p, boolean inplace) {
        if (p < 0 || p > 1) {
            throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + Repr.pyFloat(p));
        }
        this.p = p;
        this.inplace = inplace;
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor y = F.dropout(x, p, training);
        return inplace && y != x ? x.copy_(y) : y;
    }

    @Override
    public String extraRepr() {
        return "p=" + Repr.pyFloat(p) + ", inplace=" + Repr.pyBool(inplace);
    }
}
