package dev.nnlab.nn;

import dev.nnlab.autograd.NoGrad;
import dev.nnlab.tensor.DType;
import dev.nnlab.tensor.Tensor;

/**
 * Batch normalisation over (N, C, H, W) inputs with learnable affine parameters and running statistics as buffers,
 * like {@code torch.nn.BatchNorm2d}.
 */
public final class BatchNorm2d extends Module {
    public final int numFeatures;
    public final double eps;
    /** Null means a cumulative moving average, like PyTorch's {@code momentum=None}. */
    public final Double momentum;
    public final boolean affine;
    public final boolean trackRunningStats;
    public Parameter weight;
    public Parameter bias;
    public Tensor runningMean;
    public Tensor runningVar;
    public Tensor numBatchesTracked;

    public BatchNorm2d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, true, true);
    }

    public BatchNorm2d(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        this(numFeatures, eps, momentum, affine, trackRunningStats, true);
    }

    public BatchNorm2d(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats,
                       boolean bias) {
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        this.affine = affine;
        this.trackRunningStats = trackRunningStats;
        weight = registerParameter("weight", affine ? new Parameter(Tensor.ones(numFeatures)) : null);
        this.bias = registerParameter("bias", affine && bias ? new Parameter(Tensor.zeros(numFeatures)) : null);
        if (trackRunningStats) {
            runningMean = registerBuffer("running_mean", Tensor.zeros(numFeatures));
            runningVar = registerBuffer("running_var", Tensor.ones(numFeatures));
            numBatchesTracked = registerBuffer("num_batches_tracked", Tensor.scalar(0, DType.INT64));
        } else {
            registerBuffer("running_mean", null);
            registerBuffer("running_var", null);
            registerBuffer("num_batches_tracked", null);
        }
    }

    /** Zeroes the running statistics and the batch count. */
    public void resetRunningStats() {
        if (!trackRunningStats) return;
        try (var g = NoGrad.enter()) {
            runningMean.zero_();
            runningVar.fill_(1);
            numBatchesTracked.zero_();
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() != 4) throw new IllegalArgumentException("expected 4D input (got " + x.dim() + "D input)");
        return BatchNorm1d.batchNorm(this, x);
    }

    @Override
    public String extraRepr() {
        return numFeatures + ", eps=" + Repr.pyFloat(eps) + ", momentum=" + (momentum == null ? "None" : Repr.pyFloat(momentum))
                + ", affine=" + Repr.pyBool(affine) + ", bias=" + Repr.pyBool(bias != null) + ", track_running_stats=" + Repr.pyBool(trackRunningStats);
    }
}
