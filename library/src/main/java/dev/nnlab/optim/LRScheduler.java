package dev.nnlab.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The base of learning-rate schedulers, like {@code torch.optim.lr_scheduler.LRScheduler}: construction
 * records {@code initial_lr} in every group and takes the initial step; call {@link #step()} after
 * {@code optimizer.step()}.
 */
public abstract class LRScheduler {
    protected final Optimizer optimizer;
    protected final List<Double> baseLrs;
    protected int lastEpoch;
    private List<Double> lastLr;
    private boolean initial;

    protected LRScheduler(Optimizer optimizer, int lastEpoch) {
        this.optimizer = optimizer;
        List<ParamGroup> groups = optimizer.paramGroups();
        if (lastEpoch == -1) {
            for (ParamGroup g : groups) {
                if (!g.has("initial_lr")) g.set("initial_lr", g.lr());
            }
        } else {
            for (int i = 0; i < groups.size(); i++) {
                if (!groups.get(i).has("initial_lr")) {
                    throw new IllegalArgumentException("param 'initial_lr' is not specified in param_groups[" + i
                            + "] when resuming scheduler with last_epoch >= 0.");
                }
            }
        }
        List<Double> base = new ArrayList<>();
        for (ParamGroup g : groups) base.add(g.getDouble("initial_lr"));
        this.baseLrs = Collections.unmodifiableList(base);
        this.lastEpoch = lastEpoch;
    }

    /** The step every subclass constructor ends with, once its own fields are set. */
    protected final void initialStep() {
        initial = true;
        try {
            step();
        } finally {
            initial = false;
        }
    }

    /** The learning rates of the next epoch from the groups' current ones (PyTorch's chainable form). */
    protected abstract List<Double> computeLr();

    /** True only during the step taken by the constructor. */
    protected boolean isInitial() {
        return initial;
    }

    /** Advances one epoch and writes the new learning rates into the optimizer's groups. */
    public void step() {
        lastEpoch++;
        List<Double> values = computeLr();
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int i = 0; i < groups.size(); i++) groups.get(i).setLr(values.get(i));
        List<Double> now = new ArrayList<>();
        for (ParamGroup g : groups) now.add(g.lr());
        lastLr = Collections.unmodifiableList(now);
    }

    /** The learning rates set by the last {@link #step()}, like {@code get_last_lr()}. */
    public List<Double> getLastLr() {
        return lastLr;
    }

    public int lastEpoch() {
        return lastEpoch;
    }

    public List<Double> baseLrs() {
        return baseLrs;
    }

    /** Each group's current learning rate. */
    protected List<Double> currentLrs() {
        List<Double> out = new ArrayList<>();
        for (ParamGroup g : optimizer.paramGroups()) out.add(g.lr());
        return out;
    }
}
