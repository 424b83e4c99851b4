package dev.nnlab.tensor;

import dev.nnlab.autograd.GradMode;
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
        if (c.dtype() == DType.FLOAT32 && outer == 1 && inner >= 16 && r >= 16) {
            Linalg.sumRows(c.floats(), c.offset, r, inner, out.floats());
        } else if (c.dtype() == DType.FLOAT32) {
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

    // ---------------------------------------------------------------- row kernels
    // Every reduction below sees x as a contiguous [outer, r] matrix whose rows run over the reduced dims.

    static final int VAR = 0, PROD = 1, MAX = 2, MIN = 3, NORM = 4, LSE = 5;

    /** x detached as a contiguous [outer, r] matrix, the reduced dims moved last; copies only when needed. */
    static Tensor rows(Tensor x, int[] dims) {
        int n = x.dim();
        boolean[] reduced = new boolean[n];
        for (int d : dims) reduced[d] = true;
        int[] shape = new int[n], stride = new int[n];
        int k = 0, outer = 1, r = 1;
        for (int i = 0; i < n; i++) {
            if (reduced[i]) continue;
            shape[k] = x.shape[i];
            stride[k++] = x.stride[i];
            outer *= x.shape[i];
        }
        for (int d : dims) {
            shape[k] = x.shape[d];
            stride[k++] = x.stride[d];
            r *= x.shape[d];
        }
        Tensor c = View.alias(x, shape, stride, x.offset).contiguous();
        return View.alias(c, new int[] {outer, r}, new int[] {r, 1}, c.offset);
    }

    /** The inverse of {@link #rows}: a [outer, r] matrix viewed back in x's dim order and shape. */
    static Tensor unrows(Tensor m, int[] xShape, int[] dims) {
        int n = xShape.length;
        boolean[] reduced = new boolean[n];
        for (int d : dims) reduced[d] = true;
        int[] perm = new int[n], permShape = new int[n];
        int k = 0;
        for (int i = 0; i < n; i++) if (!reduced[i]) perm[k++] = i;
        for (int d : dims) perm[k++] = d;
        for (int i = 0; i < n; i++) permShape[i] = xShape[perm[i]];
        int[] inverse = new int[n];
        for (int i = 0; i < n; i++) inverse[perm[i]] = i;
        Tensor v = m.reshape(permShape);
        return n == 0 ? v : v.permute(inverse);
    }

    /** Applies kernel {@code op} to every row; returns the reduced tensor and fills {@code idx} for MAX/MIN. */
    private static Tensor reduceRows(int op, Tensor x, int[] dims, boolean keepdim, double p, DType outType, long[] idx) {
        Tensor c = rows(x, dims);
        int outer = c.shape[0], r = c.shape[1];
        int[] shape = outShape(x.shape, dims, keepdim);
        if (c.dtype() == DType.FLOAT32 && outType == DType.FLOAT32) {
            Tensor out = Tensor.allocate(DType.FLOAT32, shape);
            float[] a = c.floats(), o = out.floats();
            int base = c.offset;
            Parallel.range(outer, (long) outer * r, (from, to) -> {
                for (int i = from; i < to; i++) o[i] = (float) rowF(op, a, base + i * r, r, p, idx, i);
            });
            return out;
        }
        Tensor d = c.dtype() == DType.FLOAT64 ? c : c.convert(DType.FLOAT64);
        double[] a = (double[]) d.storage.array();
        double[] o = new double[outer];
        for (int i = 0; i < outer; i++) o[i] = rowD(op, a, d.offset + i * r, r, p, idx, i);
        Tensor out = Creation.wrap(o, shape);
        return outType == DType.FLOAT64 ? out : out.convert(outType);
    }

    private static double rowF(int op, float[] a, int b, int r, double p, long[] idx, int row) {
        switch (op) {
            case VAR: {
                double s = 0, ss = 0;
                for (int j = 0; j < r; j++) s += a[b + j];
                double m = s / r;
                for (int j = 0; j < r; j++) { double d = a[b + j] - m; ss += d * d; }
                return ss / Math.max(0, r - p);
            }
            case PROD: {
                double s = 1;
                for (int j = 0; j < r; j++) s *= a[b + j];
                return s;
            }
            case MAX: case MIN: {
                float best = a[b];
                int bi = 0;
                boolean max = op == MAX;
                if (best == best) {
                    for (int j = 1; j < r; j++) {
                        float v = a[b + j];
                        if (v != v) { best = v; bi = j; break; }
                        if (max ? v > best : v < best) { best = v; bi = j; }
                    }
                }
                if (idx != null) idx[row] = bi;
                return best;
            }
            case NORM: {
                double s = 0;
                if (p == 2) { for (int j = 0; j < r; j++) s += (double) a[b + j] * a[b + j]; return Math.sqrt(s); }
                if (p == 1) { for (int j = 0; j < r; j++) s += Math.abs(a[b + j]); return s; }
                if (p == Double.POSITIVE_INFINITY) { for (int j = 0; j < r; j++) s = Math.max(s, Math.abs(a[b + j])); return s; }
                if (p == 0) { for (int j = 0; j < r; j++) s += a[b + j] != 0 ? 1 : 0; return s; }
                for (int j = 0; j < r; j++) s += Math.pow(Math.abs(a[b + j]), p);
                return Math.pow(s, 1 / p);
            }
            default: {
                double m = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < r; j++) { float v = a[b + j]; if (v > m || v != v) m = v; if (v != v) break; }
                if (Double.isInfinite(m) || m != m) return m;
                float fm = (float) m;
                double s = 0;
                for (int j = 0; j < r; j++) s += Unary.exp(a[b + j] - fm);
                return m + Math.log(s);
            }
        }
    }

    private static double rowD(int op, double[] a, int b, int r, double p, long[] idx, int row) {
        switch (op) {
            case VAR: {
                double s = 0, ss = 0;
                for (int j = 0; j < r; j++) s += a[b + j];
                double m = s / r;
                for (int j = 0; j < r; j++) { double d = a[b + j] - m; ss += d * d; }
                return ss / Math.max(0, r - p);
            }
            case PROD: {
                double s = 1;
                for (int j = 0; j < r; j++) s *= a[b + j];
                return s;
            }
            case MAX: case MIN: {
                double best = a[b];
                int bi = 0;
                boolean max = op == MAX;
                if (best == best) {
                    for (int j = 1; j < r; j++) {
                        double v = a[b + j];
                        if (v != v) { best = v; bi = j; break; }
                        if (max ? v > best : v < best) { best = v; bi = j; }
                    }
                }
                if (idx != null) idx[row] = bi;
                return best;
            }
            case NORM: {
                double s = 0;
                if (p == 2) { for (int j = 0; j < r; j++) s += a[b + j] * a[b + j]; return Math.sqrt(s); }
                if (p == 1) { for (int j = 0; j < r; j++) s += Math.abs(a[b + j]); return s; }
                if (p == Double.POSITIVE_INFINITY) { for (int j = 0; j < r; j++) s = Math.max(s, Math.abs(a[b + j])); return s; }
                if (p == 0) { for (int j = 0; j < r; j++) s += a[b + j] != 0 ? 1 : 0; return s; }
                for (int j = 0; j < r; j++) s += Math.pow(Math.abs(a[b + j]), p);
                return Math.pow(s, 1 / p);
            }
            default: {
                double m = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < r; j++) { double v = a[b + j]; if (v > m || v != v) m = v; if (v != v) break; }
                if (Double.isInfinite(m) || m != m) return m;
                double s = 0;
                for (int j = 0; j < r; j++) s += Math.exp(a[b + j] - m);
                return m + Math.log(s);
            }
        }
    }

    // ---------------------------------------------------------------- var, std, prod, norm, logsumexp

    private static void requireFloat(Tensor x, String what) {
        if (!x.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(what + " only support floating point and complex dtypes");
        }
    }

    static Tensor var(Tensor x, int[] dimsArg, boolean unbiased, boolean keepdim) {
        requireFloat(x, "std and var");
        int[] dims = dims(x, dimsArg);
        int correction = unbiased ? 1 : 0;
        Tensor out = reduceRows(VAR, x, dims, keepdim, correction, x.dtype(), null);
        int[] kept = keptShape(x.shape, dims);
        double n = count(x, dims) - correction;
        Node node = Node.attach("VarBackward0", g -> new Tensor[] {
            x.sub(x.mean(dims, true)).mul(g[0].reshape(kept)).mul(2 / n)}, out, x);
        if (node != null) node.save(x);
        return out;
    }

    static Tensor std(Tensor x, int[] dimsArg, boolean unbiased, boolean keepdim) {
        requireFloat(x, "std and var");
        int[] dims = dims(x, dimsArg);
        int correction = unbiased ? 1 : 0;
        Tensor out = reduceRows(VAR, x, dims, keepdim, correction, x.dtype(), null).sqrt();
        int[] kept = keptShape(x.shape, dims);
        double n = count(x, dims) - correction;
        Node node = Node.attach("StdBackward0", g -> new Tensor[] {
            x.sub(x.mean(dims, true)).mul(g[0].div(out).reshape(kept)).div(n)}, out, x);
        if (node != null) node.save(x, out);
        return out;
    }

    private static int count(Tensor x, int[] dims) {
        int n = 1;
        for (int d : dims) n *= x.shape[d];
        return n;
    }

    static Tensor prod(Tensor x, int[] dimsArg, boolean keepdim) {
        int[] dims = dims(x, dimsArg);
        DType outType = x.dtype().isFloatingPoint() ? x.dtype() : DType.INT64;
        Tensor out = reduceRows(PROD, x, dims, keepdim, 0, outType, null);
        int[] kept = keptShape(x.shape, dims);
        Node node = Node.attach(dimsArg == null ? "ProdBackward0" : "ProdBackward1", g -> new Tensor[] {
            othersProduct(x, dims).mul(g[0].reshape(kept))}, out, x);
        if (node != null) node.save(x);
        return out;
    }

    /** For every element, the product of the other elements of its row (exact when the row holds zeros). */
    private static Tensor othersProduct(Tensor x, int[] dims) {
        Tensor c = rows(x, dims).convert(DType.FLOAT64);
        int outer = c.shape[0], r = c.shape[1];
        double[] a = (double[]) c.storage.array(), o = new double[outer * r];
        for (int i = 0; i < outer; i++) {
            double prefix = 1;
            for (int j = 0; j < r; j++) { o[i * r + j] = prefix; prefix *= a[i * r + j]; }
            double suffix = 1;
            for (int j = r - 1; j >= 0; j--) { o[i * r + j] *= suffix; suffix *= a[i * r + j]; }
        }
        return unrows(Creation.wrap(o, outer, r), x.shape, dims).to(x.dtype());
    }

    static Tensor norm(Tensor x, double p, int[] dimsArg, boolean keepdim) {
        if (!x.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("linalg.vector_norm: Expected a floating point or complex tensor as input. "
                    + "Got " + Compare.dtypeWord(x.dtype()));
        }
        if (p < 0 || Double.isNaN(p)) throw new IllegalArgumentException("norm: p must be non-negative, got " + p);
        int[] dims = dims(x, dimsArg);
        Tensor out = reduceRows(NORM, x, dims, keepdim, p, x.dtype(), null);
        int[] kept = keptShape(x.shape, dims);
        Node node = Node.attach("LinalgVectorNormBackward0", g -> {
            Tensor gk = g[0].reshape(kept), nk = out.reshape(kept);
            if (p == 0) return new Tensor[] {Tensor.zerosLike(x)};
            if (p == 1) return new Tensor[] {x.sign().mul(gk)};
            if (p == Double.POSITIVE_INFINITY) {
                Tensor hit = x.abs().eq(nk).to(x.dtype());
                return new Tensor[] {x.sign().mul(hit).mul(gk.div(hit.sum(dims, true)))};
            }
            Tensor scale = gk.div(p == 2 ? nk : nk.pow(p - 1)).maskedFill(nk.eq(0), 0);
            Tensor dx = p == 2 ? x : x.mul(x.abs().pow(p - 2));
            return new Tensor[] {dx.mul(scale)};
        }, out, x);
        if (node != null) node.save(x, out);
        return out;
    }

    static Tensor logsumexp(Tensor x, int dim, boolean keepdim) {
        Tensor in = x.dtype().isFloatingPoint() ? x : x.to(DType.FLOAT32);
        int[] dims = {Shape.wrapDim(dim, in.dim())};
        Tensor out = reduceRows(LSE, in, dims, keepdim, 0, in.dtype(), null);
        int[] kept = keptShape(in.shape, dims);
        Node node = Node.attach("LogsumexpBackward0", g -> new Tensor[] {
            in.sub(out.reshape(kept)).exp().mul(g[0].reshape(kept))}, out, in);
        if (node != null) node.save(in, out);
        return out;
    }

    // ---------------------------------------------------------------- max, min, argmax, argmin

    static Tensor max(Tensor x) { return extremum(MAX, x); }
    static Tensor min(Tensor x) { return extremum(MIN, x); }

    private static Tensor extremum(int op, Tensor x) {
        String name = op == MAX ? "max" : "min";
        if (x.numel() == 0) {
            throw new IllegalArgumentException(name + "(): Expected reduction dim to be specified for input.numel() == 0. "
                    + "Specify the reduction dim with the 'dim' argument.");
        }
        Tensor out = reduceRows(op, x, dims(x, null), false, 0, x.dtype(), null);
        Node node = Node.attach(op == MAX ? "MaxBackward1" : "MinBackward1", g -> {
            Tensor hit = x.eq(out).logicalOr(x.isnan().logicalAnd(out.isnan())).to(x.dtype());
            return new Tensor[] {hit.mul(g[0].div(hit.sum()))};
        }, out, x);
        if (node != null) node.save(x, out);
        return out;
    }

    static Tensor.ValuesIndices max(Tensor x, int dim, boolean keepdim) { return extremum(MAX, x, dim, keepdim); }
    static Tensor.ValuesIndices min(Tensor x, int dim, boolean keepdim) { return extremum(MIN, x, dim, keepdim); }

    private static Tensor.ValuesIndices extremum(int op, Tensor x, int dim, boolean keepdim) {
        int d = Shape.wrapDim(dim, x.dim());
        if (x.dim() > 0 && x.shape[d] == 0) {
            throw new IndexOutOfBoundsException((op == MAX ? "max" : "min") + "(): Expected reduction dim " + d
                    + " to have non-zero size.");
        }
        int[] dims = x.dim() == 0 ? new int[0] : new int[] {d};
        long[] idx = new long[Shape.numel(outShape(x.shape, dims, true))];
        Tensor values = reduceRows(op, x, dims, keepdim, 0, x.dtype(), idx);
        Tensor indices = Creation.wrap(idx, values.shape);
        if (x.dim() == 0) return new Tensor.ValuesIndices(values, indices);
        int[] in = x.shape, kept = keptShape(x.shape, dims);
        DType dtype = x.dtype();
        Node.attach(op == MAX ? "MaxBackward0" : "MinBackward0", g -> new Tensor[] {
            Index.scatterAdd(Tensor.zeros(dtype, in), d, indices.reshape(kept), g[0].reshape(kept))}, values, x);
        return new Tensor.ValuesIndices(values, indices);
    }

    static Tensor argmax(Tensor x, int dim, boolean keepdim) { return argExtremum(MAX, x, dim, keepdim); }
    static Tensor argmin(Tensor x, int dim, boolean keepdim) { return argExtremum(MIN, x, dim, keepdim); }

    /** The indices of max/min along dim, without recording a graph. */
    private static Tensor argExtremum(int op, Tensor x, int dim, boolean keepdim) {
        try (var g = GradMode.set(false)) {
            return extremum(op, x, dim, keepdim).indices();
        }
    }

    static Tensor argmax(Tensor x) { return argExtremum(MAX, x); }
    static Tensor argmin(Tensor x) { return argExtremum(MIN, x); }

    private static Tensor argExtremum(int op, Tensor x) {
        if (x.numel() == 0) {
            throw new IllegalArgumentException("arg" + (op == MAX ? "max" : "min") + "(): Expected reduction dim to be "
                    + "specified for input.numel() == 0.");
        }
        long[] idx = new long[1];
        reduceRows(op, x, dims(x, null), false, 0, x.dtype(), idx);
        return Tensor.scalar(idx[0], DType.INT64);
    }

    // ---------------------------------------------------------------- any, all

    static Tensor any(Tensor x) { return Tensor.scalar(scan(x, true) ? 1 : 0, DType.BOOL); }
    static Tensor all(Tensor x) { return Tensor.scalar(scan(x, false) ? 0 : 1, DType.BOOL); }

    /** Whether some element is nonzero (lookFor=true) or zero (lookFor=false). */
    private static boolean scan(Tensor x, boolean lookFor) {
        if (x.dtype() == DType.FLOAT32 && x.isContiguous()) {
            float[] a = x.floats();
            for (int i = x.offset, e = x.offset + x.numel(); i < e; i++) if ((a[i] != 0) == lookFor) return true;
            return false;
        }
        Tensor b = x.dtype() == DType.BOOL ? x.contiguous() : x.ne(0);
        boolean[] a = (boolean[]) b.storage.array();
        for (int i = b.offset, e = b.offset + b.numel(); i < e; i++) if (a[i] == lookFor) return true;
        return false;
    }
}
