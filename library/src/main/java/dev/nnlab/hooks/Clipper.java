package dev.nnlab.hooks;

import dev.nnlab.autograd.AccumulateGrad;
import dev.nnlab.autograd.Node;
import dev.nnlab.autograd.RemovableHandle;
import dev.nnlab.nn.Module;
import dev.nnlab.nn.Parameter;
import dev.nnlab.nn.utils.ClipGrad;
import dev.nnlab.tensor.Tensor;

import java.lang.reflect.RecordComponent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Gradient clipping by hooks, what the article's {@code apply_gradient_clipping} meant to do: at the end of every
 * backward through the model, the gradients of all its parameters are scaled so that their total L2 norm is at most
 * {@code maxNorm}, exactly as {@code clip_grad_norm_(model.parameters(), maxNorm)} called after {@code backward()}.
 * Activation gradients (grad_input) are left alone, so nothing compounds upstream and the last layer is clipped too.
 *
 * <p>How: a forward hook on the model notes which parameters the output depends on; a post-accumulate-grad hook on
 * each parameter notes its arrival, and when the last one has its gradient the norm is clipped.
 */
public final class Clipper {
    private final Module model;
    private final double maxNorm;
    private final List<Parameter> params;
    private final Set<Tensor> paramSet = Collections.newSetFromMap(new IdentityHashMap<>());
    private final List<RemovableHandle> handles = new ArrayList<>();
    private final RootHook rootHook = new RootHook();
    private Set<Tensor> expected = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<Tensor> arrived = Collections.newSetFromMap(new IdentityHashMap<>());
    private long backwards;
    private long clipped;
    private double lastNorm = Double.NaN;

    private Clipper(Module model, double maxNorm, List<Parameter> params) {
        this.model = model;
        this.maxNorm = maxNorm;
        this.params = params;
        paramSet.addAll(params);
    }

    /** Attaches to {@code model}; {@code maxNorm} must be positive. A failure leaves nothing attached. */
    public static Clipper attach(Module model, double maxNorm) {
        if (model == null) throw new NullPointerException("model is null: pass a Module to clip");
        if (!(maxNorm > 0) || Double.isInfinite(maxNorm)) {
            throw new IllegalArgumentException("max_norm must be a positive finite number, got " + maxNorm);
        }
        List<Parameter> ps = new ArrayList<>();
        for (Parameter p : model.parameters()) if (p.requiresGrad()) ps.add(p);
        if (ps.isEmpty()) {
            throw new IllegalArgumentException(model.getName() + " has no parameter that requires grad: nothing to clip");
        }
        Clipper c = new Clipper(model, maxNorm, ps);
        try {
            c.handles.add(model.registerForwardHook(c.rootHook));
            for (Parameter p : ps) c.handles.add(p.registerPostAccumulateGradHook(c::accumulated));
        } catch (RuntimeException e) {
            c.remove();
            throw e;
        }
        return c;
    }

    /** The clipper that registered this hook, or null. */
    public static Clipper ownerOf(Module.HookInfo hook) {
        return hook.fn() instanceof RootHook r ? r.owner() : null;
    }

    /** The clippers attached to {@code model}. */
    public static List<Clipper> attached(Module model) {
        List<Clipper> out = new ArrayList<>();
        for (Module.HookInfo h : model.registeredHooks()) {
            Clipper c = ownerOf(h);
            if (c != null && c.isAttached()) out.add(c);
        }
        return out;
    }

    private void accumulated(Tensor param) {
        if (!expected.contains(param)) return;
        arrived.add(param);
        if (arrived.size() < expected.size()) return;
        arrived.clear();
        backwards++;
        lastNorm = ClipGrad.clipGradNorm_(params, maxNorm).item();
        if (maxNorm / (lastNorm + 1e-6) < 1) clipped++;
    }

    /** The forward hook on the model: the parameters this output's graph reaches are those backward will fill. */
    private final class RootHook implements Module.ForwardHook {
        @Override
        public Object apply(Module m, Object[] args, Object out) {
            Set<Tensor> reached = reached(out);
            if (reached != null) {
                expected = reached;
                arrived.clear();
            }
            return null;
        }

        Clipper owner() {
            return Clipper.this;
        }
    }

    private Set<Tensor> reached(Object out) {
        List<Tensor> roots = new ArrayList<>();
        collect(out, roots);
        ArrayDeque<Node> todo = new ArrayDeque<>();
        Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Tensor t : roots) {
            Node.Edge e = Node.edgeOf(t);
            if (e != null && seen.add(e.node())) todo.add(e.node());
        }
        if (todo.isEmpty()) return null;
        Set<Tensor> found = Collections.newSetFromMap(new IdentityHashMap<>());
        while (!todo.isEmpty()) {
            Node n = todo.poll();
            if (n instanceof AccumulateGrad a && paramSet.contains(a.variable())) found.add(a.variable());
            for (Node.Edge e : n.nextFunctions()) if (e != null && seen.add(e.node())) todo.add(e.node());
        }
        return found.isEmpty() ? null : found;
    }

    private static void collect(Object out, List<Tensor> into) {
        if (out instanceof Tensor t) {
            into.add(t);
        } else if (out instanceof Object[] a) {
            for (Object o : a) collect(o, into);
        } else if (out instanceof Iterable<?> it) {
            for (Object o : it) collect(o, into);
        } else if (out != null && out.getClass().isRecord()) {
            for (RecordComponent c : out.getClass().getRecordComponents()) {
                try {
                    c.getAccessor().setAccessible(true);
                    collect(c.getAccessor().invoke(out), into);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    // a component we cannot read holds no tensor we can follow
                }
            }
        }
    }

    /** Removes the forward hook and the parameter hooks. */
    public void remove() {
        for (RemovableHandle h : handles) h.remove();
        handles.clear();
    }

    public boolean isAttached() {
        return !handles.isEmpty();
    }

    public Module model() {
        return model;
    }

    public double maxNorm() {
        return maxNorm;
    }

    /** The handles: the model's forward hook first, then one post-accumulate-grad hook per parameter. */
    public List<RemovableHandle> handles() {
        return List.copyOf(handles);
    }

    /** The number of parameters watched. */
    public int numParameters() {
        return params.size();
    }

    /** Backward passes seen (each clipped the norm if needed). */
    public long backwards() {
        return backwards;
    }

    /** Backward passes whose total norm was above {@code maxNorm}, so gradients were scaled. */
    public long clipped() {
        return clipped;
    }

    /** The total gradient norm before clipping in the last backward, NaN before the first. */
    public double lastNorm() {
        return lastNorm;
    }

    public String label() {
        return String.format(Locale.ROOT, "clip(max_norm=%s)", maxNorm);
    }

    /** What this clipper changes, in words. */
    public String describe() {
        return String.format(Locale.ROOT, "After every backward through %s, the gradients of its %d parameters that "
                + "require grad are scaled together so that their total L2 norm is at most %s, the same as calling "
                + "clip_grad_norm_(model.parameters(), %s) after backward(). Activation gradients (grad_input) are "
                + "not touched, so the article's compounding upstream rescaling and the unclipped last layer are gone."
                + " With gradient accumulation it clips after each backward, not once before the step.",
                model.getName(), params.size(), maxNorm, maxNorm);
    }

    @Override
    public String toString() {
        return label() + ": " + (isAttached() ? "attached" : "removed") + ", " + backwards + " backward passes, "
                + clipped + " clipped, last norm " + lastNorm;
    }
}
