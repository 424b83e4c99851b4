package dev.nnlab.nn;


import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs its modules one after the other, like {@code torch.nn.Sequential}: keys are "0", "1", ... or the names of a
 * {@code LinkedHashMap}; {@code addModule} on it appends a stage that forward runs too.
 */
public class Sequential extends Module implements Iterable<Module> {
    private Module[] cache = new Module[0];
    private int cacheVersion = -1;

    public Sequential(Module... modules) {
        for (int i = 0; i < modules.length; i++) registerModule(Integer.toString(i), modules[i]);
    }

    /** Named stages, in the map's order (PyTorch's {@code Sequential(OrderedDict(...))}). */
    public Sequential(LinkedHashMap<String, ? extends Module> modules) {
        for (Map.Entry<String, ? extends Module> e : modules.entrySet()) registerModule(e.getKey(), e.getValue());
    }

    private Module[] stages() {
        sync();
        if (cacheVersion != modulesVersion) {
            cache = modules.values().toArray(new Module[0]);
            cacheVersion = modulesVersion;
        }
        return cache;
    }

    /** Passes the input through the stages in order; a stage may hand a non-tensor to the next one. */
    @Override
    public Object forward(Object... args) {
        if (args.length != 1) {
            throw new IllegalArgumentException(getName() + ".forward() takes 2 positional arguments but "
                    + (args.length + 1) + " were given");
        }
        Object r = args[0];
        for (Module m : stages()) r = m.callOne(r);
        return r;
    }

    public int size() {
        return ownModules().size();
    }

    public int len() {
        return ownModules().size();
    }

    /**
     * The module at {@code idx} (negative counts from the end), typed as the caller wants it, like {@code net[0]}:
     * {@code Linear first = net.get(0)} or {@code net.<Linear>get(0).weight}. Java checks the type where the result is
     * used, so a wrong one is a ClassCastException there; {@link #get(int, Class)} checks it here and says what is at
     * the index.
     */
    @SuppressWarnings("unchecked")
    public <M extends Module> M get(int idx) {
        return (M) stages()[absIndex(idx)];
    }

    /** The module at {@code idx} as a {@code type}: {@code net.get(0, Linear.class).weight}; a wrong type names both. */
    public <M extends Module> M get(int idx, Class<M> type) {
        return Module.as(get(idx), type, getName() + "[" + idx + "]");
    }

    private int absIndex(int idx) {
        int size = ownModules().size();
        if (idx < -size || idx >= size) throw new IndexOutOfBoundsException("index " + idx + " is out of range");
        return idx < 0 ? idx + size : idx;
    }

    private String keyAt(int idx) {
        return new ArrayList<>(ownModules().keySet()).get(absIndex(idx));
    }

    /** {@code seq[start:stop]} as a new Sequential that keeps the keys (and shares the modules). */
    public Sequential slice(int start, int stop) {
        return slice(start, stop, 1);
    }

    public Sequential slice(int start, int stop, int step) {
        if (step == 0) throw new IllegalArgumentException("slice step cannot be zero");
        List<Map.Entry<String, Module>> entries = new ArrayList<>(ownModules().entrySet());
        LinkedHashMap<String, Module> picked = new LinkedHashMap<>();
        for (int i : sliceIndices(entries.size(), start, stop, step)) picked.put(entries.get(i).getKey(), entries.get(i).getValue());
        return new Sequential(picked);
    }

    /** Python's {@code range(*slice(start, stop, step).indices(n))}. */
    static int[] sliceIndices(int n, int start, int stop, int step) {
        int lo = step > 0 ? 0 : -1;
        int hi = step > 0 ? n : n - 1;
        start = start < 0 ? Math.max(start + n, lo) : Math.min(start, hi);
        stop = stop < 0 ? Math.max(stop + n, lo) : Math.min(stop, hi);
        int[] out = new int[n];
        int k = 0;
        for (int i = start; step > 0 ? i < stop : i > stop; i += step) out[k++] = i;
        return Arrays.copyOf(out, k);
    }

    /** Replaces the module at {@code idx}, keeping its key. */
    public void set(int idx, Module module) {
        registerModule(keyAt(idx), module);
    }

    public Sequential append(Module module) {
        registerModule(Integer.toString(ownModules().size()), module);
        return this;
    }

    public Sequential extend(Iterable<? extends Module> more) {
        for (Module m : more) append(m);
        return this;
    }

    /** Inserts before {@code index} (negative counts from the end), shifting later stages, like PyTorch. */
    public Sequential insert(int index, Module module) {
        insertNumbered(index, module);
        return this;
    }

    /** Removes the stage at {@code idx} and renumbers the rest 0..n-2 (named keys become numbers too, as in PyTorch). */
    public void delete(int idx) {
        removeModule(keyAt(idx));
        renumber();
    }

    /** Removes {@code seq[start:stop]} and renumbers. */
    public void delete(int start, int stop) {
        List<String> keys = new ArrayList<>(ownModules().keySet());
        for (int i : sliceIndices(keys.size(), start, stop, 1)) removeModule(keys.get(i));
        renumber();
    }

    public <M extends Module> M pop(int idx) {
        M m = get(idx);
        delete(idx);
        return m;
    }


    @Override
    public Iterator<Module> iterator() {
        return Arrays.asList(stages()).iterator();
    }
}
