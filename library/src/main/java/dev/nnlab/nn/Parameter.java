package dev.nnlab.nn;

import dev.nnlab.tensor.Tensor;

import java.lang.reflect.Field;

/**
 * A tensor that a Module registers as learnable state, like {@code torch.nn.Parameter}: a leaf that
 * shares the data of the tensor it wraps and requires grad by default.
 */
public final class Parameter extends Tensor {
    private static final Field[] DATA_FIELDS = dataFields();

    public Parameter(Tensor data) {
        this(data, true);
    }

    public Parameter(Tensor data, boolean requiresGrad) {
        super(data, requiresGrad);
    }

    @Override
    public String toString() {
        return "Parameter containing:\n" + super.toString();
    }

    /**
     * Points {@code t} at {@code src}'s data, keeping the object (PyTorch's {@code t.data = src}).
     * Until Tensor has a public {@code setData}, this reaches its package-private fields.
     */
    static void setData(Tensor t, Tensor src) {
        try {
            for (Field f : DATA_FIELDS) f.set(t, f.get(src));
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Field[] dataFields() {
        try {
            String[] names = {"storage", "shape", "stride", "offset"};
            Field[] fields = new Field[names.length];
            for (int i = 0; i < names.length; i++) {
                fields[i] = Tensor.class.getDeclaredField(names[i]);
                fields[i].setAccessible(true);
            }
            return fields;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(e);
        }
    }
}
