package dev.nnlab.nn;

import dev.nnlab.tensor.Tensor;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Holds parameters in a list, like {@code torch.nn.ParameterList}: registered as "0", "1", ... (state-dict keys
 * {@code param_list.0}); a plain tensor is wrapped into a Parameter.
 */
public class ParameterList extends Module implements Iterable<Parameter> {
    public ParameterList() { }

    public ParameterList(Iterable<? extends Tensor> values) {
        extend(values);
    }

    public ParameterList(Tensor... values) {
        for (Tensor t : values) append(t);
    }

    static Parameter asParameter(Tensor t) {
        return t == null || t instanceof Parameter ? (Parameter) t : new Parameter(t);
    }

    public int size() {
        return ownParameters().size();
    }

    public int len() {
        return ownParameters().size();
    }

    private int absIndex(int idx) {
        int size = ownParameters().size();
        if (idx < -size || idx >= size) throw new IndexOutOfBoundsException("index " + idx + " is out of range");
        return idx < 0 ? idx + size : idx;
    }

    public Parameter get(int idx) {
        return ownParameters().get(Integer.toString(absIndex(idx)));
    }

    public void set(int idx, Tensor value) {
        registerParameter(Integer.toString(absIndex(idx)), asParameter(value));
    }

    public ParameterList append(Tensor value) {
        registerParameter(Integer.toString(ownParameters().size()), asParameter(value));
        return this;
    }

    public ParameterList extend(Iterable<? extends Tensor> values) {
        for (Tensor t : values) append(t);
        return this;
    }

    @Override
    public Iterator<Parameter> iterator() {
        return new ArrayList<>(ownParameters().values()).iterator();
    }

    @Override
    public String extraRepr() {
        List<String> lines = new ArrayList<>();
        int k = 0;
        for (Parameter p : ownParameters().values()) lines.add("  (" + k++ + "): " + describe(p, false));
        return String.join("\n", lines);
    }

    /** PyTorch prints the dtype in a ParameterList and the tensor type name in a ParameterDict. */
    static String describe(Tensor p, boolean typeName) {
        if (p == null) return "Object of type: NoneType";
        return "Parameter containing: [" + (typeName ? p.typeName() : p.dtype().toString()) + " of size "
                + sizeString(p.shape()) + "]";
    }

    private static String sizeString(int[] shape) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < shape.length; i++) sb.append(i > 0 ? "x" : "").append(shape[i]);
        return sb.toString();
    }
}
