package dev.nnlab.bench;

import dev.nnlab.nn.Module;
import dev.nnlab.nn.Parameter;
import dev.nnlab.tensor.Generator;
import dev.nnlab.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;

/**
 * Models × modes, each timed by a {@link Timer}, shown as a {@link Compare}. Every model and mode is called once
 * before anything is timed, so a forward that throws fails at once with a message naming the model; the models'
 * gradients are put back as they were afterwards.
 *
 * <pre>{@code Compare c = new Benchmark("mlps").model("small", a).model("big", b).input(64, 100).run();}</pre>
 */
public final class Benchmark {
    private record Entry(String name, Module module, Object[] inputs) { }

    private final String title;
    private final List<Entry> entries = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private int[] shape;
    private List<BenchMode> modes = List.of(BenchMode.values());
    private double minTime = 0.2;
    private double minWarmup = 0.2;
    private double maxWarmup = 3.0;
    private ProgressListener progress = ProgressListener.NONE;

    public Benchmark(String title) {
        this.title = title == null ? "" : title;
    }

    /** A model to run on the shared input of {@link #input}. */
    public Benchmark model(String name, Module model) {
        return add(name, model, null);
    }

    /** A model with its own inputs (several for a multi-argument forward). */
    public Benchmark model(String name, Module model, Object... inputs) {
        if (inputs.length == 0) throw new IllegalArgumentException("model '" + name + "': no inputs given");
        return add(name, model, inputs.clone());
    }

    private Benchmark add(String name, Module model, Object[] inputs) {
        if (model == null) throw new IllegalArgumentException("model '" + name + "' is null");
        for (Entry e : entries) {
            if (e.name.equals(name)) throw new IllegalArgumentException("model '" + name + "' is already in the benchmark");
        }
        entries.add(new Entry(name, model, inputs));
        return this;
    }

    /** The shape of the random input (seeded, the global generator untouched) given to models without their own. */
    public Benchmark input(int... shape) {
        for (int d : shape) {
            if (d <= 0) throw new IllegalArgumentException("input shape must have positive sizes, got " + Arrays.toString(shape));
        }
        if (shape.length == 0) throw new IllegalArgumentException("input shape is empty");
        this.shape = shape.clone();
        return this;
    }

    public Benchmark modes(BenchMode... modes) {
        return modes(List.of(modes));
    }

    public Benchmark modes(List<BenchMode> modes) {
        if (modes.isEmpty()) throw new IllegalArgumentException("no benchmark mode given: expected fwd, nograd or fwdbwd");
        this.modes = List.copyOf(modes);
        return this;
    }

    /** Seconds of timed runs per model and mode (default 0.2, PyTorch's). */
    public Benchmark minTime(double seconds) {
        if (!(seconds > 0)) throw new IllegalArgumentException("minTime must be positive, got " + seconds);
        this.minTime = seconds;
        return this;
    }

    /** Warm-up bounds in seconds per model and mode; see {@link Timer#warmup}. */
    public Benchmark warmup(double min, double max) {
        Timer.checkWarmup(min, max);
        this.minWarmup = min;
        this.maxWarmup = max;
        return this;
    }

    public Benchmark progress(ProgressListener progress) {
        this.progress = progress == null ? ProgressListener.NONE : progress;
        return this;
    }

    /** A line shown under the table. */
    public Benchmark note(String note) {
        notes.add(note);
        return this;
    }

    public String title() {
        return title;
    }

    /** The models' names, in the order they were added: the rows of {@link #run}'s Compare. */
    public List<String> names() {
        List<String> out = new ArrayList<>();
        for (Entry e : entries) out.add(e.name);
        return out;
    }

    /** The modes each model is timed in: the columns of {@link #run}'s Compare. */
    public List<BenchMode> modeList() {
        return modes;
    }

    /** The lines shown under the table. */
    public List<String> notes() {
        return List.copyOf(notes);
    }

    /** Checks every model and mode with one call, then times them all. */
    public Compare run() {
        List<Entry> all = resolved();
        Map<Parameter, Tensor> grads = grads(all);
        try {
            for (Entry e : all) {
                for (BenchMode m : modes) call(e, m, m.statement(e.module, e.inputs), null);
            }
            List<Measurement> out = new ArrayList<>();
            int n = all.size() * modes.size();
            for (Entry e : all) {
                for (BenchMode m : modes) {
                    int done = out.size();
                    Timer t = new Timer(m.statement(e.module, e.inputs)).label(e.name).mode(m.key()).minTime(minTime)
                            .warmup(minWarmup, maxWarmup)
                            .progress((f, s) -> progress.update((done + f) / n, (done + 1) + "/" + n + " " + s));
                    out.add(call(e, m, null, t));
                }
            }
            progress.update(1, "done");
            return new Compare(title, out, notes);
        } finally {
            grads.forEach(Parameter::setGrad);
        }
    }

    /**
     * One cell of {@link #run}'s Compare: checks the model in the mode with one call, then times it with the same
     * settings. What a Spark sweep of a benchmark runs on an executor, one cell per task.
     */
    public Measurement measure(String name, BenchMode mode) {
        if (!modes.contains(mode)) {
            throw new IllegalArgumentException("mode " + mode + " is not in this benchmark's modes " + modes);
        }
        Entry e = null;
        for (Entry x : resolved()) {
            if (x.name.equals(name)) e = x;
        }
        if (e == null) throw new IllegalArgumentException("no model '" + name + "' in the benchmark; it has " + names());
        Map<Parameter, Tensor> grads = grads(List.of(e));
        try {
            call(e, mode, mode.statement(e.module, e.inputs), null);
            Timer t = new Timer(mode.statement(e.module, e.inputs)).label(e.name).mode(mode.key()).minTime(minTime)
                    .warmup(minWarmup, maxWarmup).progress(progress);
            return call(e, mode, null, t);
        } finally {
            grads.forEach(Parameter::setGrad);
        }
    }

    /** The entries with the shared input filled in. */
    private List<Entry> resolved() {
        if (entries.isEmpty()) throw new IllegalArgumentException("the benchmark has no models: add one with model(name, m)");
        Tensor shared = shape == null ? null : Tensor.randn(new Generator(0), shape);
        List<Entry> all = new ArrayList<>();
        for (Entry e : entries) {
            if (e.inputs == null && shared == null) {
                throw new IllegalArgumentException("model '" + e.name + "' has no input: give the benchmark an input"
                        + " shape (input(64, 100)) or the model its inputs");
            }
            all.add(e.inputs == null ? new Entry(e.name, e.module, new Object[] {shared}) : e);
        }
        return all;
    }

    /** The models' gradients now, to put back after timing. */
    private static Map<Parameter, Tensor> grads(List<Entry> entries) {
        Map<Parameter, Tensor> grads = new IdentityHashMap<>();
        for (Entry e : entries) {
            for (Parameter p : e.module.parameters()) grads.put(p, p.grad());
        }
        return grads;
    }

    /** Runs the statement once (timer null) or the timer, naming the model and mode if the model throws. */
    private static Measurement call(Entry e, BenchMode m, Runnable once, Timer timer) {
        try {
            if (timer != null) return timer.blockedAutorange();
            once.run();
            return null;
        } catch (CancellationException x) {
            throw x;
        } catch (RuntimeException | StackOverflowError x) {
            throw new IllegalStateException(e.name + " (" + m.key() + ") failed on input " + shapes(e.inputs) + ": "
                    + (x.getMessage() == null ? x.toString() : x.getMessage()), x);
        }
    }

    private static String shapes(Object[] inputs) {
        List<String> s = new ArrayList<>();
        for (Object o : inputs) s.add(o instanceof Tensor t ? Arrays.toString(t.shape()) : String.valueOf(o));
        return String.join(", ", s);
    }
}
