package dev.nnlab.nn;

import dev.nnlab.nn.functional.F;
import dev.nnlab.nn.init.Init;
import dev.nnlab.tensor.Tensor;

/** {@code y = x W^T + b}, like {@code torch.nn.Linear}, with PyTorch's default initialisation. */
public final class Linear extends Module {
    public final int inFeatures;
    public final int outFeatures;
    public Parameter weight;
    public Parameter bias;

    public Linear(int inFeatures, int outFeatures) {
        this(inFeatures, outFeatures, true);
    }

    public Linear(int inFeatures, int outFeatures, boolean bias) {
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        weight = registerParameter("weight", new Parameter(Tensor.empty(outFeatures, inFeatures)));
        this.bias = registerParameter("bias", bias ? new Parameter(Tensor.empty(outFeatures)) : null);
        resetParameters();
    }

    /** {@code kaiming_uniform_(weight, a=sqrt(5))} and a bias in U(-1/sqrt(fan_in), 1/sqrt(fan_in)), as PyTorch does. */
    public void resetParameters() {
        Init.kaimingUniform_(weight, Math.sqrt(5), "fan_in", "leaky_relu");
        if (bias != null) {
            int fanIn = Init.calculateFanInAndFanOut(weight)[0];
            double bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
            Init.uniform_(bias, -bound, bound);
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        return F.linear(x, weight, bias);
    }

    @Override
    public String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + Repr.pyBool(bias != null);
    }
}
