package dev.nnlab.hooks;

import dev.nnlab.autograd.RemovableHandle;
import dev.nnlab.nn.Module;
import dev.nnlab.tensor.Tensor;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Records what flows through a live model's modules, the article's {@code HookManager} done properly. One call
 * attaches forward hooks (activations) and/or full backward hooks (grad_output, grad_input) to the modules that
 * match; the recorder holds the handles and {@link #remove()} removes them all.
 * <pre>{@code
 * Recorder rec = Recorder.on(model).type("Linear", "ReLU").attach();   // or .path("layers.*"), .what(BOTH)
 * model.call(x);
 * rec.table()      // one row per module in forward order: mean, std, min, max, norm, zeros, NaN, Inf, shape, calls
 * rec.remove();
 * }</pre>
 * Running statistics are always kept (bounded memory); {@link Keep#LAST} also keeps the last tensor (a detached
 * copy, so a later in-place change cannot alter it), {@link Keep#HISTORY} a bounded history of per-call statistics.
 * The hooks return null, so the model's outputs and gradients are exactly those without the recorder.
 */
public final class Recorder {
    /** What to record. */
    public enum What {
        ACTIVATIONS, GRADIENTS, BOTH;

        /** {@code "activations"}, {@code "gradients"} or {@code "both"}. */
        public static What parse(String s) {
            return Recorder.parse(What.class, "what", s);
        }

        boolean forward() {
            return this != GRADIENTS;
        }

        boolean backward() {
            return this != ACTIVATIONS;
        }
    }

    /** What to keep beside the running statistics. */
    public enum Keep {
        STATS, LAST, HISTORY;

        /** {@code "stats"}, {@code "last"} or {@code "history"}. */
        public static Keep parse(String s) {
            return Recorder.parse(Keep.class, "keep", s);
        }
    }

    /** The tensor a row is about: a module's output, or the gradients w.r.t. its output and its input. */
    public enum Kind {
        OUTPUT, GRAD_OUTPUT, GRAD_INPUT;

        /** The name PyTorch users know: {@code output}, {@code grad_output}, {@code grad_input}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One attached hook: its handle's id, the module and the hook kind ({@code forward} or {@code backward}). */
    public record Attached(long id, String path, String type, String hook) { }

    /** The settings two recorders are equal by: attaching an equal one to the same model returns the first. */
    record Spec(What what, List<String> types, String path, Keep keep, int historySize) { }

    private static final int DEFAULT_HISTORY = 1000;

    private final Module model;
    private final Spec spec;
    private final List<Site> sites;
    private final List<RemovableHandle> handles = new ArrayList<>();
    private final List<Attached> attached = new ArrayList<>();
    private final List<String> unmatchedTypes;
    private int nextOrder;

    private Recorder(Module model, Spec spec, List<Site> sites, List<String> unmatchedTypes) {
        this.model = model;
        this.spec = spec;
        this.sites = sites;
        this.unmatchedTypes = unmatchedTypes;
    }

    /** Starts a recorder for {@code model}; by default it records the activations of every leaf module. */
    public static Builder on(Module model) {
        return new Builder(Objects.requireNonNull(model, "model is null: pass a Module to record"));
    }

    /** The recorders attached to {@code model} (or any of its modules), found through the hooks they registered. */
    public static List<Recorder> attached(Module model) {
        Set<Recorder> out = new LinkedHashSet<>();
        for (Module m : model.modules()) {
            for (Module.HookInfo h : m.registeredHooks()) {
                if (h.fn() instanceof Site s && s.recorder().isAttached()) out.add(s.recorder());
            }
        }
        return new ArrayList<>(out);
    }

    /** The recorder that registered a hook, or null when it is not a recorder's. */
    public static Recorder ownerOf(Module.HookInfo hook) {
        return hook.fn() instanceof Site s ? s.recorder() : null;
    }

    /** Options of a recorder; {@link #attach()} builds and attaches it. */
    public static final class Builder {
        private final Module model;
        private What what = What.ACTIVATIONS;
        private final List<String> types = new ArrayList<>();
        private String path;
        private Keep keep = Keep.STATS;
        private int historySize = DEFAULT_HISTORY;

        private Builder(Module model) {
            this.model = model;
        }

        public Builder what(What w) {
            what = Objects.requireNonNull(w, "what");
            return this;
        }

        /** {@code "activations"}, {@code "gradients"} or {@code "both"}. */
        public Builder what(String w) {
            return what(What.parse(w));
        }

        /** Records only modules of these classes (simple names, superclasses count: {@code "Linear"}). */
        public Builder type(String... names) {
            for (String n : names) {
                if (n == null || n.isBlank()) throw new IllegalArgumentException("empty module type name: write e.g. "
                        + "type(\"Linear\", \"ReLU\")");
                types.add(n.trim());
            }
            return this;
        }

        @SafeVarargs
        public final Builder type(Class<? extends Module>... classes) {
            for (Class<? extends Module> c : classes) types.add(c.getSimpleName());
            return this;
        }

        /** Records only modules whose dotted path matches this glob ({@code fnmatch} rules: {@code "layers.*"}). */
        public Builder path(String glob) {
            Objects.requireNonNull(glob, "path glob is null");
            try {
                Glob.compile(glob);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("bad path glob '" + glob + "': " + e.getDescription(), e);
            }
            path = glob;
            return this;
        }

        public Builder keep(Keep k) {
            keep = Objects.requireNonNull(k, "keep");
            return this;
        }

        /** {@code "stats"}, {@code "last"} or {@code "history"}. */
        public Builder keep(String k) {
            return keep(Keep.parse(k));
        }

        /** How many per-call statistics {@link Keep#HISTORY} keeps per module (oldest dropped first). */
        public Builder historySize(int n) {
            if (n < 1) throw new IllegalArgumentException("historySize must be at least 1, got " + n);
            historySize = n;
            return this;
        }

        /**
         * Attaches to the matching modules and returns the recorder; an equal recorder already attached to this
         * model is returned instead, so attaching twice never doubles hooks. No match is an error, and a failure
         * leaves nothing attached.
         */
        public Recorder attach() {
            Spec spec = new Spec(what, List.copyOf(types), path, keep, historySize);
            for (Recorder r : attached(model)) if (r.model == model && r.spec.equals(spec)) return r;
            List<String> unmatched = new ArrayList<>(types);
            List<Site> sites = select(unmatched);
            Recorder r = new Recorder(model, spec, Collections.unmodifiableList(sites), List.copyOf(unmatched));
            for (Site s : sites) s.recorder = r;
            return r.attach();
        }

        private List<Site> select(List<String> unmatched) {
            Pattern glob = path == null ? null : Glob.compile(path);
            List<Site> out = new ArrayList<>();
            Map<String, Module> all = model.namedModules();
            for (Map.Entry<String, Module> e : all.entrySet()) {
                String p = e.getKey();
                Module m = e.getValue();
                if (glob != null && (p.isEmpty() || !glob.matcher(p).matches())) continue;
                if (!types.isEmpty()) {
                    String t = matchingType(m);
                    if (t == null) continue;
                    unmatched.remove(t);
                } else if (glob == null && !m.children().isEmpty()) {
                    continue;
                }
                out.add(new Site(p, m, what, keep, historySize, out.size()));
            }
            if (out.isEmpty()) throw noMatch(all);
            return out;
        }

        private String matchingType(Module m) {
            for (Class<?> c = m.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
                if (types.contains(c.getSimpleName())) return c.getSimpleName();
            }
            if (types.contains(m.getName())) return m.getName();
            return null;
        }

        private IllegalArgumentException noMatch(Map<String, Module> all) {
            Set<String> present = new LinkedHashSet<>();
            List<String> paths = new ArrayList<>();
            for (Map.Entry<String, Module> e : all.entrySet()) {
                present.add(e.getValue().getName());
                if (!e.getKey().isEmpty() && paths.size() < 12) paths.add(e.getKey());
            }
            String what = (types.isEmpty() ? "" : "of type " + String.join(", ", types))
                    + (types.isEmpty() || path == null ? "" : " and ") + (path == null ? "" : "with path '" + path + "'");
            return new IllegalArgumentException("no module " + (what.isEmpty() ? "to record" : what) + " in "
                    + model.getName() + "; its types: " + String.join(", ", present) + "; its paths: "
                    + (paths.isEmpty() ? "(none: the model has no submodules)" : String.join(", ", paths)
                    + (all.size() - 1 > paths.size() ? ", ..." : "")));
        }
    }

    /** Attaches the hooks again after {@link #remove()}; does nothing when attached. A failure removes what it added. */
    public Recorder attach() {
        if (isAttached()) return this;
        try {
            for (Site s : sites) {
                if (spec.what().forward()) {
                    RemovableHandle h = s.module.registerForwardHook((Module.ForwardHook) s);
                    handles.add(h);
                    attached.add(new Attached(h.id(), s.path, s.module.getName(), "forward"));
                }
                if (spec.what().backward()) {
                    RemovableHandle h = s.module.registerFullBackwardHook((Module.BackwardHook) s);
                    handles.add(h);
                    attached.add(new Attached(h.id(), s.path, s.module.getName(), "backward"));
                }
            }
        } catch (RuntimeException e) {
            remove();
            throw e;
        }
        return this;
    }

    /** Removes every hook this recorder attached; the statistics stay readable. */
    public void remove() {
        for (RemovableHandle h : handles) h.remove();
        handles.clear();
        attached.clear();
    }

    /** Removes the one hook with this handle id; false when it is not this recorder's. */
    public boolean remove(long id) {
        for (int i = 0; i < handles.size(); i++) {
            if (handles.get(i).id() == id) {
                handles.remove(i).remove();
                attached.remove(i);
                return true;
            }
        }
        return false;
    }

    public boolean isAttached() {
        return !handles.isEmpty();
    }

    public Module model() {
        return model;
    }

    public What what() {
        return spec.what();
    }

    public Keep keep() {
        return spec.keep();
    }

    /** The type filter as given; empty when there was none. */
    public List<String> types() {
        return spec.types();
    }

    /** The path glob, or null when there was none. */
    public String path() {
        return spec.path();
    }

    /** Type names in the filter that matched no module of the model (a typo, or a layer the model lacks). */
    public List<String> unmatchedTypes() {
        return unmatchedTypes;
    }

    /** The hooks attached now, in attach order. */
    public List<Attached> hooks() {
        return List.copyOf(attached);
    }

    /** The handles of the hooks attached now. */
    public List<RemovableHandle> handles() {
        return List.copyOf(handles);
    }

    /** The recorded module paths, in model order. */
    public List<String> paths() {
        List<String> out = new ArrayList<>();
        for (Site s : sites) out.add(s.path);
        return out;
    }

    /** The running statistics of a module's output. */
    public TensorStats stats(String path) {
        return stats(path, Kind.OUTPUT);
    }

    public TensorStats stats(String path, Kind kind) {
        return site(path).probe(kind, spec.what()).stats;
    }

    /** The last tensor recorded for a module's output (detached copy); needs {@link Keep#LAST}. */
    public Tensor last(String path) {
        return last(path, Kind.OUTPUT);
    }

    public Tensor last(String path, Kind kind) {
        if (spec.keep() != Keep.LAST) {
            throw new IllegalStateException("this recorder keeps " + spec.keep().name().toLowerCase(Locale.ROOT)
                    + ", not the last tensor: attach one with keep(Keep.LAST)");
        }
        return site(path).probe(kind, spec.what()).last;
    }

    /** Forgets all statistics, last tensors and history; the hooks stay. */
    public void reset() {
        nextOrder = 0;
        for (Site s : sites) s.reset();
    }

    private Site site(String path) {
        for (Site s : sites) if (s.path.equals(path)) return s;
        throw new IllegalArgumentException("module '" + path + "' is not recorded; recorded: "
                + String.join(", ", paths()));
    }

    /** The statistics, one row per module and kind, in forward order (modules never called last, in model order). */
    public Table table() {
        StringColumn module = StringColumn.create("module"), type = StringColumn.create("type"),
                kind = StringColumn.create("kind"), shape = StringColumn.create("shape");
        LongColumn calls = LongColumn.create("calls"), nan = LongColumn.create("nan"), inf = LongColumn.create("inf");
        DoubleColumn mean = DoubleColumn.create("mean"), std = DoubleColumn.create("std"),
                min = DoubleColumn.create("min"), max = DoubleColumn.create("max"), norm = DoubleColumn.create("norm"),
                zeros = DoubleColumn.create("zero_frac");
        for (Site s : ordered()) {
            for (Probe p : s.probes()) {
                TensorStats st = p.stats;
                module.append(s.path.isEmpty() ? "(model)" : s.path);
                type.append(s.module.getName());
                kind.append(p.kind.label());
                calls.append(st.calls());
                shape.append(st.shapeString());
                mean.append(st.mean());
                std.append(st.std());
                min.append(st.min());
                max.append(st.max());
                norm.append(st.norm());
                zeros.append(st.zeroFraction());
                nan.append(st.nans());
                inf.append(st.infs());
            }
        }
        Table t = Table.create("hook stats", module, type, kind, calls, shape, mean, std, min, max, norm, zeros, nan,
                inf);
        for (DoubleColumn c : List.of(mean, std, min, max, norm)) c.setPrintFormatter(Format.SIGNIFICANT);
        zeros.setPrintFormatter(Format.FRACTION);
        return t;
    }

    /** The per-call statistics kept with {@link Keep#HISTORY}: one row per module, kind and step (its call number). */
    public Table history() {
        if (spec.keep() != Keep.HISTORY) {
            throw new IllegalStateException("this recorder keeps " + spec.keep().name().toLowerCase(Locale.ROOT)
                    + ", not a history: attach one with keep(Keep.HISTORY)");
        }
        StringColumn module = StringColumn.create("module"), kind = StringColumn.create("kind");
        IntColumn step = IntColumn.create("step");
        LongColumn nan = LongColumn.create("nan"), inf = LongColumn.create("inf");
        DoubleColumn mean = DoubleColumn.create("mean"), std = DoubleColumn.create("std"),
                min = DoubleColumn.create("min"), max = DoubleColumn.create("max"), norm = DoubleColumn.create("norm"),
                zeros = DoubleColumn.create("zero_frac");
        for (Site s : ordered()) {
            for (Probe p : s.probes()) {
                long first = p.stats.calls() - p.history.size() + 1;
                int i = 0;
                for (TensorStats st : p.history) {
                    module.append(s.path.isEmpty() ? "(model)" : s.path);
                    kind.append(p.kind.label());
                    step.append((int) (first + i++));
                    mean.append(st.mean());
                    std.append(st.std());
                    min.append(st.min());
                    max.append(st.max());
                    norm.append(st.norm());
                    zeros.append(st.zeroFraction());
                    nan.append(st.nans());
                    inf.append(st.infs());
                }
            }
        }
        Table t = Table.create("hook history", module, kind, step, mean, std, min, max, norm, zeros, nan, inf);
        for (DoubleColumn c : List.of(mean, std, min, max, norm)) c.setPrintFormatter(Format.SIGNIFICANT);
        zeros.setPrintFormatter(Format.FRACTION);
        return t;
    }

    /** The attached hooks as a table: id, module, type, hook kind and what each records. */
    public Table hookTable() {
        LongColumn id = LongColumn.create("id");
        StringColumn module = StringColumn.create("module"), type = StringColumn.create("type"),
                hook = StringColumn.create("hook"), records = StringColumn.create("records");
        for (Attached a : attached) {
            id.append(a.id());
            module.append(a.path().isEmpty() ? "(model)" : a.path());
            type.append(a.type());
            hook.append(a.hook());
            records.append(a.hook().equals("forward") ? "output" : "grad_output, grad_input");
        }
        return Table.create("hooks attached", id, module, type, hook, records);
    }

    private List<Site> ordered() {
        List<Site> out = new ArrayList<>(sites);
        out.sort(Comparator.comparingLong(Site::rank));
        return out;
    }

    /** A short description: what, keep and filters, e.g. {@code recorder(activations, stats, type=Linear)}. */
    public String label() {
        StringBuilder sb = new StringBuilder("recorder(").append(spec.what().name().toLowerCase(Locale.ROOT))
                .append(", ").append(spec.keep().name().toLowerCase(Locale.ROOT));
        if (!spec.types().isEmpty()) sb.append(", type=").append(String.join(",", spec.types()));
        if (spec.path() != null) sb.append(", path=").append(spec.path());
        return sb.append(')').toString();
    }

    @Override
    public String toString() {
        return label() + ": " + sites.size() + " modules, " + handles.size() + " hooks attached\n" + table().print();
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String option, String s) {
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            names.add(e.name().toLowerCase(Locale.ROOT));
            if (e.name().equalsIgnoreCase(s == null ? "" : s.trim())) return e;
        }
        throw new IllegalArgumentException("bad " + option + " '" + s + "': expected one of " + String.join(", ", names));
    }

    /** What one kind of tensor of one module has seen. */
    private static final class Probe {
        final Kind kind;
        final Keep keep;
        final int historySize;
        TensorStats stats = new TensorStats();
        Tensor last;
        final ArrayDeque<TensorStats> history = new ArrayDeque<>();

        Probe(Kind kind, Keep keep, int historySize) {
            this.kind = kind;
            this.keep = keep;
            this.historySize = historySize;
        }

        void add(Tensor t) {
            if (keep == Keep.HISTORY) {
                TensorStats one = new TensorStats();
                one.add(t);
                stats.merge(one);
                if (history.size() == historySize) history.removeFirst();
                history.addLast(one);
            } else {
                stats.add(t);
            }
            if (keep == Keep.LAST) last = t == null ? null : t.detach().clone();
        }

        void reset() {
            stats = new TensorStats();
            last = null;
            history.clear();
        }
    }

    /** One recorded module: its forward hook and full backward hook are this object. */
    private static final class Site implements Module.ForwardHook, Module.BackwardHook {
        final String path;
        final Module module;
        final Probe output, gradOutput, gradInput;
        Recorder recorder;
        long forwardOrder = -1, backwardOrder = -1;
        final int modelIndex;

        Site(String path, Module module, What what, Keep keep, int historySize, int modelIndex) {
            this.path = path;
            this.module = module;
            this.output = what.forward() ? new Probe(Kind.OUTPUT, keep, historySize) : null;
            this.gradOutput = what.backward() ? new Probe(Kind.GRAD_OUTPUT, keep, historySize) : null;
            this.gradInput = what.backward() ? new Probe(Kind.GRAD_INPUT, keep, historySize) : null;
            this.modelIndex = modelIndex;
        }

        Recorder recorder() {
            return recorder;
        }

        @Override
        public Object apply(Module m, Object[] args, Object out) {
            if (forwardOrder < 0) forwardOrder = recorder.nextOrder++;
            output.add(firstTensor(out));
            return null;
        }

        @Override
        public Tensor[] apply(Module m, Tensor[] gradIn, Tensor[] gradOut) {
            if (backwardOrder < 0) backwardOrder = recorder.nextOrder++;
            gradOutput.add(gradOut.length > 0 ? gradOut[0] : null);
            gradInput.add(gradIn.length > 0 ? gradIn[0] : null);
            return null;
        }

        private static Tensor firstTensor(Object out) {
            if (out instanceof Tensor t) return t;
            if (out instanceof Object[] a) for (Object o : a) if (o instanceof Tensor t) return t;
            return null;
        }

        /** Forward order when activations are recorded, else the reverse of the backward order; uncalled last. */
        long rank() {
            if (output != null) return forwardOrder >= 0 ? forwardOrder : Integer.MAX_VALUE + (long) modelIndex;
            return backwardOrder >= 0 ? -backwardOrder : Integer.MAX_VALUE + (long) modelIndex;
        }

        List<Probe> probes() {
            List<Probe> out = new ArrayList<>(3);
            if (output != null) out.add(output);
            if (gradOutput != null) out.add(gradOutput);
            if (gradInput != null) out.add(gradInput);
            return out;
        }

        Probe probe(Kind kind, What what) {
            Probe p = kind == Kind.OUTPUT ? output : kind == Kind.GRAD_OUTPUT ? gradOutput : gradInput;
            if (p == null) {
                throw new IllegalStateException("this recorder records " + what.name().toLowerCase(Locale.ROOT)
                        + ", not " + kind.label() + ": attach one with what(What.BOTH)");
            }
            return p;
        }

        void reset() {
            forwardOrder = -1;
            backwardOrder = -1;
            for (Probe p : probes()) p.reset();
        }
    }
}
