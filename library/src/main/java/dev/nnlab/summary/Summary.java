package dev.nnlab.summary;

import dev.nnlab.autograd.GradMode;
import dev.nnlab.autograd.RemovableHandle;
import dev.nnlab.nn.Module;
import dev.nnlab.nn.Parameter;
import dev.nnlab.tensor.DType;
import dev.nnlab.tensor.Tensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Summarises a model like torchinfo's {@code summary(model, input_size, depth, mode)}: one forward pass with a
 * pre-hook and a hook on every module, under no-grad, in the {@link Mode} asked for. Hooks are removed and every
 * module's mode (and, in train mode, every buffer) restored afterwards, even when forward throws.
 *
 * <pre>ModelStatistics s = Summary.of(model).input(64, 100).depth(3).run();</pre>
 */
public final class Summary {
    private final Module model;
    private final List<Object> inputs = new ArrayList<>();
    private int depth = 3;
    private Mode mode = Mode.EVAL;
    private int timedPasses;

    private Summary(Module model) {
        this.model = model;
    }

    /** A summary of {@code model}; give it an input with {@link #input(int...)} or {@link #inputs(Object...)}. */
    public static Summary of(Module model) {
        if (model == null) {
            throw new NullPointerException("summary: model is null");
        }
        return new Summary(model);
    }

    /** Shortcut: the summary of {@code model} on a float32 input of the given shape. */
    public static ModelStatistics summary(Module model, int... inputShape) {
        return of(model).input(inputShape).run();
    }

    /** One more float32 input of this shape (random normal values), like torchinfo's {@code input_size}. */
    public Summary input(int... shape) {
        return input(DType.FLOAT32, shape);
    }

    /** One more input of this shape and dtype: random normal values, or zeros for integer and bool types. */
    public Summary input(DType dtype, int... shape) {
        if (shape == null || shape.length == 0) {
            throw new IllegalArgumentException("summary: an input shape needs at least one size, such as (64, 100)");
        }
        for (int s : shape) {
            if (s <= 0) {
                throw new IllegalArgumentException("summary: input sizes must be positive, got " + Arrays.toString(shape));
            }
        }
        inputs.add(dtype.isFloatingPoint() ? Tensor.randn(dtype, shape) : Tensor.zeros(dtype, shape));
        return this;
    }

    /** The forward arguments themselves (tensors or anything forward takes), like torchinfo's {@code input_data}. */
    public Summary inputs(Object... args) {
        inputs.addAll(Arrays.asList(args));
        return this;
    }

    /** Rows deeper than this are folded into their ancestor (3 by default, as torchinfo). */
    public Summary depth(int depth) {
        if (depth < 0) {
            throw new IllegalArgumentException("summary: depth must be >= 0, got " + depth);
        }
        this.depth = depth;
        return this;
    }

    public Summary mode(Mode mode) {
        this.mode = mode;
        return this;
    }

    /** Also measures each call's time (median of {@code passes} hooked passes after as many warm-up passes). */
    public Summary times(int passes) {
        if (passes < 0) {
            throw new IllegalArgumentException("summary: passes must be >= 0, got " + passes);
        }
        this.timedPasses = passes;
        return this;
    }

    /** Runs the pass and returns the statistics. */
    public ModelStatistics run() {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("summary: no input; give its shape, as in Summary.of(model).input(64, 100)");
        }
        Object[] args = inputs.toArray();
        Map<Module, String> names = new IdentityHashMap<>();
        for (Map.Entry<String, Module> e : model.namedModules().entrySet()) {
            names.put(e.getValue(), e.getKey());
        }
        Recorder rec = new Recorder(names);
        List<Module> all = model.modules();
        boolean[] modes = new boolean[all.size()];
        for (int i = 0; i < modes.length; i++) {
            modes[i] = all.get(i).isTraining();
        }
        List<Tensor> buffers = mode == Mode.EVAL ? List.of() : model.buffers();
        List<Tensor> saved = new ArrayList<>();
        List<RemovableHandle> handles = new ArrayList<>();
        try (GradMode.Scope ignored = GradMode.set(false)) {
            for (Tensor b : buffers) {
                saved.add(b.clone());
            }
            if (mode == Mode.EVAL) {
                model.eval();
            } else if (mode == Mode.TRAIN) {
                model.train();
            }
            for (int i = 0; i < timedPasses; i++) {
                forward(args, null);
            }
            for (Module m : model.modules()) {
                handles.add(m.registerForwardPreHook(rec::enter));
                handles.add(m.registerForwardHook(rec::exit));
            }
            forward(args, rec);
            for (int i = 0; i < timedPasses; i++) {
                rec.nextPass();
                forward(args, rec);
            }
        } finally {
            handles.forEach(RemovableHandle::remove);
            restoreModes(all, modes);
            try (GradMode.Scope ignored = GradMode.set(false)) {
                for (int i = 0; i < saved.size(); i++) {
                    buffers.get(i).copy_(saved.get(i));
                }
            }
        }
        return build(rec, args);
    }

    /**
     * Gives each module back its own flag. train(b) recurses, so modules are set parents first (pre-order), and
     * again while a shared module's second parent has undone one.
     */
    private static void restoreModes(List<Module> all, boolean[] modes) {
        for (int round = 0; round <= all.size(); round++) {
            boolean changed = false;
            for (int i = 0; i < modes.length; i++) {
                if (round == 0 || all.get(i).isTraining() != modes[i]) {
                    all.get(i).train(modes[i]);
                    changed = true;
                }
            }
            if (!changed) {
                return;
            }
        }
    }

    private void forward(Object[] args, Recorder rec) {
        try {
            model.call(args);
        } catch (RuntimeException e) {
            String where = rec == null || rec.open.isEmpty() ? "" : " in " + rec.where(rec.open.peek().module);
            throw new IllegalArgumentException("summary: forward failed" + where + " for input " + shapes(args) + ": "
                    + e.getMessage(), e);
        }
    }

    private static String shapes(Object[] args) {
        List<String> out = new ArrayList<>();
        for (Object a : args) {
            out.add(a instanceof Tensor t ? Arrays.toString(t.shape()) : a == null ? "null" : a.getClass().getSimpleName());
        }
        return String.join(", ", out);
    }

    /** One module call as the hooks saw it. */
    static final class Call {
        final Module module;
        final int depth;
        final Object[] args;
        Object output;
        final List<Call> children = new ArrayList<>();
        final long[] nanos;
        final boolean training;
        long start;

        Call(Module module, int depth, Object[] args, int passes) {
            this.module = module;
            this.training = module.isTraining();
            this.depth = depth;
            this.args = args;
            this.nanos = new long[passes];
        }
    }

    /** The hooks' state: calls in order, the open ones as a stack. */
    final class Recorder {
        final Map<Module, String> names;
        final List<Call> calls = new ArrayList<>();
        final Deque<Call> open = new ArrayDeque<>();
        int pass;
        int index;

        Recorder(Map<Module, String> names) {
            this.names = names;
        }

        String where(Module m) {
            String n = names.get(m);
            return (n == null || n.isEmpty() ? "the model" : n) + " (" + m.getName() + ")";
        }

        void nextPass() {
            pass++;
            index = 0;
            open.clear();
        }

        Object[] enter(Module m, Object[] args) {
            Call c;
            if (pass == 0) {
                c = new Call(m, open.size(), args.clone(), timedPasses + 1);
                if (!open.isEmpty()) {
                    open.peek().children.add(c);
                }
                calls.add(c);
            } else {
                c = index < calls.size() ? calls.get(index) : null;
                index++;
            }
            if (c != null) {
                open.push(c);
                c.start = System.nanoTime();
            }
            return null;
        }

        Object exit(Module m, Object[] args, Object output) {
            long end = System.nanoTime();
            if (open.isEmpty()) {
                return null;
            }
            Call c = open.pop();
            c.nanos[pass] = end - c.start;
            if (pass == 0) {
                c.output = output;
            }
            return null;
        }
    }

    private ModelStatistics build(Recorder rec, Object[] args) {
        Set<Parameter> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Map<Call, long[]> own = new LinkedHashMap<>();
        for (Call c : rec.calls) {
            long p = 0;
            for (Parameter q : c.module.parameters(false)) {
                if (seen.add(q)) {
                    p += q.numel();
                }
            }
            own.put(c, new long[] {p, Costs.multAdds(c.module, c.output)});
        }
        long totalNanos = rec.calls.isEmpty() ? 0 : median(rec.calls.get(0).nanos, timedPasses);
        List<SummaryRow> rows = new ArrayList<>();
        for (Call c : rec.calls) {
            if (c.depth > depth) {
                continue;
            }
            long params = own.get(c)[0];
            long macs = own.get(c)[1];
            if (c.depth == depth) {
                for (Call d : descendants(c)) {
                    params += own.get(d)[0];
                    macs += own.get(d)[1];
                }
            }
            double secs = timedPasses > 0 ? median(c.nanos, timedPasses) / 1e9 : Double.NaN;
            String path = rec.names.getOrDefault(c.module, "?");
            rows.add(new SummaryRow(path, c.module.getName(), c.depth, Costs.shapes(c.args), Costs.shapes(c.output),
                    params, Costs.kernelShape(c.module), macs, trainable(c.module), !c.children.isEmpty(), secs));
        }
        long total = model.numParameters();
        long trainable = model.numParameters(true);
        long macs = 0;
        for (long[] v : own.values()) {
            macs += v[1];
        }
        long paramBytes = 0;
        for (Parameter p : model.parameters()) {
            paramBytes += (long) p.numel() * p.dtype().itemSize();
        }
        long inputBytes = Costs.bytes(Costs.tensors(args));
        Costs.Activations act = Costs.activations(rec.calls);
        return new ModelStatistics(model.getName(), rows, depth, total, trainable, macs, inputBytes, act.forward(),
                act.saved(), paramBytes, timedPasses > 0 ? totalNanos / 1e9 : Double.NaN);
    }

    private static List<Call> descendants(Call c) {
        List<Call> out = new ArrayList<>();
        Deque<Call> todo = new ArrayDeque<>(c.children);
        while (!todo.isEmpty()) {
            Call d = todo.pop();
            out.add(d);
            todo.addAll(d.children);
        }
        return out;
    }

    /** The median of the timed passes (1..n), or the one hooked pass when none were asked for. */
    private static long median(long[] nanos, int timed) {
        if (timed == 0) {
            return nanos[0];
        }
        long[] t = Arrays.copyOfRange(nanos, 1, timed + 1);
        Arrays.sort(t);
        return t.length % 2 == 1 ? t[t.length / 2] : (t[t.length / 2 - 1] + t[t.length / 2]) / 2;
    }

    private static String trainable(Module m) {
        List<Parameter> ps = m.parameters(false);
        if (ps.isEmpty()) {
            return "--";
        }
        long on = ps.stream().filter(Tensor::requiresGrad).count();
        return on == ps.size() ? "True" : on == 0 ? "False" : "Partial";
    }
}
