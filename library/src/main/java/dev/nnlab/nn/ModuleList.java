package dev.nnlab.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * Holds submodules in a list, like {@code torch.nn.ModuleList}: registered as "0", "1", ..., with no forward of its
 * own (the owner decides how to call them).
 */
public class ModuleList extends Module implements Iterable<Module> {
    private Module[] cache = new Module[0];
    private int cacheVersion = -1;

    public ModuleList(Module... modules) {
        for (Module m : modules) append(m);
    }

    public ModuleList(Iterable<? extends Module> modules) {
        for (Module m : modules) append(m);
    }

    private Module[] items() {
        sync();
        if (cacheVersion != modulesVersion) {
            cache = modules.values().toArray(new Module[0]);
            cacheVersion = modulesVersion;
        }
        return cache;
    }

    public int size() {
        return ownModules().size();
    }

    public int len() {
        return ownModules().size();
    }

    private int absIndex(int idx) {
        int size = ownModules().size();
        if (idx < -size || idx >= size) throw new IndexOutOfBoundsException("index " + idx + " is out of range");
        return idx < 0 ? idx + size : idx;
    }

    /**
     * The module at {@code idx} (negative counts from the end), typed as the caller wants it, like {@code layers[0]}:
     * {@code Linear first = layers.get(0)} or {@code layers.<Linear>get(0).weight}; {@link #get(int, Class)} checks the
     * type here and says what is at the index.
     */
    @SuppressWarnings("unchecked")
    public <M extends Module> M get(int idx) {
        return (M) items()[absIndex(idx)];
    }

    /** The module at {@code idx} as a {@code type}: {@code layers.get(0, Linear.class).weight}; a wrong type names both. */
    public <M extends Module> M get(int idx, Class<M> type) {
        return Module.as(get(idx), type, getName() + "[" + idx + "]");
    }

    /** {@code list[start:stop:step]} as a new ModuleList (renumbered from 0, like PyTorch). */
    public ModuleList slice(int start, int stop, int step) {
        if (step == 0) throw new IllegalArgumentException("slice step cannot be zero");
        Module[] all = items();
        List<Module> picked = new ArrayList<>();
        for (int i : Sequential.sliceIndices(all.length, start, stop, step)) picked.add(all[i]);
        return new ModuleList(picked);
    }

    public ModuleList slice(int start, int stop) {
        return slice(start, stop, 1);
    }

    public void set(int idx, Module module) {
        registerModule(Integer.toString(absIndex(idx)), module);
    }

    public ModuleList append(Module module) {
        registerModule(Integer.toString(ownModules().size()), module);
        return this;
    }

    public ModuleList extend(Iterable<? extends Module> more) {
        for (Module m : more) append(m);
        return this;
    }

    /** Inserts before {@code index} (negative counts from the end), shifting later modules. */
    public void insert(int index, Module module) {
        insertNumbered(index, module);
    }

    /** Removes the module at {@code idx} and renumbers the rest. */
    public void delete(int idx) {
        removeModule(Integer.toString(absIndex(idx)));
        renumber();
    }

    public <M extends Module> M pop(int idx) {
        M m = get(idx);
        delete(idx);
        return m;
    }


    @Override
    public Iterator<Module> iterator() {
        return Arrays.asList(items()).iterator();
    }

    /** PyTorch's repr, collapsing runs of identical entries into {@code (0-3): 4 x Linear(...)}. */
    @Override
    public String toString() {
        Module[] all = items();
        if (all.length == 0) return getName() + "()";
        List<String> reprs = new ArrayList<>();
        for (Module m : all) reprs.add(m == null ? "None" : m.toString());
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= reprs.size(); i++) {
            if (i < reprs.size() && reprs.get(i).equals(reprs.get(start))) continue;
            String b = reprs.get(start);
            String local = start == i - 1 ? "(" + start + "): " + b : "(" + start + "-" + (i - 1) + "): " + (i - start) + " x " + b;
            lines.add(Repr.addIndent(local, 2));
            start = i;
        }
        return getName() + "(\n  " + String.join("\n  ", lines) + "\n)";
    }
}
