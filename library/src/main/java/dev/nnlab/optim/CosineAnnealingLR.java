package dev.nnlab.optim;

import java.util.ArrayList;
import java.util.List;

/** Anneals the learning rate along a cosine from its initial value to {@code etaMin} over {@code tMax} epochs, like {@code CosineAnnealingLR}. */
public final class CosineAnnealingLR extends LRScheduler {
    private final int tMax;
    private final double etaMin;

    public CosineAnnealingLR(Optimizer optimizer, int tMax) {
        this(optimizer, tMax, 0, -1);
    }

    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin) {
        this(optimizer, tMax, etaMin, -1);
    }

    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin, int lastEpoch) {
        super(optimizer, lastEpoch);
        if (tMax <= 0) throw new IllegalArgumentException("T_max must be a positive integer, got " + tMax);
        this.tMax = tMax;
        this.etaMin = etaMin;
        initialStep();
    }

    @Override
    protected List<Double> computeLr() {
        List<Double> lrs = currentLrs();
        if (isInitial()) return lrs;
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < lrs.size(); i++) {
            double lr = lrs.get(i), base = baseLrs.get(i);
            if ((lastEpoch - 1 - tMax) % (2 * tMax) == 0) {
                out.add(lr + (base - etaMin) * (1 - Math.cos(Math.PI / tMax)) / 2);
            } else {
                out.add((1 + Math.cos(Math.PI * lastEpoch / tMax)) / (1 + Math.cos(Math.PI * (lastEpoch - 1) / tMax))
                        * (lr - etaMin) + etaMin);
            }
        }
        return out;
    }
}
