package dev.nnlab.tensor;

import dev.nnlab.autograd.Node;

import java.util.List;

/** Indexing by index tensors and masks, gather, and their scatter-add backwards. Joining lives in {@link Join}. */
final class Index {
    private Index() { }

    /** {@code x[idx]}: rows along dim 0 for an int64 idx (shape idx.shape + x.shape[1:]), or a bool mask over leading dims. */
    static Tensor index(Tensor x, Tensor idx) {
        if (idx.dtype() == DType.BOOL) return indexMask(x, idx);
        if (idx.dtype() != DType.INT64) {
            throw new IllegalArgumentException("tensors used as indices must be long, int, byte or bool tensors");
        }
        if (x.dim() == 0) throw new IndexOutOfBoundsException("too many indices for tensor of dimension 0");
        long[] rows = idx.toLongArray();
        checkBounds(rows, x.shape[0], 0);
        int[] shape = new int[idx.dim() + x.dim() - 1];
        System.arraycopy(idx.shape, 0, shape, 0, idx.dim());
        System.arraycopy(x.shape, 1, shape, idx.dim(), x.dim() - 1);
        Tensor out = selectRows(x, 0, rows).view(shape);
        int[] in = x.shape;
        DType dtype = x.dtype();
        Node.attach("IndexBackward0", g -> new Tensor[] {
            addRows(Tensor.zeros(dtype, in), 0, rows, g[0].reshape(withDim(in, 0, rows.length)))}, out, x);
        return out;
    }

    private static Tensor indexMask(Tensor x, Tensor mask) {
        if (mask.dim() > x.dim()) {
            throw new IndexOutOfBoundsException("too many indices for tensor of dimension " + x.dim()
                    + " (got " + mask.dim() + ")");
        }
        for (int i = 0; i < mask.dim(); i++) {
            if (mask.shape[i] != x.shape[i]) {
                throw new IndexOutOfBoundsException("The shape of the mask " + Shape.str(mask.shape) + " at index " + i
                        + " does not match the shape of the indexed tensor " + Shape.str(x.shape) + " at index " + i);
            }
        }
        long[] rows = truePositions(mask);
        int[] flatShape = new int[x.dim() - mask.dim() + 1];
        flatShape[0] = mask.numel();
        System.arraycopy(x.shape, mask.dim(), flatShape, 1, flatShape.length - 1);
        Tensor flat = x.detach().reshape(flatShape);
        Tensor out = selectRows(flat, 0, rows);
        int[] in = x.shape;
        DType dtype = x.dtype();
        Node.attach("IndexBackward0", g -> new Tensor[] {
            addRows(Tensor.zeros(dtype, flatShape), 0, rows, g[0]).view(in)}, out, x);
        return out;
    }

    /** Flat row-major positions of the true elements of a bool tensor. */
    private static long[] truePositions(Tensor mask) {
        boolean[] m = mask.toBooleanArray();
        int n = 0;
        for (boolean b : m) if (b) n++;
        long[] pos = new long[n];
        for (int i = 0, k = 0; i < m.length; i++) if (m[i]) pos[k++] = i;
        return pos;
    }

    static Tensor indexSelect(Tensor x, int dim, Tensor idx) {
        if (idx.dtype() != DType.INT64) {
            throw new IllegalArgumentException("index_select(): Expected dtype int32 or int64 for index");
        }
        if (idx.dim() > 1) throw new IndexOutOfBoundsException("index_select(): Index is supposed to be a vector");
        if (x.dim() == 0) return indexSelect(x.reshape(1), dim, idx).reshape(idx.shape);
        int d = Shape.wrapDim(dim, x.dim());
        long[] rows = idx.toLongArray();
        for (long r : rows) if (r < 0 || r >= x.shape[d]) throw new IndexOutOfBoundsException("index out of range in self");
        Tensor out = selectRows(x, d, rows);
        int[] in = x.shape;
        DType dtype = x.dtype();
        Node.attach("IndexSelectBackward0", g -> new Tensor[] {addRows(Tensor.zeros(dtype, in), d, rows, g[0])}, out, x);
        return out;
    }

    static Tensor maskedSelect(Tensor x, Tensor mask) {
        if (mask.dtype() != DType.BOOL) throw new IllegalArgumentException("masked_select: expected BoolTensor for mask");
        int[] shape = Shape.broadcast(mask.shape, x.shape);
        long[] pos = truePositions(mask.expand(shape));
        Tensor flat = x.detach().expand(shape).reshape(-1);
        Tensor out = selectRows(flat, 0, pos);
        int[] in = x.shape;
        DType dtype = x.dtype();
        Node.attach("MaskedSelectBackward0", g -> new Tensor[] {
            Binary.reduce(addRows(Tensor.zeros(dtype, Shape.numel(shape)), 0, pos, g[0]).view(shape), in, dtype)}, out, x);
        return out;
    }

    static Tensor gather(Tensor x, int dim, Tensor idx) {
        if (idx.dtype() != DType.INT64) throw new IllegalArgumentException("gather(): Expected dtype int32/int64 for index");
        int d = Shape.wrapDim(dim, x.dim());
        int[] offsets = gatherOffsets(x.shape, Shape.contiguousStrides(x.shape), d, idx, "gather");
        Tensor c = x.detach().contiguous();
        Tensor out = Tensor.allocate(x.dtype(), idx.shape);
        int n = offsets.length;
        if (c.dtype() == DType.FLOAT32) {
            float[] a = c.floats(), o = out.floats();
            for (int i = 0; i < n; i++) o[i] = a[c.offset + offsets[i]];
        } else {
            for (int i = 0; i < n; i++) out.storage.set(i, c.storage.get(c.offset + offsets[i]));
        }
        int[] in = x.shape;
        DType dtype = x.dtype();
        Node.attach("GatherBackward0", g -> new Tensor[] {scatterAdd(Tensor.zeros(dtype, in), d, idx, g[0])}, out, x);
        return out;
    }

    /** Adds {@code src} into the contiguous {@code target} at {@code idx} along {@code dim}, in place; returns target. */
    static Tensor scatterAdd(Tensor target, int dim, Tensor idx, Tensor src) {
        int[] offsets = gatherOffsets(target.shape, target.stride, dim, idx, "scatter");
        Tensor s = src.contiguous();
        if (target.dtype() == DType.FLOAT32 && s.dtype() == DType.FLOAT32) {
            float[] t = target.floats(), a = s.floats();
            for (int i = 0; i < offsets.length; i++) t[offsets[i]] += a[s.offset + i];
        } else {
            Storage t = target.storage;
            for (int i = 0; i < offsets.length; i++) t.set(offsets[i], t.get(offsets[i]) + s.storage.get(s.offset + i));
        }
        return target;
    }

    /** For every element of idx (row-major), the offset of the element of a [shape, strides] tensor it addresses. */
    private static int[] gatherOffsets(int[] shape, int[] strides, int dim, Tensor idx, String op) {
        int nd = shape.length;
        if (idx.dim() != Math.max(nd, 1) && !(nd == 0 && idx.dim() == 0)) {
            throw new IllegalArgumentException("Index tensor must have the same number of dimensions as input tensor");
        }
        for (int i = 0; i < idx.dim(); i++) {
            if (i != dim && idx.shape[i] > (nd == 0 ? 1 : shape[i])) {
                throw new IllegalArgumentException("Size does not match at dimension " + i + " expected index "
                        + Shape.str(idx.shape) + " to be " + (op.equals("gather") ? "no larger" : "smaller") + " than self "
                        + Shape.str(shape) + " apart from dimension " + dim);
            }
        }
        long[] v = idx.toLongArray();
        int[] out = new int[v.length];
        if (nd == 0) {
            for (int i = 0; i < v.length; i++) {
                if (v[i] != 0 && v[i] != -1) throw new IndexOutOfBoundsException("index " + v[i] + " is out of bounds for dimension 0 with size 1");
            }
            return out;
        }
        int size = shape[dim];
        int[] coord = new int[nd];
        for (int e = 0; e < v.length; e++) {
            long k = v[e];
            if (k < -size || k >= size) {
                throw new IndexOutOfBoundsException("index " + k + " is out of bounds for dimension " + dim + " with size " + size);
            }
            int p = 0;
            for (int i = 0; i < nd; i++) p += (i == dim ? (int) (k < 0 ? k + size : k) : coord[i]) * strides[i];
            out[e] = p;
            for (int i = nd - 1; i >= 0; i--) {
                if (++coord[i] < idx.shape[i]) break;
                coord[i] = 0;
            }
        }
        return out;
    }

    private static void checkBounds(long[] rows, int size, int dim) {
        for (int i = 0; i < rows.length; i++) {
            long r = rows[i];
            if (r < -size || r >= size) {
                throw new IndexOutOfBoundsException("index " + r + " is out of bounds for dimension " + dim + " with size " + size);
            }
            if (r < 0) rows[i] = r + size;
        }
    }

    static int[] withDim(int[] shape, int dim, int size) {
        int[] s = shape.clone();
        s[dim] = size;
        return s;
    }

    /** The slices {@code rows} of x along dim, as a new contiguous tensor, outside autograd. */
    static Tensor selectRows(Tensor x, int dim, long[] rows) {
        Tensor c = x.detach().contiguous();
        int outer = 1, inner = 1, size = c.shape[dim];
        for (int i = 0; i < dim; i++) outer *= c.shape[i];
        for (int i = dim + 1; i < c.dim(); i++) inner *= c.shape[i];
        Tensor out = Tensor.allocate(c.dtype(), withDim(c.shape, dim, rows.length));
        Object a = c.storage.array(), o = out.storage.array();
        int k = rows.length;
        for (int p = 0; p < outer; p++) {
            for (int j = 0; j < k; j++) {
                System.arraycopy(a, c.offset + (p * size + (int) rows[j]) * inner, o, (p * k + j) * inner, inner);
            }
        }
        return out;
    }

    /** {@code target.index_add_(dim, rows, src)} on a contiguous target, outside autograd; returns target. */
    static Tensor addRows(Tensor target, int dim, long[] rows, Tensor src) {
        Tensor s = src.contiguous();
        int outer = 1, inner = 1, size = target.shape[dim], k = rows.length;
        for (int i = 0; i < dim; i++) outer *= target.shape[i];
        for (int i = dim + 1; i < target.dim(); i++) inner *= target.shape[i];
        boolean fast = target.dtype() == DType.FLOAT32 && s.dtype() == DType.FLOAT32;
        float[] t = fast ? target.floats() : null, a = fast ? s.floats() : null;
        for (int p = 0; p < outer; p++) {
            for (int j = 0; j < k; j++) {
                int to = (p * size + (int) rows[j]) * inner, from = s.offset + (p * k + j) * inner;
                if (fast) {
                    for (int i = 0; i < inner; i++) t[to + i] += a[from + i];
                } else {
                    for (int i = 0; i < inner; i++) target.storage.set(to + i, target.storage.get(to + i) + s.storage.get(from + i));
                }
            }
        }
        return target;
    }

    // ---------------------------------------------------------------- joining and splitting (see Join)

    static Tensor cat(List<Tensor> tensors, int dim) { return Join.cat(tensors, dim); }
    static Tensor stack(List<Tensor> tensors, int dim) { return Join.stack(tensors, dim); }
    static List<Tensor> split(Tensor x, int size, int dim) { return Join.split(x, size, dim); }
    static List<Tensor> split(Tensor x, int[] sizes, int dim) { return Join.split(x, sizes, dim); }
    static List<Tensor> chunk(Tensor x, int chunks, int dim) { return Join.chunk(x, chunks, dim); }
}
