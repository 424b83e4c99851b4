package dev.nnlab.nn;

import dev.nnlab.nn.functional.F;
import dev.nnlab.nn.init.Init;
import dev.nnlab.tensor.Tensor;

/** 2-D convolution over (N, C, H, W) inputs, like {@code torch.nn.Conv2d}. */
public final class Conv2d extends Module {
    public final int inChannels;
    public final int outChannels;
    private final int[] kernelSize;
    private final int[] stride;
    private final int[] padding;
    private final int[] dilation;
    public final int groups;
    public Parameter weight;
    public Parameter bias;

    public Conv2d(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, pair(kernelSize), pair(1), pair(0), pair(1), 1, true);
    }

    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding) {
        this(inChannels, outChannels, kernelSize, stride, padding, true);
    }

    /** {@code Conv2d(in, out, k, stride=s, padding=p, bias=False)}: a conv that feeds a BatchNorm needs no bias. */
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding, boolean bias) {
        this(inChannels, outChannels, pair(kernelSize), pair(stride), pair(padding), pair(1), 1, bias);
    }

    public Conv2d(int inChannels, int outChannels, int[] kernelSize, int[] stride, int[] padding, int[] dilation,
                  int groups, boolean bias) {
        if (groups <= 0) throw new IllegalArgumentException("groups must be a positive integer");
        if (inChannels % groups != 0) throw new IllegalArgumentException("in_channels must be divisible by groups");
        if (outChannels % groups != 0) throw new IllegalArgumentException("out_channels must be divisible by groups");
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernelSize = kernelSize.clone();
        this.stride = stride.clone();
        this.padding = padding.clone();
        this.dilation = dilation.clone();
        this.groups = groups;
        weight = registerParameter("weight",
                new Parameter(Tensor.empty(outChannels, inChannels / groups, kernelSize[0], kernelSize[1])));
        this.bias = registerParameter("bias", bias ? new Parameter(Tensor.empty(outChannels)) : null);
        resetParameters();
    }

    static int[] pair(int v) {
        return new int[] {v, v};
    }

    public int[] kernelSize() {
        return kernelSize.clone();
    }

    /** {@code kaiming_uniform_(weight, a=sqrt(5))}, bias in U(-1/sqrt(fan_in), 1/sqrt(fan_in)), as PyTorch does. */
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
        return F.conv2d(x, weight, bias, stride, padding, dilation, groups);
    }

    @Override
    public String extraRepr() {
        StringBuilder s = new StringBuilder(inChannels + ", " + outChannels + ", kernel_size=" + Repr.pyTuple(kernelSize)
                + ", stride=" + Repr.pyTuple(stride));
        if (!allEqual(padding, 0)) s.append(", padding=").append(Repr.pyTuple(padding));
        if (!allEqual(dilation, 1)) s.append(", dilation=").append(Repr.pyTuple(dilation));
        if (groups != 1) s.append(", groups=").append(groups);
        if (bias == null) s.append(", bias=False");
        return s.toString();
    }

    private static boolean allEqual(int[] a, int v) {
        for (int x : a) if (x != v) return false;
        return true;
    }
}
