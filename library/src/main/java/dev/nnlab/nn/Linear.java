package dev.nnlab.nn;

import dev.nnlab.autograd.NoGrad;
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
        int fanIn = inFeatures;
        double gain = Math.sqrt(2.0 / (1 + 5.0));
        double std = fanIn == 0 ? 0 : gain / Math.sqrt(fanIn);
        double bound = Math.sqrt(3.0) * std;
        try (var g = NoGrad.enter()) {
            weight.uniform_(-bound, bound);
            if (bias != null) {
                double b = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
                bias.uniform_(-b, b);
            }
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        return Tensor.linear(x, weight, bias);
    }

    @Override
    public String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + pyBool(bias != null);
    }
}
