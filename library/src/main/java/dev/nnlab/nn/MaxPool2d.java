package dev.nnlab.nn;

import dev.nnlab.nn.functional.F;
import dev.nnlab.tensor.Tensor;

/** Max over (kernel) windows of (N, C, H, W) inputs, like {@code torch.nn.MaxPool2d}; stride defaults to the kernel. */
public final class MaxPool2d extends Module {
    private final int[] kernelSize;
    private final int[] stride;
    private final int[] padding;
    private final String repr;

    public MaxPool2d(int kernelSize) {
        this(kernelSize, kernelSize, 0);
    }

    public MaxPool2d(int kernelSize, int stride, int padding) {
        this.kernelSize = Conv2d.pair(kernelSize);
        this.stride = Conv2d.pair(stride);
        this.padding = Conv2d.pair(padding);
        repr = "kernel_size=" + kernelSize + ", stride=" + stride + ", padding=" + padding + ", dilation=1, ceil_mode=False";
    }

    public MaxPool2d(int[] kernelSize, int[] stride, int[] padding) {
        this.kernelSize = kernelSize.clone();
        this.stride = stride == null ? kernelSize.clone() : stride.clone();
        this.padding = padding.clone();
        repr = "kernel_size=" + Repr.pyTuple(kernelSize) + ", stride=" + Repr.pyTuple(this.stride) + ", padding="
                + Repr.pyTuple(padding) + ", dilation=1, ceil_mode=False";
    }

    @Override
    public Tensor forward(Tensor x) {
        return F.maxPool2d(x, kernelSize, stride, padding);
    }

    @Override
    public String extraRepr() {
        return repr;
    }
}
