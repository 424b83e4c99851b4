package dev.nnlab.nn;

import dev.nnlab.tensor.Tensor;

/** {@code x} where positive, {@code negativeSlope * x} elsewhere, like {@code torch.nn.LeakyReLU}. */
public final class LeakyReLU extends Module {
    public final double negativeSlope;

    public LeakyReLU() {
        this(0.01);
    }

    public LeakyReLU(double negativeSlope) {
        this.negativeSlope = negativeSlope;
    }

    @Override
    public Tensor forward(Tensor x) {
        // relu(x) - slope * relu(-x), until F.leakyRelu lands
        return x.relu().sub(x.neg().relu().mul(negativeSlope));
    }

    @Override
    public String extraRepr() {
        return "negative_slope=" + pyFloat(negativeSlope);
    }
}
