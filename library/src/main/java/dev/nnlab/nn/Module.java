package dev.nnlab.nn;

import dev.nnlab.autograd.NoGrad;
import dev.nnlab.autograd.RemovableHandle;
import dev.nnlab.tensor.DType;
import dev.nnlab.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Base class of all neural-network modules, like {@code torch.nn.Module}.
 *
 * <p>State is registered explicitly and in order: {@code weight = registerParameter("weight", new Parameter(w))}
 * sets the field and the registry at once. Registration order is iteration order and state-dict order.
 *
 * <p>A field that holds a registered entry is that entry, as an attribute is in PyTorch: assigning it
 * ({@code lin.weight = new Parameter(w)}, {@code lin.bias = null}, {@code net.fc = new Linear(4, 6)},
 * {@code dec.weight = enc.weight} to tie) is seen by {@code parameters()}, {@code stateDict()}, optimizers made
 * afterwards, hooks and repr, at the entry's place; {@code registerParameter("weight", p)} on an existing name sets the
 * field too. A {@code Parameter} or {@code Module} field holding something never registered (here or below) is an
 * error at the first call, naming the field and the registration to write.
 *
 * <p>Authors override {@code forward}; users call {@code call}, which runs the hooks. A layer with one tensor in and
 * one out overrides {@code Tensor forward(Tensor x)} and is called as {@code Tensor y = layer.call(x)}. A module with
 * other arguments or results overrides {@code Object forward(Object... args)}, and hooks see the same
 * {@code Object[]} arguments and {@code Object} result. The article's {@code DynamicNetwork}:
 * <pre>{@code
 * record Out(Tensor output, int depth) { }
 *
 * public Object forward(Object... args) {        // overrides Module.forward
 *     Tensor x = (Tensor) args[0];
 *     int depth = args.length > 1 && args[1] != null ? Math.min((Integer) args[1], maxDepth) : sampleDepth();
 *     for (int i = 0; i < depth; i++) x = layers.get(i).call(x);
 *     return new Out(x, depth);
 * }
 *
 * Out r = model.call(x, 3);             // (output, depth) = model(x, depth=3)
 * Out s = model.call(x, null);          // model(x): depth=None
 * }</pre>
 * Keyword arguments travel as a trailing {@link Kwargs}; a hook sees them when its type takes them
 * ({@link ForwardPreHookWithKwargs}, {@link ForwardHookWithKwargs}: PyTorch's {@code with_kwargs=True}). Full backward
 * hooks see the tensors of a result that is a {@code Tensor}, an {@code Object[]} or a record.
 *
 * <p>After {@code import dev.nnlab.nn.*}, also {@code import dev.nnlab.nn.Module}: {@code java.lang.Module} has the
 * same simple name.
 */
public abstract class Module {
    private static final ClassValue<Boolean> TYPED_FORWARD = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            try {
                return type.getMethod("forward", Tensor.class).getDeclaringClass() != Module.class;
            } catch (NoSuchMethodException e) {
                return false;
            }
        }
    };

    // The registry. Read it through ownParameters(), ownBuffers() and ownModules(), which first bring it up to date
    // with the fields (Binding); only Binding and the registration methods touch these maps directly.
    final LinkedHashMap<String, Parameter> parameters = new LinkedHashMap<>();
    final LinkedHashMap<String, Tensor> buffers = new LinkedHashMap<>();
    final Set<String> nonPersistent = new java.util.HashSet<>();
    final LinkedHashMap<String, Module> modules = new LinkedHashMap<>();
    /** Binds registry entries to the fields holding them; null when the class has no such field. */
    private final Binding binding = Binding.of(this);
    /** Set once the first call found the fields and the registry in agreement. */
    private boolean checked;
    /** Bumped on every change of {@link #modules}, so containers can cache their children. */
    int modulesVersion;
    /** The module that last registered this one, and under which name: gives error messages a path. */
    Module parent;
    String nameInParent;
    boolean training = true;
    private final boolean typedForward = TYPED_FORWARD.get(getClass());

    // ---------------------------------------------------------------- registration

    /**
     * Registers (or replaces, keeping its position) a parameter; null is allowed, like PyTorch. Replacing one that a
     * field holds also sets the field, so {@code registerParameter("weight", p)} and {@code m.weight = p} are the same.
     */
    public <P extends Parameter> P registerParameter(String name, P param) {
        checkName("parameter", name);
        if (buffers.containsKey(name) || modules.containsKey(name)) alreadyExists(name);
        if (binding != null) binding.beforePut(name, param, parameters.containsKey(name));
        parameters.put(name, param);
        return param;
    }

    /** Registers a persistent buffer (saved in the state dict). */
    public <T extends Tensor> T registerBuffer(String name, T tensor) {
        return registerBuffer(name, tensor, true);
    }

    /** Registers (or replaces) a buffer; a non-persistent one is left out of the state dict. */
    public <T extends Tensor> T registerBuffer(String name, T tensor, boolean persistent) {
        checkName("buffer", name);
        if (parameters.containsKey(name) || modules.containsKey(name)) alreadyExists(name);
        if (binding != null) binding.beforePut(name, tensor, buffers.containsKey(name));
        buffers.put(name, tensor);
        if (persistent) nonPersistent.remove(name);
        else nonPersistent.add(name);
        return tensor;
    }

    /** Registers (or replaces, keeping its position) a child module; null is allowed. */
    public <M extends Module> M registerModule(String name, M module) {
        if (name == null) throw new IllegalArgumentException("module name should be a string. Got null");
        if (parameters.containsKey(name) || buffers.containsKey(name)) alreadyExists(name);
        if (name.contains(".")) throw new IllegalArgumentException("module name can't contain \".\", got: " + name);
        if (name.isEmpty()) throw new IllegalArgumentException("module name can't be empty string \"\"");
        if (binding != null) binding.beforePut(name, module, modules.containsKey(name));
        putModule(name, module);
        return module;
    }

    private void putModule(String name, Module module) {
        modules.put(name, module);
        modulesVersion++;
        if (module != null) {
            module.parent = this;
            module.nameInParent = name;
        }
    }

    /** A bound field now holds {@code value}: the registry follows, keeping the entry's position. */
    void fieldChanged(String name, Object value) {
        if (parameters.containsKey(name)) parameters.put(name, (Parameter) value);
        else if (buffers.containsKey(name)) buffers.put(name, (Tensor) value);
        else putModule(name, (Module) value);
    }

    /** Brings the registry up to date with the fields that hold its entries. */
    final void sync() {
        if (binding != null) binding.sync();
    }

    /** This module's own parameters by name, current with its fields. */
    final Map<String, Parameter> ownParameters() {
        sync();
        return parameters;
    }

    final Map<String, Tensor> ownBuffers() {
        sync();
        return buffers;
    }

    final Map<String, Module> ownModules() {
        sync();
        return modules;
    }

    private void firstCall() {
        sync();
        checked = true;
    }

    /** Same as {@link #registerModule}, PyTorch's {@code add_module}. */
    public <M extends Module> M addModule(String name, M module) {
        return registerModule(name, module);
    }

    private static void checkName(String kind, String name) {
        if (name == null) throw new IllegalArgumentException(kind + " name should be a string. Got null");
        if (name.contains(".")) throw new IllegalArgumentException(kind + " name can't contain \".\"");
        if (name.isEmpty()) throw new IllegalArgumentException(kind + " name can't be empty string \"\"");
    }

    private static void alreadyExists(String name) {
        throw new IllegalArgumentException("attribute '" + name + "' already exists");
    }

    /** A container's typed accessor: {@code m} as a {@code type}, or an error naming where it is, what it is and what was asked. */
    static <M extends Module> M as(Module m, Class<M> type, String where) {
        if (m == null || type.isInstance(m)) return type.cast(m);
        throw new IllegalArgumentException(where + " is a " + m.getName() + ", not a " + type.getSimpleName()
                + ": " + m.toString().lines().findFirst().orElse(""));
    }

    /** Inserts {@code module} under key {@code index}, shifting the numbered keys after it (ModuleList, Sequential). */
    void insertNumbered(int index, Module module) {
        int n = ownModules().size();
        if (index < -n || index > n) throw new IndexOutOfBoundsException("Index out of range: " + index);
        if (index < 0) index += n;
        for (int i = n; i > index; i--) registerModule(Integer.toString(i), modules.get(Integer.toString(i - 1)));
        registerModule(Integer.toString(index), module);
    }

    /** Removes a child module (clearing the field that held it), renumbering nothing. */
    Module removeModule(String name) {
        if (binding != null) binding.beforeRemove(name);
        Module m = modules.remove(name);
        modulesVersion++;
        if (m != null && m.parent == this) m.parent = null;
        return m;
    }

    /** Removes a parameter (clearing the field that held it). */
    Parameter removeParameter(String name) {
        if (binding != null) binding.beforeRemove(name);
        return parameters.remove(name);
    }

    /** Renumbers the children 0..n-1 in order (ModuleList, Sequential after a delete). */
    void renumber() {
        List<Module> values = new ArrayList<>(ownModules().values());
        modules.clear();
        for (int i = 0; i < values.size(); i++) {
            modules.put(Integer.toString(i), values.get(i));
            if (values.get(i) != null) values.get(i).nameInParent = Integer.toString(i);
        }
        modulesVersion++;
        if (binding != null) binding.rebind();
    }

    // ---------------------------------------------------------------- traversal

    public List<Parameter> parameters() {
        return parameters(true);
    }

    public List<Parameter> parameters(boolean recurse) {
        return new ArrayList<>(namedParameters("", recurse, true).values());
    }

    /** Parameters by dotted name, each listed once (by identity). */
    public LinkedHashMap<String, Parameter> namedParameters() {
        return namedParameters("", true, true);
    }

    public LinkedHashMap<String, Parameter> namedParameters(String prefix, boolean recurse, boolean removeDuplicate) {
        return namedMembers(prefix, recurse, removeDuplicate, true);
    }

    public List<Tensor> buffers() {
        return new ArrayList<>(namedBuffers().values());
    }

    public LinkedHashMap<String, Tensor> namedBuffers() {
        return namedBuffers("", true, true);
    }

    public LinkedHashMap<String, Tensor> namedBuffers(String prefix, boolean recurse, boolean removeDuplicate) {
        return namedMembers(prefix, recurse, removeDuplicate, false);
    }

    @SuppressWarnings("unchecked")
    private <T extends Tensor> LinkedHashMap<String, T> namedMembers(String prefix, boolean recurse,
                                                                     boolean removeDuplicate, boolean params) {
        LinkedHashMap<String, T> out = new LinkedHashMap<>();
        Map<Tensor, Boolean> seen = new IdentityHashMap<>();
        Map<String, Module> mods = recurse ? namedModules(prefix, removeDuplicate) : Map.of(prefix, this);
        for (Map.Entry<String, Module> e : mods.entrySet()) {
            Module m0 = e.getValue();
            // namedModules has synced each module already; a lone module syncs here
            Map<String, ? extends Tensor> own = !recurse ? (params ? m0.ownParameters() : m0.ownBuffers())
                    : params ? m0.parameters : m0.buffers;
            for (Map.Entry<String, ? extends Tensor> m : own.entrySet()) {
                Tensor t = m.getValue();
                if (t == null) continue;
                if (removeDuplicate && seen.put(t, Boolean.TRUE) != null) continue;
                out.put(e.getKey().isEmpty() ? m.getKey() : e.getKey() + "." + m.getKey(), (T) t);
            }
        }
        return out;
    }

    /** Direct children, each once. */
    public List<Module> children() {
        return new ArrayList<>(namedChildren().values());
    }

    public LinkedHashMap<String, Module> namedChildren() {
        LinkedHashMap<String, Module> out = new LinkedHashMap<>();
        Map<Module, Boolean> seen = new IdentityHashMap<>();
        for (Map.Entry<String, Module> e : ownModules().entrySet()) {
            if (e.getValue() != null && seen.put(e.getValue(), Boolean.TRUE) == null) out.put(e.getKey(), e.getValue());
        }
        return out;
    }

    /** This module and all below it, parent first, each once. */
    public List<Module> modules() {
        return new ArrayList<>(namedModules().values());
    }

    public LinkedHashMap<String, Module> namedModules() {
        return namedModules("", true);
    }

    public LinkedHashMap<String, Module> namedModules(String prefix, boolean removeDuplicate) {
        LinkedHashMap<String, Module> out = new LinkedHashMap<>();
        collectModules(prefix, removeDuplicate ? new IdentityHashMap<>() : null, out);
        return out;
    }

    private void collectModules(String prefix, Map<Module, Boolean> seen, Map<String, Module> out) {
        if (seen != null && seen.put(this, Boolean.TRUE) != null) return;
        out.put(prefix, this);
        for (Map.Entry<String, Module> e : ownModules().entrySet()) {
            if (e.getValue() == null) continue;
            e.getValue().collectModules(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), seen, out);
        }
    }

    /** The submodule at a dotted path like {@code "net.0"}; the empty path is this module. */
    public Module getSubmodule(String target) {
        if (target.isEmpty()) return this;
        Module mod = this;
        for (String item : target.split("\\.", -1)) {
            if (!mod.ownModules().containsKey(item)) {
                if (mod.parameters.containsKey(item) || mod.buffers.containsKey(item)) {
                    throw new IllegalArgumentException("`" + item + "` is not an nn.Module");
                }
                throw new IllegalArgumentException(mod.getName() + " has no attribute `" + item + "`");
            }
            mod = mod.modules.get(item);
            if (mod == null) throw new IllegalArgumentException("`" + item + "` is not an nn.Module");
        }
        return mod;
    }

    public Parameter getParameter(String target) {
        int dot = target.lastIndexOf('.');
        Module mod = getSubmodule(dot < 0 ? "" : target.substring(0, dot));
        String name = target.substring(dot + 1);
        if (mod.ownParameters().containsKey(name)) return mod.parameters.get(name);
        if (mod.buffers.containsKey(name) || mod.modules.containsKey(name)) {
            throw new IllegalArgumentException("`" + name + "` is not an nn.Parameter");
        }
        throw new IllegalArgumentException(mod.getName() + " has no attribute `" + name + "`");
    }

    public Tensor getBuffer(String target) {
        int dot = target.lastIndexOf('.');
        Module mod = getSubmodule(dot < 0 ? "" : target.substring(0, dot));
        String name = target.substring(dot + 1);
        if (mod.ownBuffers().containsKey(name)) return mod.buffers.get(name);
        if (mod.parameters.containsKey(name) || mod.modules.containsKey(name)) {
            throw new IllegalArgumentException("`" + name + "` is not a buffer");
        }
        throw new IllegalArgumentException(mod.getName() + " has no attribute `" + name + "`");
    }

    /** Number of parameter values, each shared parameter once. */
    public long numParameters() {
        return numParameters(false);
    }

    public long numParameters(boolean trainableOnly) {
        long n = 0;
        for (Parameter p : parameters()) if (!trainableOnly || p.requiresGrad()) n += p.numel();
        return n;
    }

    // ---------------------------------------------------------------- modes and bulk operations

    public boolean isTraining() {
        return training;
    }

    public Module train() {
        return train(true);
    }

    /** Sets training mode here and in every submodule. */
    public Module train(boolean mode) {
        training = mode;
        for (Module m : ownModules().values()) if (m != null) m.train(mode);
        return this;
    }

    public Module eval() {
        return train(false);
    }

    /** Calls {@code fn} on every submodule (children first), then on this module, like {@code nn.Module.apply}. */
    public Module apply(Consumer<? super Module> fn) {
        for (Module m : children()) m.apply(fn);
        fn.accept(this);
        return this;
    }

    public Module requiresGrad_(boolean requiresGrad) {
        for (Parameter p : parameters()) p.requiresGrad_(requiresGrad);
        return this;
    }

    public void zeroGrad() {
        zeroGrad(true);
    }

    /** Resets the gradients of all parameters: to null by default, else to zeros. */
    public void zeroGrad(boolean setToNone) {
        for (Parameter p : parameters()) {
            Tensor g = p.grad();
            if (g == null) continue;
            if (setToNone) {
                p.setGrad(null);
            } else {
                if (g.gradFn() != null) g.detach_();
                else g.requiresGrad_(false);
                try (var ng = NoGrad.enter()) {
                    g.zero_();
                }
            }
        }
    }

    /**
     * Converts floating-point parameters and buffers (and their grads) to {@code dtype}, keeping every tensor object:
     * its data is replaced, so fields and optimizers stay valid (PyTorch's {@code _apply}).
     */
    public Module to(DType dtype) {
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("nn.Module.to only accepts floating point dtypes, but got desired dtype="
                    + dtype);
        }
        Map<Tensor, Boolean> done = new IdentityHashMap<>();
        try (var ng = NoGrad.enter()) {
            for (Module m : modules()) {
                for (Tensor p : m.ownParameters().values()) convert(p, dtype, done);
                for (Tensor b : m.ownBuffers().values()) convert(b, dtype, done);
            }
        }
        return this;
    }

    public Module toDouble() {
        return to(DType.FLOAT64);
    }

    public Module toFloat() {
        return to(DType.FLOAT32);
    }

    private static void convert(Tensor t, DType dtype, Map<Tensor, Boolean> done) {
        if (t == null || !t.isFloatingPoint() || done.put(t, Boolean.TRUE) != null) return;
        if (t.dtype() != dtype) t.setData(t.detach().to(dtype));
        Tensor g = t.grad();
        if (g != null && g.dtype() != dtype) t.setGrad(g.detach().to(dtype));
    }

    // ---------------------------------------------------------------- printing

    /** The class name PyTorch prints. */
    public String getName() {
        String n = getClass().getSimpleName();
        return n.isEmpty() ? getClass().getName() : n;
    }

    /** The text inside the parentheses of this module's repr, like {@code in_features=10, out_features=20, bias=True}. */
    public String extraRepr() {
        return "";
    }

    @Override
    public String toString() {
        List<String> lines = new ArrayList<>();
        String extra = extraRepr();
        List<String> extraLines = extra.isEmpty() ? List.of() : Arrays.asList(extra.split("\n", -1));
        lines.addAll(extraLines);
        List<String> childLines = new ArrayList<>();
        for (Map.Entry<String, Module> e : ownModules().entrySet()) {
            String s = e.getValue() == null ? "None" : e.getValue().toString();
            childLines.add(Repr.addIndent("(" + e.getKey() + "): " + s, 2));
        }
        lines.addAll(childLines);
        StringBuilder sb = new StringBuilder(getName()).append('(');
        if (!lines.isEmpty()) {
            if (extraLines.size() == 1 && childLines.isEmpty()) sb.append(extraLines.get(0));
            else sb.append("\n  ").append(String.join("\n  ", lines)).append('\n');
        }
        return sb.append(')').toString();
    }

    /** The dotted path from the outermost registering module, or "" for a root. */
    String path() {
        List<String> names = new ArrayList<>();
        Set<Module> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Module m = this; m.parent != null && seen.add(m); m = m.parent) {
            if (m.parent.modules.get(m.nameInParent) != m) break;
            names.add(m.nameInParent);
        }
        Collections.reverse(names);
        return String.join(".", names);
    }

    // ---------------------------------------------------------------- forward and the call path

    /**
     * The computation of a module that takes one tensor and returns one; override this or
     * {@link #forward(Object...)}.
     */
    public Tensor forward(Tensor x) {
        if (typedForward) throw missingForward();
        return asTensor(forward(new Object[] {x}));
    }

    /** The computation of a module with any arguments and result; the default runs {@link #forward(Tensor)}. */
    public Object forward(Object... args) {
        if (!typedForward) throw missingForward();
        if (args.length == 1 && args[0] instanceof Tensor t) return forward(t);
        throw new IllegalArgumentException(getName() + ".forward() takes 2 positional arguments but "
                + (args.length + 1) + " were given");
    }

    private UnsupportedOperationException missingForward() {
        return new UnsupportedOperationException("Module [" + getName() + "] is missing the required \"forward\" function");
    }

    private Tensor asTensor(Object r) {
        if (r instanceof Tensor t) return t;
        String type = r == null ? "null" : r.getClass().getSimpleName();
        throw new ClassCastException(getName() + " returned " + type + ", not a Tensor: call it as `" + type
                + " r = m.call(new Object[] {x})`");
    }

    /** Runs the module on one tensor: hooks, then {@code forward}, then hooks. Like {@code module(x)}. */
    public final Tensor call(Tensor x) {
        if (!checked) firstCall();
        if (hookCount == 0 && Hooks.globalCount == 0) return typedForward ? forward(x) : asTensor(forward(new Object[] {x}));
        return asTensor(callWithHooks(new Object[] {x}));
    }

    /**
     * Runs the module on any arguments (a trailing {@link Kwargs} holds keyword arguments) and returns its result,
     * cast to what the caller assigns it to: {@code Out r = model.call(x, 3)}.
     */
    @SuppressWarnings("unchecked")
    public final <R> R call(Object... args) {
        if (!checked) firstCall();
        if (hookCount == 0 && Hooks.globalCount == 0) return (R) invokeForward(args);
        return (R) callWithHooks(args);
    }

    /** One positional argument of any type, the tensor case without an argument array (what containers use). */
    final Object callOne(Object x) {
        if (!checked) firstCall();
        if (x instanceof Tensor t && typedForward && hookCount == 0 && Hooks.globalCount == 0) return forward(t);
        return call(new Object[] {x});
    }

    private Object invokeForward(Object[] args) {
        if (typedForward && args.length == 1 && args[0] instanceof Tensor t) return forward(t);
        return forward(args);
    }

    // ---------------------------------------------------------------- hooks

    /** Runs before forward; a non-null result replaces the positional arguments. */
    @FunctionalInterface
    public interface ForwardPreHook {
        Object[] apply(Module module, Object[] args);
    }

    /** A forward pre-hook that also sees, and may replace, the keyword arguments. */
    @FunctionalInterface
    public interface ForwardPreHookWithKwargs {
        ArgsKwargs apply(Module module, Object[] args, Kwargs kwargs);
    }

    /** What a {@link ForwardPreHookWithKwargs} returns to replace the arguments. */
    public record ArgsKwargs(Object[] args, Kwargs kwargs) { }

    /**
     * Runs after forward; a non-null result replaces the output. Beware expression lambdas: {@code (m, in, out) ->
     * acts.put(name, out)} returns the previous value and so replaces the output; end a block with {@code return null}.
     */
    @FunctionalInterface
    public interface ForwardHook {
        Object apply(Module module, Object[] args, Object output);
    }

    @FunctionalInterface
    public interface ForwardHookWithKwargs {
        Object apply(Module module, Object[] args, Kwargs kwargs, Object output);
    }

    /** Sees the gradients w.r.t. the module's outputs; a non-null result (same length) replaces them. */
    @FunctionalInterface
    public interface BackwardPreHook {
        Tensor[] apply(Module module, Tensor[] gradOutput);
    }

    /**
     * Sees the gradients w.r.t. the module's inputs (null where an input needs none) and outputs; a non-null result
     * (same length) replaces the input gradients.
     */
    @FunctionalInterface
    public interface BackwardHook {
        Tensor[] apply(Module module, Tensor[] gradInput, Tensor[] gradOutput);
    }

    /** Runs before {@link #stateDict()} collects this module's tensors. */
    @FunctionalInterface
    public interface StateDictPreHook {
        void apply(Module module, String prefix);
    }

    /** Runs after this module's entries were added; may edit the state dict in place. */
    @FunctionalInterface
    public interface StateDictPostHook {
        void apply(Module module, Map<String, Tensor> stateDict, String prefix);
    }

    /** Runs before loading; may edit the (copied) state dict, e.g. to rename old keys. */
    @FunctionalInterface
    public interface LoadStateDictPreHook {
        void apply(Module module, Map<String, Tensor> stateDict, String prefix);
    }

    /** Runs after loading; may edit the missing and unexpected key lists. */
    @FunctionalInterface
    public interface LoadStateDictPostHook {
        void apply(Module module, IncompatibleKeys keys);
    }

    /** What {@link #loadStateDict} found: keys the model wanted but did not get, and keys it did not know. */
    public record IncompatibleKeys(List<String> missingKeys, List<String> unexpectedKeys) {
        @Override
        public String toString() {
            if (missingKeys.isEmpty() && unexpectedKeys.isEmpty()) return "<All keys matched successfully>";
            return "_IncompatibleKeys(missing_keys=" + pyList(missingKeys) + ", unexpected_keys=" + pyList(unexpectedKeys) + ")";
        }

        private static String pyList(List<String> keys) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < keys.size(); i++) sb.append(i > 0 ? ", " : "").append('\'').append(keys.get(i)).append('\'');
            return sb.append(']').toString();
        }
    }

    /** One registered hook: the function, its flags and its handle's id. */
    record Hook(Object fn, boolean withKwargs, boolean alwaysCall, long id) {
        Hook(Object fn, boolean withKwargs, boolean alwaysCall) {
            this(fn, withKwargs, alwaysCall, -1);
        }

        Hook withId(long newId) {
            return new Hook(fn, withKwargs, alwaysCall, newId);
        }
    }

    /** A registered forward or backward hook as {@link #registeredHooks()} lists it; {@code id} is its handle's. */
    public record HookInfo(String kind, long id, Object fn) { }

    /** A hook failed: carries the module, its path and the hook kind; the cause is what the hook threw. */
    public static final class HookException extends RuntimeException {
        private final transient Module module;
        private final String kind;

        HookException(Module module, String kind, String message, Throwable cause) {
            super("Error in " + kind + " of " + describe(module) + ": " + message, cause);
            this.module = module;
            this.kind = kind;
        }

        public Module module() {
            return module;
        }

        public String kind() {
            return kind;
        }

        static String describe(Module m) {
            String p = m.path();
            return p.isEmpty() ? m.getName() : "'" + p + "' (" + m.getName() + ")";
        }

        static RuntimeException wrap(Module m, String kind, RuntimeException e) {
            if (e instanceof HookException) return e;
            return new HookException(m, kind, e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    Hook[] forwardPreHooks = Hooks.NONE;
    Hook[] forwardHooks = Hooks.NONE;
    Hook[] backwardPreHooks = Hooks.NONE;
    Hook[] backwardHooks = Hooks.NONE;
    private int hookCount;
    final List<StateDictPreHook> stateDictPreHooks = new ArrayList<>(0);
    final List<StateDictPostHook> stateDictPostHooks = new ArrayList<>(0);
    final List<LoadStateDictPreHook> loadPreHooks = new ArrayList<>(0);
    final List<LoadStateDictPostHook> loadPostHooks = new ArrayList<>(0);

    private RemovableHandle add(int list, Hook hook, boolean prepend) {
        Hook[] registered = new Hook[1];
        RemovableHandle handle = new RemovableHandle(() -> {
            Hook[] before = list(list);
            Hook[] after = Hooks.without(before, registered[0]);
            if (after != before) {
                setList(list, after);
                hookCount--;
            }
        });
        registered[0] = hook.withId(handle.id());
        setList(list, Hooks.with(list(list), registered[0], prepend));
        hookCount++;
        return handle;
    }

    /** This module's forward pre, forward, backward pre and backward hooks, each kind in the order they run. */
    public List<HookInfo> registeredHooks() {
        return Hooks.info(new Hook[][] {forwardPreHooks, forwardHooks, backwardPreHooks, backwardHooks});
    }

    /** The global hooks ({@link #registerModuleForwardHook} and the like), which run on every module. */
    public static List<HookInfo> registeredModuleHooks() {
        return Hooks.info(Hooks.global);
    }

    private Hook[] list(int i) {
        return i == 0 ? forwardPreHooks : i == 1 ? forwardHooks : i == 2 ? backwardPreHooks : backwardHooks;
    }

    private void setList(int i, Hook[] v) {
        if (i == 0) forwardPreHooks = v;
        else if (i == 1) forwardHooks = v;
        else if (i == 2) backwardPreHooks = v;
        else backwardHooks = v;
    }

    public RemovableHandle registerForwardPreHook(ForwardPreHook hook) {
        return registerForwardPreHook(hook, false);
    }

    /** Like {@code register_forward_pre_hook(hook, prepend=...)}. */
    public RemovableHandle registerForwardPreHook(ForwardPreHook hook, boolean prepend) {
        return add(0, new Hook(hook, false, false), prepend);
    }

    /** Like {@code register_forward_pre_hook(hook, prepend=..., with_kwargs=True)}. */
    public RemovableHandle registerForwardPreHook(ForwardPreHookWithKwargs hook, boolean prepend) {
        return add(0, new Hook(hook, true, false), prepend);
    }

    public RemovableHandle registerForwardHook(ForwardHook hook) {
        return registerForwardHook(hook, false, false);
    }

    /**
     * Like {@code register_forward_hook(hook, prepend=..., always_call=...)}: an always-call hook also runs when
     * forward throws.
     */
    public RemovableHandle registerForwardHook(ForwardHook hook, boolean prepend, boolean alwaysCall) {
        return add(1, new Hook(hook, false, alwaysCall), prepend);
    }

    /** Like {@code register_forward_hook(hook, prepend=..., with_kwargs=True, always_call=...)}. */
    public RemovableHandle registerForwardHook(ForwardHookWithKwargs hook, boolean prepend, boolean alwaysCall) {
        return add(1, new Hook(hook, true, alwaysCall), prepend);
    }

    public RemovableHandle registerFullBackwardPreHook(BackwardPreHook hook) {
        return registerFullBackwardPreHook(hook, false);
    }

    public RemovableHandle registerFullBackwardPreHook(BackwardPreHook hook, boolean prepend) {
        return add(2, new Hook(hook, false, false), prepend);
    }

    public RemovableHandle registerFullBackwardHook(BackwardHook hook) {
        return registerFullBackwardHook(hook, false);
    }

    public RemovableHandle registerFullBackwardHook(BackwardHook hook, boolean prepend) {
        return add(3, new Hook(hook, false, false), prepend);
    }

    public RemovableHandle registerStateDictPreHook(StateDictPreHook hook) {
        return Hooks.add(stateDictPreHooks, hook);
    }

    public RemovableHandle registerStateDictPostHook(StateDictPostHook hook) {
        return Hooks.add(stateDictPostHooks, hook);
    }

    public RemovableHandle registerLoadStateDictPreHook(LoadStateDictPreHook hook) {
        return Hooks.add(loadPreHooks, hook);
    }

    public RemovableHandle registerLoadStateDictPostHook(LoadStateDictPostHook hook) {
        return Hooks.add(loadPostHooks, hook);
    }

    /** A forward pre-hook for every module; global hooks run before a module's own. */
    public static RemovableHandle registerModuleForwardPreHook(ForwardPreHook hook) {
        return Hooks.addGlobal(0, new Hook(hook, false, false));
    }

    public static RemovableHandle registerModuleForwardHook(ForwardHook hook) {
        return registerModuleForwardHook(hook, false);
    }

    public static RemovableHandle registerModuleForwardHook(ForwardHook hook, boolean alwaysCall) {
        return Hooks.addGlobal(1, new Hook(hook, false, alwaysCall));
    }

    public static RemovableHandle registerModuleFullBackwardPreHook(BackwardPreHook hook) {
        return Hooks.addGlobal(2, new Hook(hook, false, false));
    }

    public static RemovableHandle registerModuleFullBackwardHook(BackwardHook hook) {
        return Hooks.addGlobal(3, new Hook(hook, false, false));
    }

    /** The call path with hooks, as in PyTorch's {@code _call_impl}. */
    private Object callWithHooks(Object[] callArgs) {
        Kwargs kwargs = Kwargs.from(callArgs);
        Object[] args = kwargs.isEmpty() && !(callArgs.length > 0 && callArgs[callArgs.length - 1] instanceof Kwargs)
                ? callArgs : Arrays.copyOf(callArgs, callArgs.length - 1);
        Hook[] gPre = Hooks.global[0];
        Hook[] gFwd = Hooks.global[1];
        Hook[] bwPre = Hooks.concat(Hooks.global[2], backwardPreHooks);
        Hook[] bw = Hooks.concat(Hooks.global[3], backwardHooks);
        Hook[] fwd = Hooks.concat(gFwd, forwardHooks);
        Object result = null;
        int next = 0;  // hooks run in order: those before `next` have been called
        BackwardHooks bwState = null;
        try {
            for (Hook h : Hooks.concat(gPre, forwardPreHooks)) {
                try {
                    if (h.withKwargs()) {
                        ArgsKwargs r = ((ForwardPreHookWithKwargs) h.fn()).apply(this, args, kwargs);
                        if (r != null) {
                            args = r.args();
                            kwargs = r.kwargs() == null ? Kwargs.of() : r.kwargs();
                        }
                    } else {
                        Object[] r = ((ForwardPreHook) h.fn()).apply(this, args);
                        if (r != null) args = r;
                    }
                } catch (RuntimeException e) {
                    throw HookException.wrap(this, "forward pre-hook", e);
                }
            }
            if (bwPre.length > 0 || bw.length > 0) {
                bwState = new BackwardHooks(this, bw, bwPre);
                args = bwState.setupInput(args);
            }
            result = invokeForward(kwargs.isEmpty() ? args : append(args, kwargs));
            while (next < fwd.length) {
                Hook h = fwd[next++];
                Object r;
                try {
                    r = h.withKwargs() ? ((ForwardHookWithKwargs) h.fn()).apply(this, args, kwargs, result)
                            : ((ForwardHook) h.fn()).apply(this, args, result);
                } catch (RuntimeException e) {
                    throw HookException.wrap(this, "forward hook", e);
                }
                if (r != null) result = r;
            }
        } catch (RuntimeException e) {
            for (int i = next; i < fwd.length; i++) {
                Hook h = fwd[i];
                if (!h.alwaysCall()) continue;
                try {
                    if (h.withKwargs()) ((ForwardHookWithKwargs) h.fn()).apply(this, args, kwargs, result);
                    else ((ForwardHook) h.fn()).apply(this, args, result);
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
        if (bwState != null) result = bwState.setupOutput(result);
        return result;
    }

    private static Object[] append(Object[] args, Kwargs kwargs) {
        Object[] a = Arrays.copyOf(args, args.length + 1);
        a[args.length] = kwargs;
        return a;
    }

    // ---------------------------------------------------------------- state dict

    /** Parameters and persistent buffers by dotted name, detached, in registration order (tied weights under each name). */
    public LinkedHashMap<String, Tensor> stateDict() {
        return stateDict("");
    }

    public LinkedHashMap<String, Tensor> stateDict(String prefix) {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        StateDicts.save(this, out, prefix);
        return out;
    }

    public IncompatibleKeys loadStateDict(Map<String, Tensor> stateDict) {
        return loadStateDict(stateDict, true);
    }

    /**
     * Copies the state dict's values into this module's tensors (identity kept). A strict failure or any shape
     * mismatch throws PyTorch's error before anything is copied.
     */
    public IncompatibleKeys loadStateDict(Map<String, Tensor> stateDict, boolean strict) {
        return StateDicts.load(this, stateDict, strict);
    }

}
