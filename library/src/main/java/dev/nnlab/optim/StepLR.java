package dev.nnlab.optim;

import java.util.ArrayList;
import java.util.List;

/** Multiplies the learning rate by {@code gamma} every {@code stepSize} epochs, like {@code StepLR}. */
public final class StepLR extends LRScheduler {
    private final int stepSize;
    private final double gamma;

    public StepLR(Optimizer optimizer, int stepSize) {
        this(optimizer, stepSize, 0.1, -1);
    }

    public StepLR(Optimizer optimizer, int stepSize, double gamma) {
        this(optimizer, stepSize, gamma, -1);
    }

    public StepLR(Optimizer optimizer, int stepSize, double gamma, int lastEpoch) {
        super(check(optimizer, stepSize), lastEpoch);
        this.stepSize = stepSize;
        this.gamma = gamma;
        initialStep();
    }

    private static Optimizer check(Optimizer optimizer, int stepSize) {
        if (stepSize <= 0) throw new IllegalArgumentException("step_size must be a positive integer, got " + stepSize);
        return optimizer;
    }

    @Override
    protected List<Double> computeLr() {
        List<Double> lrs = currentLrs();
        if (lastEpoch == 0 || lastEpoch % stepSize != 0) return lrs;
        List<Double> out = new ArrayList<>();
        for (double lr : lrs) out.add(lr * gamma);
        return out;
    }
}
