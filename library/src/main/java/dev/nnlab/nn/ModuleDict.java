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

    /**
     * The module under {@code key}, typed as the caller wants it, like {@code heads["cls"]}:
     * {@code Sequential cls = heads.get("cls")}; a missing key throws like Python's {@code KeyError}, and
     * {@link #get(String, Class)} checks the type here and says what is under the key.
     */
    @SuppressWarnings("unchecked")
    public <M extends Module> M get(String key) {
        Module m = ownModules().get(key);
        if (m == null && !modules.containsKey(key)) throw new NoSuchElementException("'" + key + "'");
        return (M) m;
    }

    /** The module under {@code key} as a {@code type}: {@code heads.get("cls", Sequential.class)}; a wrong type names both. */
    public <M extends Module> M get(String key, Class<M> type) {
        return Module.as(get(key), type, getName() + "['" + key + "']");
    }

    public ModuleDict put(String key, Module module) {
        registerModule(key, module);
        return this;
    }

    public ModuleDict update(Map<String, ? extends Module> more) {
        for (Map.Entry<String, ? extends Module> e : more.entrySet()) put(e.getKey(), e.getValue());
        return this;
    }

    public <M extends Module> M pop(String key) {
        M m = get(key);
        removeModule(key);
        return m;
    }

    public void delete(String key) {
        pop(key);
    }

    public boolean containsKey(String key) {
        return ownModules().containsKey(key);
    }

    public void clear() {
        for (String k : new ArrayList<>(ownModules().keySet())) removeModule(k);
    }

    public int size() {
        return ownModules().size();
    }

    public int len() {
        return ownModules().size();
    }

    public Set<String> keys() {
        return java.util.Collections.unmodifiableSet(ownModules().keySet());
    }

    public List<Module> values() {
        return new ArrayList<>(ownModules().values());
    }

    public Set<Map.Entry<String, Module>> items() {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(ownModules())).entrySet();
    }
}
