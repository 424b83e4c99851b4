package dev.nnlab.nn;

import dev.nnlab.tensor.Tensor;

/**
 * Batch normalisation over (N, C, H, W) inputs, like {@code torch.nn.BatchNorm2d}.
 */
public final class BatchNorm2d extends BatchNorm {
    public BatchNorm2d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, true, true);
    }

    public BatchNorm2d(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        this(numFeatures, eps, momentum, affine, trackRunningStats, true);
    }

    public BatchNorm2d(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats,
                       boolean bias) {
        super(numFeatures, eps, momentum, affine, trackRunningStats, bias);
    }

    @Override
    void checkInputDim(Tensor x) {
        if (x.dim() != 4) throw new IllegalArgumentException("expected 4D input (got " + x.dim() + "D input)");
    }
}
