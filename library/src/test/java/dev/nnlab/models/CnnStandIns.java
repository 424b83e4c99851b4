package dev.nnlab.models;

import dev.nnlab.nn.Flatten;
import dev.nnlab.nn.Linear;
import dev.nnlab.nn.Module;
import dev.nnlab.nn.Parameter;
import dev.nnlab.nn.ReLU;
import dev.nnlab.nn.Sequential;
import dev.nnlab.nn.functional.F;
import dev.nnlab.tensor.DType;
import dev.nnlab.tensor.Tensor;

/**
 * Minimal Conv2d / BatchNorm2d / MaxPool2d over {@code F}, with PyTorch's state-dict layout, until the real
 * {@code dev.nnlab.nn} layers land; then {@code ModelFixtureTest.build("cnn")} uses those and this file goes.
 */
final class CnnStandIns {
    private CnnStandIns() { }

    /** {@code Conv2d(1,4,3,padding=1) -> BatchNorm2d(4) -> ReLU -> MaxPool2d(2) -> Flatten -> Linear(64,3)}. */
    static Sequential cnn() {
        return new Sequential(new Conv2d(1, 4, 3, 1), new BatchNorm2d(4), new ReLU(), new MaxPool2d(2), new Flatten(),
                new Linear(4 * 4 * 4, 3));
    }

    static final class Conv2d extends Module {
        final Parameter weight;
        final Parameter bias;
        final int padding;

        Conv2d(int in, int out, int kernel, int padding) {
            this.padding = padding;
            weight = registerParameter("weight", new Parameter(Tensor.zeros(out, in, kernel, kernel)));
            bias = registerParameter("bias", new Parameter(Tensor.zeros(out)));
        }

        @Override
        public Tensor forward(Tensor x) {
            return F.conv2d(x, weight, bias, new int[] {1, 1}, new int[] {padding, padding}, new int[] {1, 1}, 1);
        }
    }

    static final class BatchNorm2d extends Module {
        final Parameter weight;
        final Parameter bias;
        final Tensor runningMean;
        final Tensor runningVar;
        final Tensor numBatchesTracked;

        BatchNorm2d(int features) {
            weight = registerParameter("weight", new Parameter(Tensor.ones(features)));
            bias = registerParameter("bias", new Parameter(Tensor.zeros(features)));
            runningMean = registerBuffer("running_mean", Tensor.zeros(features));
            runningVar = registerBuffer("running_var", Tensor.ones(features));
            numBatchesTracked = registerBuffer("num_batches_tracked", Tensor.zeros(DType.INT64));
        }

        @Override
        public Tensor forward(Tensor x) {
            if (isTraining()) numBatchesTracked.add_(1);
            return F.batchNorm(x, runningMean, runningVar, weight, bias, isTraining(), 0.1, 1e-5);
        }
    }

    static final class MaxPool2d extends Module {
        final int kernel;

        MaxPool2d(int kernel) {
            this.kernel = kernel;
        }

        @Override
        public Tensor forward(Tensor x) {
            return F.maxPool2d(x, kernel);
        }
    }
}
