package dev.nnlab.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/** Holds submodules by name in insertion order, like {@code torch.nn.ModuleDict}; it has no forward. */
public class ModuleDict extends Module {
    public ModuleDict() { }

    public ModuleDict(Map<String, ? extends Module> modules) {
        update(modules);
    }

    /** The module under {@code key}; a missing key throws like Python's {@code KeyError}. */
    public Module get(String key) {
        Module m = modules.get(key);
        if (m == null && !modules.containsKey(key)) throw new NoSuchElementException("'" + key + "'");
        return m;
    }

    public <M extends Module> M get(String key, Class<M> type) {
        return type.cast(get(key));
    }

    public ModuleDict put(String key, Module module) {
        registerModule(key, module);
        return this;
    }

    public ModuleDict update(Map<String, ? extends Module> more) {
        for (Map.Entry<String, ? extends Module> e : more.entrySet()) put(e.getKey(), e.getValue());
        return this;
    }

    public Module pop(String key) {
        Module m = get(key);
        removeModule(key);
        return m;
    }

    public void delete(String key) {
        pop(key);
    }

    public boolean containsKey(String key) {
        return modules.containsKey(key);
    }

    public void clear() {
        for (String k : new ArrayList<>(modules.keySet())) removeModule(k);
    }

    public int size() {
        return modules.size();
    }

    public int len() {
        return modules.size();
    }

    public Set<String> keys() {
        return java.util.Collections.unmodifiableSet(modules.keySet());
    }

    public List<Module> values() {
        return new ArrayList<>(modules.values());
    }

    public Set<Map.Entry<String, Module>> items() {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(modules)).entrySet();
    }
}
