package dev.nnlab.nn;

import dev.nnlab.nn.functional.F;
import dev.nnlab.tensor.Tensor;

/** Mean over (kernel) windows of (N, C, H, W) inputs, like {@code torch.nn.AvgPool2d}; stride defaults to the kernel. */
public final class AvgPool2d extends Module {
    private final int[] kernelSize;
    private final int[] stride;
    private final int[] padding;
    private final String repr;

    public AvgPool2d(int kernelSize) {
        this(kernelSize, kernelSize, 0);
    }

    public AvgPool2d(int kernelSize, int stride, int padding) {
        this.kernelSize = Conv2d.pair(kernelSize);
        this.stride = Conv2d.pair(stride);
        this.padding = Conv2d.pair(padding);
        repr = "kernel_size=" + kernelSize + ", stride=" + stride + ", padding=" + padding;
    }

    @Override
    public Tensor forward(Tensor x) {
        return F.avgPool2d(x, kernelSize, stride, padding);
    }

    @Override
    public String extraRepr() {
        return repr;
    }
}
