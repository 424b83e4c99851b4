package dev.nnlab.spark;

import dev.nnlab.tensor.DType;
import dev.nnlab.tensor.Tensor;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/** A tensor's values in a form that travels to executors and into checkpoints. */
record Blob(DType dtype, int[] shape, double[] values) implements Serializable {
    static Blob of(Tensor t) {
        return new Blob(t.dtype(), t.shape(), t.to(DType.FLOAT64).toDoubleArray());
    }

    Tensor tensor() {
        return Tensor.tensor(DType.FLOAT64, values).to(dtype).reshape(shape);
    }

    static LinkedHashMap<String, Blob> of(Map<String, Tensor> tensors) {
        LinkedHashMap<String, Blob> out = new LinkedHashMap<>();
        tensors.forEach((k, v) -> out.put(k, of(v)));
        return out;
    }

    static LinkedHashMap<String, Tensor> tensors(Map<String, Blob> blobs) {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        blobs.forEach((k, v) -> out.put(k, v.tensor()));
        return out;
    }
}
