package dev.nnlab.tensor;

import dev.nnlab.autograd.Node;

/** Kernels behind F; use F. Lookups by class index: embedding rows and one-hot vectors. */
public final class EmbeddingOps {
    private EmbeddingOps() { }

    /** Rows of {@code weight} picked by int64 {@code indices}; rows at {@code paddingIdx} get no gradient (null: none). */
    public static Tensor embedding(Tensor indices, Tensor weight, Integer paddingIdx) {
        if (indices.dtype() != DType.INT64) {
            throw new IllegalArgumentException("Expected tensor for argument #1 'indices' to have one of the following "
                    + "scalar types: Long, Int; but got " + indices.typeName() + " instead (while checking arguments for "
                    + "embedding)");
        }
        if (weight.dim() != 2) throw new IllegalArgumentException("'weight' must be 2-D");
        int v = weight.shape[0], d = weight.shape[1];
        int pad = -1;
        if (paddingIdx != null) {
            if (paddingIdx >= v || paddingIdx < -v) {
                throw new IllegalArgumentException("Padding_idx must be within num_embeddings");
            }
            pad = paddingIdx < 0 ? paddingIdx + v : paddingIdx;
        }
        long[] idx = indices.toLongArray();
        for (long i : idx) if (i < 0 || i >= v) throw new IndexOutOfBoundsException("index out of range in self");
        int[] shape = java.util.Arrays.copyOf(indices.shape, indices.dim() + 1);
        shape[indices.dim()] = d;
        Tensor wc = weight.contiguous();
        Tensor out = Tensor.allocate(weight.dtype(), shape);
        for (int r = 0; r < idx.length; r++) {
            System.arraycopy(wc.storage.array(), wc.offset + (int) idx[r] * d, out.storage.array(), r * d, d);
        }
        int padRow = pad;
        Node.attach("EmbeddingBackward0", g -> {
            Tensor gc = g[0].contiguous();
            Tensor gw = Tensor.allocate(weight.dtype(), weight.shape);
            for (int r = 0; r < idx.length; r++) {
                int row = (int) idx[r];
                if (row == padRow) continue;
                for (int j = 0; j < d; j++) {
                    gw.storage.set(row * d + j, gw.storage.get(row * d + j) + gc.storage.get(gc.offset + r * d + j));
                }
            }
            return new Tensor[] {gw};
        }, out, weight);
        return out;
    }

    /** int64 one-hot vectors along a new last dim; {@code numClasses} -1 means max + 1. */
    public static Tensor oneHot(Tensor indices, int numClasses) {
        if (indices.dtype() != DType.INT64) {
            throw new IllegalArgumentException("one_hot is only applicable to index tensor of type LongTensor.");
        }
        long[] idx = indices.toLongArray();
        long max = -1;
        for (long i : idx) {
            if (i < 0) throw new IllegalArgumentException("Class values must be non-negative.");
            max = Math.max(max, i);
        }
        if (numClasses == -1) {
            if (idx.length == 0) {
                throw new IllegalArgumentException("Can not infer total number of classes from empty tensor.");
            }
            numClasses = (int) max + 1;
        } else if (max >= numClasses) {
            throw new IllegalArgumentException("Class values must be smaller than num_classes.");
        }
        int[] shape = java.util.Arrays.copyOf(indices.shape, indices.dim() + 1);
        shape[indices.dim()] = numClasses;
        Tensor out = Tensor.allocate(DType.INT64, shape);
        long[] o = (long[]) out.storage.array();
        for (int r = 0; r < idx.length; r++) o[r * numClasses + (int) idx[r]] = 1;
        return out;
    }
}
