package dev.nnlab.tensor;

import dev.nnlab.autograd.Node;

import java.util.Arrays;

/** Reductions over all elements or over dims (with keepdim), each with its gradient. */
final class Reduce {
    private Reduce() { }

    /** Normalised, sorted, distinct dims; null or empty means all dims. */
    static int[] dims(Tensor x, int[] dims) {
        if (dims == null || dims.length == 0) {
            int[] all = new int[x.dim()];
            for (int i = 0; i < all.length; i++) all[i] = i;
            return all;
        }
        int[] d = new int[dims.length];
        for (int i = 0; i < dims.length; i++) d[i] = Shape.wrapDim(dims[i], x.dim());
        Arrays.sort(d);
        for (int i = 1; i < d.length; i++) {
            if (d[i] == d[i - 1]) throw new IllegalArgumentException("dim " + d[i] + " appears multiple times in the list of dims");
        }
        return d;
    }

    /** The shape after reducing {@code dims} with keepdim=true. */
    static int[] keptShape(int[] shape, int[] dims) {
        int[] k = shape.clone();
        for (int d : dims) k[d] = 1;
        return k;
    }

    static int[] outShape(int[] shape, int[] dims, boolean keepdim) {
        if (keepdim) return keptShape(shape, dims);
        int[] out = new int[shape.length - dims.length];
        for (int i = 0, j = 0, k = 0; i < shape.length; i++) {
            if (k < dims.length && dims[k] == i) k++;
            else out[j++] = shape[i];
        }
        return out;
    }

    static Tensor sum(Tensor x, int[] dimsArg, boolean keepdim) {
        int[] dims = dims(x, dimsArg);
        Tensor out = sumRaw(x, dims).reshape(outShape(x.shape, dims, keepdim)).detach();
        int[] in = x.shape, kept = keptShape(x.shape, dims);
        Node.attach("SumBackward" + (dimsArg == null ? 0 : 1), g -> new Tensor[] {g[0].reshape(kept).expand(in)}, out, x);
        return out;
    }

    static Tensor mean(Tensor x, int[] dimsArg, boolean keepdim) {
        if (!x.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("mean(): could not infer output dtype. Input dtype must be either a "
                    + "floating point or complex dtype. Got: " + (x.dtype() == DType.BOOL ? "Bool" : "Long"));
        }
        int[] dims = dims(x, dimsArg);
        int count = 1;
        for (int d : dims) count *= x.shape[d];
        Tensor out = sumRaw(x, dims).reshape(outShape(x.shape, dims, keepdim)).detach();
        divideInPlace(out, count);
        int[] in = x.shape, kept = keptShape(x.shape, dims);
        int n = count;
        Node.attach("MeanBackward" + (dimsArg == null ? 0 : 1), g -> new Tensor[] {g[0].div(n).reshape(kept).expand(in)}, out, x);
        return out;
    }

    private static void divideInPlace(Tensor t, double d) {
        for (int i = 0; i < t.numel(); i++) t.storage.set(t.offset + i, t.storage.get(t.offset + i) / d);
    }

    /** Sums away the leading and size-1 dims that broadcasting added, so the result has {@code shape}. */
    static Tensor sumTo(Tensor g, int[] shape) {
        if (Arrays.equals(g.shape, shape)) return g;
        int lead = g.dim() - shape.length;
        if (lead < 0) throw new IllegalArgumentException("sumTo: " + Shape.str(g.shape) + " cannot be reduced to " + Shape.str(shape));
        int[] dims = new int[g.dim()];
        int n = 0;
        for (int i = 0; i < g.dim(); i++) {
            if (i < lead || (shape[i - lead] == 1 && g.shape[i] != 1)) dims[n++] = i;
        }
        Tensor r = n == 0 ? g : sum(g, Arrays.copyOf(dims, n), true);
        return r.reshape(shape);
    }

    /** The sum over sorted {@code dims} as a contiguous tensor of the kept shape, outside autograd. */
    static Tensor sumRaw(Tensor x, int[] dims) {
        DType outType = x.dtype().isFloatingPoint() ? x.dtype() : DType.INT64;
        Tensor cur = x.contiguous();
        if (dims.length == x.dim() || x.dim() == 0) return Tensor.scalar(total(cur), outType).reshape(keptShape(x.shape, dims));
        if (cur.dtype() != outType) cur = cur.convert(outType);
        for (int k = dims.length - 1; k >= 0; k--) cur = sumDim(cur, dims[k]);
        return cur;
    }

    private static double total(Tensor c) {
        int n = c.numel();
        double s = 0;
        if (c.dtype() == DType.FLOAT32) {
            float[] a = c.floats();
            for (int i = 0; i < n; i++) s += a[c.offset + i];
        } else {
            for (int i = 0; i < n; i++) s += c.storage.get(c.offset + i);
        }
        return s;
    }

    /** Sums one dim of a contiguous tensor, keeping it as size 1. */
    private static Tensor sumDim(Tensor c, int d) {
        int outer = 1, inner = 1, r = c.shape[d];
        for (int i = 0; i < d; i++) outer *= c.shape[i];
        for (int i = d + 1; i < c.dim(); i++) inner *= c.shape[i];
        int[] shape = c.shape.clone();
        shape[d] = 1;
        Tensor out = Tensor.allocate(c.dtype(), shape);
        if (c.dtype() == DType.FLOAT32) {
            float[] a = c.floats(), o = out.floats();
            int base = c.offset;
            for (int p = 0; p < outer; p++) {
                int ob = p * inner;
                for (int j = 0; j < r; j++) {
                    int ib = base + (p * r + j) * inner;
                    for (int i = 0; i < inner; i++) o[ob + i] += a[ib + i];
                }
            }
        } else {
            Storage a = c.storage, o = out.storage;
            for (int p = 0; p < outer; p++) {
                for (int i = 0; i < inner; i++) {
                    double s = 0;
                    for (int j = 0; j < r; j++) s += a.get(c.offset + (p * r + j) * inner + i);
                    o.set(p * inner + i, s);
                }
            }
        }
        return out;
    }

    static Tensor var(Tensor x, int[] dims, boolean unbiased, boolean keepdim) {
        throw new UnsupportedOperationException("var: not implemented yet");
    }

    static Tensor prod(Tensor x, int[] dims, boolean keepdim) {
        throw new UnsupportedOperationException("prod: not implemented yet");
    }

    static Tensor max(Tensor x) {
        throw new UnsupportedOperationException("max: not implemented yet");
    }

    static Tensor min(Tensor x) {
        throw new UnsupportedOperationException("min: not implemented yet");
    }

    static Tensor.ValuesIndices max(Tensor x, int dim, boolean keepdim) {
        throw new UnsupportedOperationException("max: not implemented yet");
    }

    static Tensor.ValuesIndices min(Tensor x, int dim, boolean keepdim) {
        throw new UnsupportedOperationException("min: not implemented yet");
    }

    static Tensor argmax(Tensor x) {
        throw new UnsupportedOperationException("argmax: not implemented yet");
    }

    static Tensor argmin(Tensor x) {
        throw new UnsupportedOperationException("argmin: not implemented yet");
    }

    static Tensor norm(Tensor x, double p, int[] dims, boolean keepdim) {
        throw new UnsupportedOperationException("norm: not implemented yet");
    }

    static Tensor logsumexp(Tensor x, int dim, boolean keepdim) {
        throw new UnsupportedOperationException("logsumexp: not implemented yet");
    }

    static Tensor any(Tensor x) {
        throw new UnsupportedOperationException("any: not implemented yet");
    }

    static Tensor all(Tensor x) {
        throw new UnsupportedOperationException("all: not implemented yet");
    }
}
