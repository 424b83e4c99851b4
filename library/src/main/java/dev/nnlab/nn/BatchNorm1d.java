package dev.nnlab.nn;

import dev.nnlab.tensor.Tensor;

/**
 * Batch normalisation over (N, C) or (N, C, L) inputs, like {@code torch.nn.BatchNorm1d}.
 */
public final class BatchNorm1d extends BatchNorm {
    public BatchNorm1d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, true, true);
    }

    public BatchNorm1d(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        this(numFeatures, eps, momentum, affine, trackRunningStats, true);
    }

    public BatchNorm1d(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats,
                       boolean bias) {
        super(numFeatures, eps, momentum, affine, trackRunningStats, bias);
    }

    @Override
    void checkInputDim(Tensor x) {
        if (x.dim() != 2 && x.dim() != 3) {
            throw new IllegalArgumentException("expected 2D or 3D input (got " + x.dim() + "D input)");
        }
    }
}
