package dev.nnlab.nn;

import dev.nnlab.autograd.NoGrad;
import dev.nnlab.nn.functional.F;
import dev.nnlab.tensor.DType;
import dev.nnlab.tensor.Tensor;

/**
 * What BatchNorm1d and BatchNorm2d share: learnable affine parameters and running statistics as buffers, like
 * PyTorch's {@code _BatchNorm}. Subclasses only check the input's rank.
 */
public abstract class BatchNorm extends Module {
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

    BatchNorm(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats,
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

    /** Throws PyTorch's error when {@code x} has the wrong rank. */
    abstract void checkInputDim(Tensor x);

    /** PyTorch's {@code _BatchNorm.forward}: count batches, pick the averaging factor, normalise. */
    @Override
    public Tensor forward(Tensor x) {
        checkInputDim(x);
        double factor = momentum == null ? 0.0 : momentum;
        if (training && numBatchesTracked != null) {
            try (var g = NoGrad.enter()) {
                numBatchesTracked.add_(1.0);
            }
            if (momentum == null) factor = 1.0 / numBatchesTracked.item();
        }
        boolean bnTraining = training || (runningMean == null && runningVar == null);
        boolean useStats = !training || runningMean != null;
        return F.batchNorm(x, useStats ? runningMean : null, useStats ? runningVar : null, weight, bias,
                bnTraining, factor, eps);
    }

    @Override
    public String extraRepr() {
        return numFeatures + ", eps=" + Repr.pyFloat(eps) + ", momentum=" + (momentum == null ? "None" : Repr.pyFloat(momentum))
                + ", affine=" + Repr.pyBool(affine) + ", bias=" + Repr.pyBool(bias != null) + ", track_running_stats=" + Repr.pyBool(trackRunningStats);
    }
}
