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
        if (cacheVersion != modulesVersion) {
            cache = modules.values().toArray(new Module[0]);
            cacheVersion = modulesVersion;
        }
        return cache;
    }

    public int size() {
        return modules.size();
    }

    public int len() {
        return modules.size();
    }

    private int absIndex(int idx) {
        int size = modules.size();
        if (idx < -size || idx >= size) throw new IndexOutOfBoundsException("index " + idx + " is out of range");
        return idx < 0 ? idx + size : idx;
    }

    public Module get(int idx) {
        return items()[absIndex(idx)];
    }

    public <M extends Module> M get(int idx, Class<M> type) {
        return type.cast(get(idx));
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
        registerModule(Integer.toString(modules.size()), module);
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

    public Module pop(int idx) {
        Module m = get(idx);
        delete(idx);
        return m;
    }

    private void renumber() {
        List<Module> values = new ArrayList<>(modules.values());
        modules.clear();
        for (int i = 0; i < values.size(); i++) {
            modules.put(Integer.toString(i), values.get(i));
            if (values.get(i) != null) values.get(i).nameInParent = Integer.toString(i);
        }
        modulesVersion++;
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
