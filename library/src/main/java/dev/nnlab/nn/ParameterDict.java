package dev.nnlab.nn;

import dev.nnlab.tensor.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Holds parameters by name in insertion order, like {@code torch.nn.ParameterDict} (state-dict keys
 * {@code param_dict.param_0}); a plain tensor is wrapped into a Parameter.
 */
public class ParameterDict extends Module {
    public ParameterDict() { }

    public ParameterDict(Map<String, ? extends Tensor> values) {
        update(values);
    }

    public Parameter get(String key) {
        if (!ownParameters().containsKey(key)) throw new NoSuchElementException("'" + key + "'");
        return ownParameters().get(key);
    }

    public ParameterDict put(String key, Tensor value) {
        registerParameter(key, ParameterList.asParameter(value));
        return this;
    }

    public ParameterDict update(Map<String, ? extends Tensor> more) {
        for (Map.Entry<String, ? extends Tensor> e : more.entrySet()) put(e.getKey(), e.getValue());
        return this;
    }

    public Parameter pop(String key) {
        Parameter p = get(key);
        removeParameter(key);
        return p;
    }

    public boolean containsKey(String key) {
        return ownParameters().containsKey(key);
    }

    public int size() {
        return ownParameters().size();
    }

    public int len() {
        return ownParameters().size();
    }

    public Set<String> keys() {
        return Collections.unmodifiableSet(ownParameters().keySet());
    }

    public List<Parameter> values() {
        return new ArrayList<>(ownParameters().values());
    }

    public Set<Map.Entry<String, Parameter>> items() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(ownParameters())).entrySet();
    }

    @Override
    public String extraRepr() {
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, Parameter> e : ownParameters().entrySet()) {
            lines.add("  (" + e.getKey() + "): " + ParameterList.describe(e.getValue(), true));
        }
        return String.join("\n", lines);
    }
}
