package dev.nnlab.gradflow;

import dev.nnlab.autograd.GradMode;
import dev.nnlab.autograd.RemovableHandle;
import dev.nnlab.nn.Module;
import dev.nnlab.nn.Parameter;
import dev.nnlab.optim.Optimizer;
import dev.nnlab.optim.ParamGroup;
import dev.nnlab.tensor.Tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Hooks on a live model that record its gradient flow every {@code every} training steps; made by
 * {@link GradFlow#watch}. A step is a forward of the model with grad enabled. Per recorded step: gradient statistics
 * (post-accumulate-grad hooks), dead units of ReLU-family modules (forward hooks), and, when an optimizer steps,
 * the log10 update:parameter ratio and the distance from the weights at {@code watch} time (optimizer step hooks).
 * {@link #stop()} removes every hook.
 */
public final class GradFlowWatch implements AutoCloseable {
    private final Module model;
    private final int every;
    private final int capacity;
    private final Thresholds thresholds;
    private final Map<String, String> types;
    private final LinkedHashMap<String, Parameter> params;
    private final Map<Parameter, String> names = new IdentityHashMap<>();
    private final Map<Parameter, Snapshot> initial = new IdentityHashMap<>();
    private final List<RemovableHandle> handles = new ArrayList<>();
    private final ArrayDeque<GradFlowReport> history = new ArrayDeque<>();
    private final List<Consumer<GradFlowReport>> listeners = new CopyOnWriteArrayList<>();
    private long steps;
    private Pending pending;
    private boolean active = true;

    /** What the hooks gather during one recorded step. */
    private static final class Pending {
        final long step;
        final Map<Parameter, LayerGrad> grads = new IdentityHashMap<>();
        final List<Parameter> fired = new ArrayList<>();
        final Map<Module, DeadUnits> dead = new LinkedHashMap<>();
        final Map<Parameter, Snapshot> before = new IdentityHashMap<>();
        final Map<Parameter, Double> ratios = new IdentityHashMap<>();

        Pending(long step) {
            this.step = step;
        }
    }

    GradFlowWatch(Module model, int every, int capacity, Thresholds thresholds, Map<String, String> types) {
        this.model = model;
        this.every = every;
        this.capacity = capacity;
        this.thresholds = thresholds;
        this.types = types;
        this.params = model.namedParameters();
        if (params.isEmpty()) throw new IllegalArgumentException(model.getName() + " has no parameters to watch");
        try {
            attach();
        } catch (RuntimeException e) {
            for (RemovableHandle h : handles) h.remove();
            throw e;
        }
    }

    private void attach() {
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            Parameter p = e.getValue();
            names.put(p, e.getKey());
            initial.put(p, Snapshot.of(p));
            if (p.requiresGrad()) handles.add(p.registerPostAccumulateGradHook(t -> onGrad(p)));
        }
        handles.add(model.registerForwardPreHook((m, args) -> {
            onForward();
            return null;
        }));
        for (Map.Entry<String, Module> e : model.namedModules().entrySet()) {
            Module m = e.getValue();
            if (!m.getName().contains("ReLU")) continue;
            String path = e.getKey();
            handles.add(m.registerForwardHook((mod, args, out) -> {
                onActivation(mod, path, out);
                return null;
            }));
        }
        handles.add(Optimizer.registerOptimizerStepPreHook(this::beforeStep));
        handles.add(Optimizer.registerOptimizerStepPostHook(this::afterStep));
    }

    private synchronized void onForward() {
        if (!active || !GradMode.isEnabled()) return;
        commit();
        long s = steps++;
        pending = s % every == 0 ? new Pending(s) : null;
    }

    private synchronized void onGrad(Parameter p) {
        Pending r = pending;
        if (r == null) return;
        String name = names.get(p);
        if (r.grads.put(p, LayerGrad.measure(name, types.get(name), p)) == null) r.fired.add(p);
    }

    private synchronized void onActivation(Module m, String path, Object out) {
        Pending r = pending;
        if (r == null || !(out instanceof Tensor t) || !t.isFloatingPoint()) return;
        DeadUnits d = DeadUnits.measure(path, m.getName(), t, thresholds.deadBatch());
        r.dead.merge(m, d, DeadUnits::plus);
    }

    private synchronized void beforeStep(Optimizer opt) {
        Pending r = pending;
        if (r == null) return;
        for (ParamGroup g : opt.paramGroups()) {
            for (Tensor t : g.params()) {
                if (t instanceof Parameter p && r.grads.containsKey(p) && !r.before.containsKey(p)) {
                    r.before.put(p, Snapshot.of(p));
                }
            }
        }
    }

    private synchronized void afterStep(Optimizer opt) {
        Pending r = pending;
        if (r == null) return;
        for (Map.Entry<Parameter, Snapshot> e : r.before.entrySet()) {
            if (!r.ratios.containsKey(e.getKey())) r.ratios.put(e.getKey(), e.getValue().log10Ratio(e.getKey()));
        }
        if (r.ratios.size() == r.grads.size()) commit();
    }

    private void commit() {
        if (pending == null) return;
        GradFlowReport r = build(pending);
        pending = null;
        if (r == null) return;
        history.addLast(r);
        while (history.size() > capacity) history.removeFirst();
        for (Consumer<GradFlowReport> l : listeners) {
            try {
                l.accept(r);
            } catch (RuntimeException e) {
                System.err.println("gradflow: a record listener failed: " + e);
            }
        }
    }

    /** The record of a pending step, parameters in forward order (reverse of the order their gradients arrived). */
    private GradFlowReport build(Pending r) {
        if (r.grads.isEmpty()) return null;
        List<Parameter> order = new ArrayList<>(params.values());
        List<Integer> slots = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) if (r.grads.containsKey(order.get(i))) slots.add(i);
        for (int k = 0; k < slots.size(); k++) order.set(slots.get(k), r.fired.get(r.fired.size() - 1 - k));
        List<LayerGrad> rows = new ArrayList<>();
        for (Parameter p : order) {
            String name = names.get(p);
            LayerGrad g = r.grads.get(p);
            if (g == null) g = LayerGrad.missing(name, types.get(name), Tensor.shapeString(p.shape()), !p.requiresGrad());
            Double ratio = r.ratios.get(p);
            rows.add(g.withStep(ratio == null ? Double.NaN : ratio, initial.get(p).distance(p)));
        }
        return new GradFlowReport(r.step, rows, new ArrayList<>(r.dead.values()), thresholds, false);
    }

    /**
     * {@code rows} (read from {@code .grad} now) with what the hooks saw in the last step, if it was recorded: its
     * dead units and update ratios, and each parameter's distance from the start.
     */
    synchronized GradFlowReport current(List<LayerGrad> rows, Thresholds t) {
        GradFlowReport last = latest();
        if (last == null || last.step() != steps - 1) return new GradFlowReport(-1, rows, List.of(), t, false);
        Map<String, LayerGrad> now = new LinkedHashMap<>();
        for (LayerGrad g : rows) now.put(g.name(), g);
        List<LayerGrad> out = new ArrayList<>();
        for (LayerGrad r : last.grads()) {  // the record's forward order
            LayerGrad g = now.remove(r.name());
            if (g == null) continue;
            Parameter p = params.get(g.name());
            out.add(g.withStep(r.updateRatio(), p == null ? Double.NaN : initial.get(p).distance(p)));
        }
        out.addAll(now.values());
        return new GradFlowReport(last.step(), out, last.activations(), t, false);
    }

    /** The recorded steps so far, oldest first, including the step being recorded now. */
    public synchronized GradFlowHistory history() {
        List<GradFlowReport> out = new ArrayList<>(history);
        GradFlowReport now = pending == null ? null : build(pending);
        if (now != null) out.add(now);
        return new GradFlowHistory(out, every, thresholds);
    }

    /** The most recent record (the step being recorded if it has gradients), or null before the first backward. */
    public synchronized GradFlowReport latest() {
        GradFlowReport now = pending == null ? null : build(pending);
        return now != null ? now : history.peekLast();
    }

    /** Calls {@code listener} with each record once its step is complete (after the optimizer step, or the next forward). */
    public RemovableHandle onRecord(Consumer<GradFlowReport> listener) {
        listeners.add(listener);
        return new RemovableHandle(() -> listeners.remove(listener));
    }

    /** Removes every hook and finishes the step being recorded; returns the history. Idempotent. */
    public synchronized GradFlowHistory stop() {
        if (active) {
            active = false;
            for (RemovableHandle h : handles) h.remove();
            handles.clear();
            commit();
            GradFlow.stopped(this);
        }
        return history();
    }

    @Override
    public void close() {
        stop();
    }

    public boolean isActive() {
        return active;
    }

    public Module model() {
        return model;
    }

    public int every() {
        return every;
    }

    /** Training steps seen so far. */
    public synchronized long steps() {
        return steps;
    }

    public Thresholds thresholds() {
        return thresholds;
    }

    @Override
    public synchronized String toString() {
        return "GradFlowWatch(" + model.getName() + ", every " + every + " steps, " + steps + " steps seen, "
                + history.size() + " recorded" + (active ? "" : ", stopped") + ")";
    }
}
