package dev.nnlab.gradflow;

import dev.nnlab.nn.Module;
import dev.nnlab.nn.Parameter;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gradient flow of a live model. After {@code loss.backward()}: {@code GradFlow.report(model)}. Over training:
 * {@code var w = GradFlow.watch(model, 10)} before the loop (the loop is unchanged; hooks record every 10th step,
 * dead ReLU units and the optimizer's update ratio included), then {@code w.stop()} and {@code w.history()}.
 */
public final class GradFlow {
    private static final Map<Module, GradFlowWatch> WATCHES = new IdentityHashMap<>();

    private GradFlow() { }

    /** The gradients now in {@code model}'s parameters, judged by the default thresholds; weights shown. */
    public static GradFlowReport report(Module model) {
        return report(model, Thresholds.defaults());
    }

    /**
     * The gradients now in {@code model}'s parameters. Throws when no parameter has a gradient (backward not run).
     * Dead units and update ratios need hooks: when {@code model} is watched and its last training step was recorded,
     * the report adds that step's dead units, update ratios and distances (see {@link #watch}).
     */
    public static GradFlowReport report(Module model, Thresholds thresholds) {
        if (model == null) throw new IllegalArgumentException("gradflow needs a Module, got null");
        if (thresholds == null) throw new IllegalArgumentException("thresholds must not be null");
        Map<String, Parameter> params = model.namedParameters();
        if (params.isEmpty()) throw new IllegalArgumentException(model.getName() + " has no parameters");
        Map<String, String> types = types(model);
        List<LayerGrad> rows = new ArrayList<>();
        boolean any = false, trainable = false;
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            LayerGrad g = LayerGrad.measure(e.getKey(), types.get(e.getKey()), e.getValue());
            any |= g.hasGrad();
            trainable |= e.getValue().requiresGrad();
            rows.add(g);
        }
        if (!trainable) {
            throw new IllegalStateException("every parameter of " + model.getName()
                    + " is frozen (requires_grad=False): there is no gradient flow to show");
        }
        if (!any) {
            throw new IllegalStateException("no parameter of " + model.getName()
                    + " has a gradient yet: run loss.backward() first");
        }
        GradFlowWatch w = watching(model);
        return w == null ? new GradFlowReport(-1, rows, List.of(), thresholds, false) : w.current(rows, thresholds);
    }

    /** Records every {@code every}-th training step of {@code model}, up to 1000 records, default thresholds. */
    public static GradFlowWatch watch(Module model, int every) {
        return watch(model, every, 1000, Thresholds.defaults());
    }

    /**
     * Attaches hooks that record every {@code every}-th training step (a forward of {@code model} with grad enabled)
     * into a history of at most {@code capacity} records, oldest dropped. One watch per model at a time.
     */
    public static GradFlowWatch watch(Module model, int every, int capacity, Thresholds thresholds) {
        if (model == null) throw new IllegalArgumentException("gradflow needs a Module, got null");
        if (every < 1) throw new IllegalArgumentException("every must be a number of steps >= 1, got " + every);
        if (capacity < 1) throw new IllegalArgumentException("capacity must be >= 1 record, got " + capacity);
        if (thresholds == null) throw new IllegalArgumentException("thresholds must not be null");
        synchronized (WATCHES) {
            GradFlowWatch old = WATCHES.get(model);
            if (old != null) {
                throw new IllegalStateException(model.getName() + " is already watched (every " + old.every()
                        + " steps); stop() that watch first");
            }
            GradFlowWatch w = new GradFlowWatch(model, every, capacity, thresholds, types(model));
            WATCHES.put(model, w);
            return w;
        }
    }

    /** The active watch on {@code model}, or null. */
    public static GradFlowWatch watching(Module model) {
        synchronized (WATCHES) {
            return WATCHES.get(model);
        }
    }

    static void stopped(GradFlowWatch w) {
        synchronized (WATCHES) {
            WATCHES.remove(w.model(), w);
        }
    }

    /** The class name of the module owning each parameter, by dotted parameter name. */
    static Map<String, String> types(Module model) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, Module> m : model.namedModules().entrySet()) {
            for (String p : m.getValue().namedParameters("", false, true).keySet()) {
                out.putIfAbsent(m.getKey().isEmpty() ? p : m.getKey() + "." + p, m.getValue().getName());
            }
        }
        return out;
    }
}
