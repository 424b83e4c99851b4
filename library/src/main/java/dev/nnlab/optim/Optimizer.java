package dev.nnlab.optim;

import dev.nnlab.autograd.EnableGrad;
import dev.nnlab.autograd.GradMode;
import dev.nnlab.autograd.RemovableHandle;
import dev.nnlab.tensor.Tensor;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * The base of all optimizers, like {@code torch.optim.Optimizer}: param groups with per-group options,
 * per-parameter state, {@code zeroGrad}, {@code step} and state dicts keyed by parameter index.
 */
public abstract class Optimizer {
    private final Map<String, Object> defaults;
    private final List<ParamGroup> groups = new ArrayList<>();
    private final Map<Tensor, Map<String, Object>> state = new IdentityHashMap<>();
    private static final List<StepHook> GLOBAL_PRE = new CopyOnWriteArrayList<>();
    private static final List<StepHook> GLOBAL_POST = new CopyOnWriteArrayList<>();
    private final List<StepHook> preHooks = new CopyOnWriteArrayList<>();
    private final List<StepHook> postHooks = new CopyOnWriteArrayList<>();

    /** Runs before or after {@link #step()}; like PyTorch's optimizer step hooks, without args and kwargs. */
    @FunctionalInterface
    public interface StepHook {
        void apply(Optimizer optimizer);
    }

    /** The state of an optimizer: per-parameter state by index, and each group's options with its {@code "params"} indices. */
    public record StateDict(Map<Integer, Map<String, Object>> state, List<Map<String, Object>> paramGroups) { }

    protected Optimizer(List<ParamGroup> groups, Map<String, Object> defaults) {
        this.defaults = Collections.unmodifiableMap(new LinkedHashMap<>(defaults));
        if (groups.isEmpty()) throw new IllegalArgumentException("optimizer got an empty parameter list");
        for (ParamGroup g : groups) addParamGroup(g);
    }

    /** A single group holding all of {@code params}. */
    protected static List<ParamGroup> single(Iterable<? extends Tensor> params) {
        ParamGroup g = new ParamGroup(params);
        return g.params().isEmpty() ? List.of() : List.of(g);
    }

    public Map<String, Object> defaults() {
        return defaults;
    }

    /** The live param groups; change an option with {@code paramGroups().get(0).setLr(0.01)}. */
    public List<ParamGroup> paramGroups() {
        return Collections.unmodifiableList(groups);
    }

    /** Per-parameter state ({@code "momentum_buffer"}, {@code "exp_avg"}, ...), keyed by identity, like {@code optimizer.state}. */
    public Map<Tensor, Map<String, Object>> state() {
        return state;
    }

    /** Per-parameter state map, created on first use. */
    protected Map<String, Object> stateOf(Tensor p) {
        return state.computeIfAbsent(p, k -> new LinkedHashMap<>());
    }

    public void addParamGroup(Iterable<? extends Tensor> params) {
        addParamGroup(new ParamGroup(params));
    }

    /** Adds a group (e.g. unfrozen layers while fine-tuning); its missing options come from the defaults. */
    public void addParamGroup(ParamGroup group) {
        for (Tensor p : group.params()) {
            if (p == null) throw new IllegalArgumentException("optimizer can only optimize Tensors, but one of the params is NoneType");
            if (!p.isLeaf() && !p.retainsGrad()) throw new IllegalArgumentException("can't optimize a non-leaf Tensor");
        }
        Map<Tensor, Boolean> seen = new IdentityHashMap<>();
        for (Tensor p : group.params()) {
            if (seen.put(p, Boolean.TRUE) != null) {
                System.err.println("UserWarning: optimizer contains a parameter group with duplicate parameters; "
                        + "in future, this will cause an error; see github.com/pytorch/pytorch/issues/40967 for more information");
                break;
            }
        }
        for (ParamGroup other : groups) {
            for (Tensor p : other.params()) {
                if (seen.containsKey(p)) throw new IllegalArgumentException("some parameters appear in more than one parameter group");
            }
        }
        for (Map.Entry<String, Object> e : defaults.entrySet()) group.setDefault(e.getKey(), e.getValue());
        groups.add(group);
    }

    /** Resets the gradients of all optimized parameters to null. */
    public void zeroGrad() {
        zeroGrad(true);
    }

    /** Resets gradients to null, or (setToNone false) zeroes them in place, like {@code zero_grad}. */
    public void zeroGrad(boolean setToNone) {
        for (ParamGroup g : groups) {
            for (Tensor p : g.params()) {
                Tensor grad = p.grad();
                if (grad == null) continue;
                if (setToNone) {
                    p.setGrad(null);
                } else {
                    if (grad.gradFn() != null) grad.detach_();
                    else grad.requiresGrad_(false);
                    try (GradMode.Scope s = GradMode.set(false)) {
                        grad.zero_();
                    }
                }
            }
        }
    }

    /** Performs one update of every parameter that has a gradient. */
    public final void step() {
        for (StepHook h : GLOBAL_PRE) h.apply(this);
        for (StepHook h : preHooks) h.apply(this);
        try (GradMode.Scope s = GradMode.set(false)) {
            for (ParamGroup g : groups) update(g);
        }
        for (StepHook h : postHooks) h.apply(this);
        for (StepHook h : GLOBAL_POST) h.apply(this);
    }

    /** Like {@code optimizer.register_step_pre_hook}. */
    public RemovableHandle registerStepPreHook(StepHook hook) {
        return addHook(preHooks, hook);
    }

    /** Like {@code optimizer.register_step_post_hook}. */
    public RemovableHandle registerStepPostHook(StepHook hook) {
        return addHook(postHooks, hook);
    }

    /** A pre-step hook for every optimizer, like {@code torch.optim.optimizer.register_optimizer_step_pre_hook}. */
    public static RemovableHandle registerOptimizerStepPreHook(StepHook hook) {
        return addHook(GLOBAL_PRE, hook);
    }

    /** A post-step hook for every optimizer, like {@code register_optimizer_step_post_hook}. */
    public static RemovableHandle registerOptimizerStepPostHook(StepHook hook) {
        return addHook(GLOBAL_POST, hook);
    }

    private static RemovableHandle addHook(List<StepHook> list, StepHook hook) {
        StepHook h = java.util.Objects.requireNonNull(hook, "hook");
        list.add(h);
        return new RemovableHandle(() -> list.remove(h));
    }

    /** Re-evaluates the loss with grad enabled, then steps; returns the loss, like {@code step(closure)}. */
    public final Tensor step(Supplier<Tensor> closure) {
        Tensor loss;
        try (GradMode.Scope s = EnableGrad.enter()) {
            loss = closure.get();
        }
        step();
        return loss;
    }

    /** Updates the parameters of one group; runs under no-grad. */
    protected abstract void update(ParamGroup group);

    /** The state as PyTorch lays it out: parameters numbered across groups in order. */
    public StateDict stateDict() {
        Map<Tensor, Integer> index = new IdentityHashMap<>();
        Map<Integer, Map<String, Object>> packedState = new LinkedHashMap<>();
        List<Map<String, Object>> packedGroups = new ArrayList<>();
        int next = 0;
        for (ParamGroup g : groups) {
            Map<String, Object> packed = new LinkedHashMap<>(g.options());
            List<Integer> ids = new ArrayList<>();
            for (Tensor p : g.params()) {
                Integer i = index.get(p);
                if (i == null) {
                    i = next;
                    index.put(p, i);
                }
                next++;
                ids.add(i);
                Map<String, Object> s = state.get(p);
                if (s != null && !packedState.containsKey(i)) packedState.put(i, new LinkedHashMap<>(s));
            }
            packed.put("params", ids);
            packedGroups.add(packed);
        }
        return new StateDict(packedState, packedGroups);
    }

    /** Restores options and state from {@link #stateDict()}; tensors are copied and cast to each parameter's dtype. */
    public void loadStateDict(StateDict sd) {
        List<Map<String, Object>> saved = sd.paramGroups();
        if (saved.size() != groups.size()) {
            throw new IllegalArgumentException("loaded state dict has a different number of parameter groups");
        }
        Map<Integer, Tensor> byId = new LinkedHashMap<>();
        for (int gi = 0; gi < groups.size(); gi++) {
            List<?> ids = (List<?>) saved.get(gi).get("params");
            List<Tensor> params = groups.get(gi).params();
            if (ids == null || ids.size() != params.size()) {
                throw new IllegalArgumentException(
                        "loaded state dict contains a parameter group that doesn't match the size of optimizer's group");
            }
            for (int j = 0; j < ids.size(); j++) byId.put(((Number) ids.get(j)).intValue(), params.get(j));
        }
        Map<Tensor, Map<String, Object>> loaded = new IdentityHashMap<>();
        for (Map.Entry<Integer, Map<String, Object>> e : sd.state().entrySet()) {
            Tensor p = byId.get(e.getKey());
            if (p == null) continue;
            Map<String, Object> s = new LinkedHashMap<>();
            for (Map.Entry<String, Object> v : e.getValue().entrySet()) s.put(v.getKey(), castState(p, v.getKey(), v.getValue()));
            loaded.put(p, s);
        }
        state.clear();
        state.putAll(loaded);
        for (int gi = 0; gi < groups.size(); gi++) {
            for (Map.Entry<String, Object> o : saved.get(gi).entrySet()) {
                if (!o.getKey().equals("params")) groups.get(gi).set(o.getKey(), o.getValue());
            }
        }
    }

    private static Object castState(Tensor p, String key, Object value) {
        if (!(value instanceof Tensor)) return value;
        Tensor t = (Tensor) value;
        if (key.equals("step")) return t.detach().clone();
        if (!java.util.Arrays.equals(t.shape(), p.shape())) {
            throw new IllegalArgumentException("loaded state dict has a '" + key + "' of shape " + Tensor.shapeString(t.shape())
                    + " for a parameter of shape " + Tensor.shapeString(p.shape()));
        }
        Tensor c = t.detach().to(p.dtype());
        return c == t || c.sharesStorageWith(t) ? t.detach().clone().contiguous() : c.contiguous();
    }

    /** A double as Python prints it ({@code 0.001}, {@code 1e-08}, {@code -1.0}), for error messages. */
    static String py(double v) {
        if (Double.isNaN(v)) return "nan";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        double a = Math.abs(v);
        if (a == 0 || (a >= 1e-4 && a < 1e16)) {
            String s = new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
            return s.contains(".") ? s : s + ".0";
        }
        String s = Double.toString(v);
        int e = s.indexOf('E');
        String mant = s.substring(0, e).replaceAll("\\.0$", "");
        int exp = Integer.parseInt(s.substring(e + 1));
        return mant + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }
}
