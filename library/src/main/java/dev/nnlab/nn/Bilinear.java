package dev.nnlab.nn;

import dev.nnlab.nn.functional.F;
import dev.nnlab.nn.init.Init;
import dev.nnlab.tensor.Tensor;

/** {@code y_k = x1^T W_k x2 + b_k}, like {@code torch.nn.Bilinear}; call it as {@code bilinear.call(x1, x2)}. */
public final class Bilinear extends Module {
    public final int in1Features;
    public final int in2Features;
    public final int outFeatures;
    public Parameter weight;
    public Parameter bias;

    public Bilinear(int in1Features, int in2Features, int outFeatures) {
        this(in1Features, in2Features, outFeatures, true);
    }

    public Bilinear(int in1Features, int in2Features, int outFeatures, boolean bias) {
        this.in1Features = in1Features;
        this.in2Features = in2Features;
        this.outFeatures = outFeatures;
        weight = registerParameter("weight", new Parameter(Tensor.empty(outFeatures, in1Features, in2Features)));
        this.bias = registerParameter("bias", bias ? new Parameter(Tensor.empty(outFeatures)) : null);
        resetParameters();
    }

    /** Weight and bias in U(-1/sqrt(in1), 1/sqrt(in1)), as PyTorch does. */
    public void resetParameters() {
        double bound = 1 / Math.sqrt(weight.size(1));
        Init.uniform_(weight, -bound, bound);
        if (bias != null) Init.uniform_(bias, -bound, bound);
    }

    @Override
    public Object forward(Object... args) {
        if (args.length != 2) {
            throw new IllegalArgumentException("Bilinear.forward() takes 3 positional arguments but " + (args.length + 1)
                    + " were given");
        }
        return F.bilinear((Tensor) args[0], (Tensor) args[1], weight, bias);
    }

    /** {@code bilinear(x1, x2)} with hooks. */
    public Tensor call(Tensor x1, Tensor x2) {
        return super.call(new Object[] {x1, x2});
    }

    @Override
    public String extraRepr() {
        return "in1_features=" + in1Features + ", in2_features=" + in2Features + ", out_features=" + outFeatures
                + ", bias=" + Repr.pyBool(bias != null);
    }
}
