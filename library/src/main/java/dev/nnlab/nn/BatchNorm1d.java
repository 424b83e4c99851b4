package dev.nnlab.nn;

import dev.nnlab.autograd.NoGrad;
import dev.nnlab.nn.functional.F;
import dev.nnlab.tensor.DType;
import dev.nnlab.tensor.Tensor;

/**
 * Batch normalisation over (N, C) or (N, C, L) inputs with learnable affine parameters and running statistics as
 * buffers, like {@code torch.nn.BatchNorm1d}.
 */
public final class BatchNorm1d extends Module {
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

    public BatchNorm1d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, true, true);
    }

    public BatchNorm1d(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        this(numFeatures, eps, momentum, affine, trackRunningStats, true);
    }

    public BatchNorm1d(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats,
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
        if (x.dim() != 2 && x.dim() != 3) {
            throw new IllegalArgumentException("expected 2D or 3D input (got " + x.dim() + "D input)");
        }
        return batchNorm(this, x);
    }

    @Override
    public String extraRepr() {
        return numFeatures + ", eps=" + Repr.pyFloat(eps) + ", momentum=" + (momentum == null ? "None" : Repr.pyFloat(momentum))
                + ", affine=" + Repr.pyBool(affine) + ", bias=" + Repr.pyBool(bias != null) + ", track_running_stats=" + Repr.pyBool(trackRunningStats);
    }

    /** PyTorch's {@code _BatchNorm.forward}: count batches, pick the averaging factor, normalise. */
    static Tensor batchNorm(Module m, Tensor x) {
        BatchNorm1d.Fields f = fields(m);
        double factor = f.momentum() == null ? 0.0 : f.momentum();
        if (m.training && f.numBatchesTracked() != null) {
            try (var g = NoGrad.enter()) {
                f.numBatchesTracked().add_(1.0);
            }
            if (f.momentum() == null) factor = 1.0 / f.numBatchesTracked().item();
        }
        boolean bnTraining = m.training || (f.runningMean() == null && f.runningVar() == null);
        boolean useStats = !m.training || f.runningMean() != null;
        return F.batchNorm(x, useStats ? f.runningMean() : null, useStats ? f.runningVar() : null, f.weight(), f.bias(),
                bnTraining, factor, f.eps());
    }

    /** The state both batch norms share. */
    record Fields(Double momentum, double eps, Tensor runningMean, Tensor runningVar, Tensor numBatchesTracked,
                  Tensor weight, Tensor bias) { }

    private static Fields fields(Module m) {
        if (m instanceof BatchNorm1d b) {
            return new Fields(b.momentum, b.eps, b.runningMean, b.runningVar, b.numBatchesTracked, b.weight, b.bias);
        }
        BatchNorm2d b = (BatchNorm2d) m;
        return new Fields(b.momentum, b.eps, b.runningMean, b.runningVar, b.numBatchesTracked, b.weight, b.bias);
    }
}
