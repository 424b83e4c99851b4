package dev.nnlab.nn;

import dev.nnlab.nn.functional.F;
import dev.nnlab.tensor.Tensor;

/** Averages (N, C, H, W) inputs down to a fixed (h, w), like {@code torch.nn.AdaptiveAvgPool2d}. */
public final class AdaptiveAvgPool2d extends Module {
    private final int[] outputSize;
    private final String repr;

    public AdaptiveAvgPool2d(int outputSize) {
        this.outputSize = Conv2d.pair(outputSize);
        repr = "output_size=" + outputSize;
    }

    public AdaptiveAvgPool2d(int h, int w) {
        this.outputSize = new int[] {h, w};
        repr = "output_size=" + Repr.pyTuple(outputSize);
    }

    @Override
    public Tensor forward(Tensor x) {
        return F.adaptiveAvgPool2d(x, outputSize);
    }

    @Override
    public String extraRepr() {
        return repr;
    }
}
