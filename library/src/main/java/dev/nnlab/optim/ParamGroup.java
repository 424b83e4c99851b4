package dev.nnlab.optim;

import dev.nnlab.tensor.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One entry of {@code optimizer.param_groups}: parameters plus their options ({@code "lr"}, {@code "momentum"},
 * ...). Options a group does not set are filled from the optimizer's defaults when it is added.
 */
public final class ParamGroup {
    private final List<Tensor> params;
    private final Map<String, Object> options = new LinkedHashMap<>();

    public ParamGroup(Iterable<? extends Tensor> params) {
        List<Tensor> list = new ArrayList<>();
        for (Tensor p : params) list.add(p);
        this.params = Collections.unmodifiableList(list);
    }

    public List<Tensor> params() {
        return params;
    }

    /** Sets an option, e.g. {@code new ParamGroup(head).set("lr", 1e-3)}; returns this group. */
    public ParamGroup set(String key, Object value) {
        if (key.equals("params")) throw new IllegalArgumentException("params of a ParamGroup are fixed");
        options.put(key, value);
        return this;
    }

    public Object get(String key) {
        return options.get(key);
    }

    public boolean has(String key) {
        return options.containsKey(key);
    }

    public double getDouble(String key) {
        Object v = options.get(key);
        if (v instanceof Number) return ((Number) v).doubleValue();
        if (v instanceof Tensor) return ((Tensor) v).item();
        throw new IllegalArgumentException("param group option '" + key + "' is not a number: " + v);
    }

    public boolean getBoolean(String key) {
        Object v = options.get(key);
        return v instanceof Boolean && (Boolean) v;
    }

    /** A pair option such as Adam's {@code "betas"}, given as {@code double[]} or a list of numbers. */
    public double[] getPair(String key) {
        Object v = options.get(key);
        if (v instanceof double[] && ((double[]) v).length == 2) return ((double[]) v).clone();
        if (v instanceof List && ((List<?>) v).size() == 2) {
            List<?> l = (List<?>) v;
            return new double[] {((Number) l.get(0)).doubleValue(), ((Number) l.get(1)).doubleValue()};
        }
        throw new IllegalArgumentException("param group option '" + key + "' is not a pair of numbers: " + v);
    }

    public double lr() {
        return getDouble("lr");
    }

    public ParamGroup setLr(double lr) {
        return set("lr", lr);
    }

    /** The options (without params), in insertion order; read-only. */
    public Map<String, Object> options() {
        return Collections.unmodifiableMap(options);
    }

    void setDefault(String key, Object value) {
        options.putIfAbsent(key, value);
    }

    @Override
    public String toString() {
        return "ParamGroup(" + params.size() + " params, " + options + ")";
    }
}
