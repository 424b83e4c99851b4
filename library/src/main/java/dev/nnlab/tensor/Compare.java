package dev.nnlab.tensor;

import dev.nnlab.autograd.GradMode;
import dev.nnlab.autograd.Node;

import java.util.Arrays;

/** Comparisons, logic, where and masks (bool results, no gradient except through where/maskedFill). */
final class Compare {
    static final int EQ = 0, NE = 1, LT = 2, LE = 3, GT = 4, GE = 5, AND = 6, OR = 7;

    private Compare() { }

    static Tensor compare(int op, Tensor a, Tensor b) {
        int[] shape = Arrays.equals(a.shape, b.shape) ? a.shape : Shape.broadcast(a.shape, b.shape);
        Tensor out = Tensor.allocate(DType.BOOL, shape);
        int n = out.numel();
        if (n == 0) return out;
        boolean[] o = (boolean[]) out.storage.array();
        if (a.dtype() == DType.FLOAT32 && b.dtype() == DType.FLOAT32 && a.isContiguous() && Arrays.equals(a.shape, shape)
                && (b.numel() == 1 || b.isContiguous() && Arrays.equals(b.shape, shape))) {
            float[] x = a.floats(), y = b.floats();
            int ys = b.numel() == 1 ? 0 : 1;
            Parallel.range(n, n, (from, to) -> floatLoop(op, x, a.offset + from, y, b.offset + from * ys, ys, o, from, to - from));
            return out;
        }
        Tensor ea = a.detach().expand(shape), eb = b.detach().expand(shape);
        Storage s = a.storage, t = b.storage;
        if (shape.length == 0) {
            o[0] = scalar(op, s.get(ea.offset), t.get(eb.offset));
            return out;
        }
        int last = shape.length - 1;
        int inner = shape[last], sa = ea.stride[last], sb = eb.stride[last];
        int[] w = {0};
        Binary.forEachRow2(ea, eb, (pa, pb) -> {
            int base = w[0];
            for (int j = 0; j < inner; j++) o[base + j] = scalar(op, s.get(pa + j * sa), t.get(pb + j * sb));
            w[0] = base + inner;
        });
        return out;
    }

    private static void floatLoop(int op, float[] x, int xo, float[] y, int yo, int ys, boolean[] o, int oo, int n) {
        if (ys == 0) {
            scalarLoop(op, x, xo, y[yo], o, oo, n);
            return;
        }
        switch (op) {
            case EQ: for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] == y[yo + i * ys]; break;
            case NE: for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] != y[yo + i * ys]; break;
            case LT: for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] < y[yo + i * ys]; break;
            case LE: for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] <= y[yo + i * ys]; break;
            case GT: for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] > y[yo + i * ys]; break;
            case GE: for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] >= y[yo + i * ys]; break;
            case AND: for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] != 0 && y[yo + i * ys] != 0; break;
            default: for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] != 0 || y[yo + i * ys] != 0;
        }
    }

    private static void scalarLoop(int op, float[] x, int xo, float c, boolean[] o, int oo, int n) {
        switch (op) {
            case EQ: for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] == c; break;
            case NE: for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] != c; break;
            case LT: for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] < c; break;
            case LE: for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] <= c; break;
            case GT: for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] > c; break;
            case GE: for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] >= c; break;
            case AND: for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] != 0 && c != 0; break;
            default: for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] != 0 || c != 0;
        }
    }

    private static boolean scalar(int op, double x, double y) {
        switch (op) {
            case EQ: return x == y;
            case NE: return x != y;
            case LT: return x < y;
            case LE: return x <= y;
            case GT: return x > y;
            case GE: return x >= y;
            case AND: return x != 0 && y != 0;
            default: return x != 0 || y != 0;
        }
    }

    static final int NAN = 0, INF = 1, FINITE = 2, NOT = 3;

    static Tensor isnan(Tensor x) { return test(NAN, x); }
    static Tensor isinf(Tensor x) { return test(INF, x); }
    static Tensor isfinite(Tensor x) { return test(FINITE, x); }
    static Tensor logicalNot(Tensor x) { return test(NOT, x); }

    private static Tensor test(int op, Tensor x) {
        Tensor out = Tensor.allocate(DType.BOOL, x.shape);
        boolean[] o = (boolean[]) out.storage.array();
        int n = x.numel();
        if (x.dtype() == DType.FLOAT32 && x.isContiguous()) {
            float[] a = x.floats();
            int off = x.offset;
            switch (op) {
                case NAN: for (int i = 0; i < n; i++) o[i] = a[off + i] != a[off + i]; break;
                case INF: for (int i = 0; i < n; i++) o[i] = Float.isInfinite(a[off + i]); break;
                case FINITE: for (int i = 0; i < n; i++) o[i] = Float.isFinite(a[off + i]); break;
                default: for (int i = 0; i < n; i++) o[i] = a[off + i] == 0;
            }
            return out;
        }
        Storage s = x.storage;
        int[] w = {0};
        View.forEachOffset(x, p -> {
            double v = s.get(p);
            o[w[0]++] = op == NAN ? v != v : op == INF ? Double.isInfinite(v) : op == FINITE ? Double.isFinite(v) : v == 0;
        });
        return out;
    }

    /** Elements of a where cond is true, else b; gradient flows to a and b through the mask. */
    static Tensor where(Tensor cond, Tensor a, Tensor b) {
        if (cond.dtype() != DType.BOOL) {
            throw new IllegalArgumentException("where expected condition to be a boolean tensor, but got a tensor with dtype "
                    + dtypeWord(cond.dtype()));
        }
        int[] shape = Shape.broadcast(Shape.broadcast(cond.shape, a.shape), b.shape);
        DType dtype = Binary.promote(a, b);
        Tensor out = Tensor.allocate(dtype, shape);
        select(cond, a, b, out);
        int[] as = a.shape, bs = b.shape;
        DType at = a.dtype(), bt = b.dtype();
        Node.attach("WhereBackward0", g -> {
            Tensor zero = Tensor.scalar(0, g[0].dtype());
            return new Tensor[] {
                a.requiresGrad() ? Binary.reduce(where(cond, g[0], zero), as, at) : null,
                b.requiresGrad() ? Binary.reduce(where(cond, zero, g[0]), bs, bt) : null};
        }, out, a, b);
        return out;
    }

    /** Writes where(cond, a, b) into the contiguous {@code out} of the broadcast shape. */
    private static void select(Tensor cond, Tensor a, Tensor b, Tensor out) {
        int[] shape = out.shape;
        int n = out.numel();
        boolean[] c = (boolean[]) cond.expand(shape).contiguous().storage.array();
        int co = cond.isContiguous() && Arrays.equals(cond.shape, shape) ? cond.offset : 0;
        if (out.dtype() == DType.FLOAT32) {
            Tensor ca = flat(a, shape, DType.FLOAT32), cb = flat(b, shape, DType.FLOAT32);
            float[] x = ca.floats(), y = cb.floats(), o = out.floats();
            int xs = ca.numel() == 1 ? 0 : 1, ys = cb.numel() == 1 ? 0 : 1;
            for (int i = 0; i < n; i++) o[i] = c[co + i] ? x[ca.offset + i * xs] : y[cb.offset + i * ys];
            return;
        }
        Tensor ca = flat(a, shape, out.dtype()), cb = flat(b, shape, out.dtype());
        int xs = ca.numel() == 1 ? 0 : 1, ys = cb.numel() == 1 ? 0 : 1;
        for (int i = 0; i < n; i++) {
            out.storage.set(i, c[co + i] ? ca.storage.get(ca.offset + i * xs) : cb.storage.get(cb.offset + i * ys));
        }
    }

    /** A contiguous tensor in {@code dtype}: a single element, or the values broadcast to {@code shape}. */
    private static Tensor flat(Tensor t, int[] shape, DType dtype) {
        Tensor d = t.detach();
        if (t.numel() == 1) return d.dtype() == dtype ? d.contiguous() : d.convert(dtype);
        Tensor e = d.expand(shape);
        return e.dtype() == dtype && e.isContiguous() ? e : e.convert(dtype);
    }

    static Tensor maskedFill(Tensor x, Tensor mask, double value) {
        checkMask(mask);
        int[] shape = Shape.broadcast(x.shape, mask.shape);
        Tensor out = Tensor.allocate(x.dtype(), shape);
        select(mask, Tensor.scalar(value, x.dtype()), x, out);
        int[] xs = x.shape;
        DType xt = x.dtype();
        Node.attach("MaskedFillBackward0", g -> new Tensor[] {
            Binary.reduce(where(mask, Tensor.scalar(0, g[0].dtype()), g[0]), xs, xt)}, out, x);
        return out;
    }

    /** In place: fills x where mask (broadcast to x's shape) is true; the graph records MaskedFillBackward0. */
    static Tensor maskedFill_(Tensor x, Tensor mask, double value) {
        checkMask(mask);
        int[] shape = Shape.broadcast(x.shape, mask.shape);
        if (!Arrays.equals(shape, x.shape)) {
            throw new IllegalArgumentException("output with shape " + Shape.str(x.shape)
                    + " doesn't match the broadcast shape " + Shape.str(shape));
        }
        boolean record = GradMode.isEnabled() && x.requiresGrad();
        Tensor before = record ? x.aliasWithGraph() : null;
        x.beforeInPlace();
        Tensor filled = Tensor.allocate(x.dtype(), shape);
        select(mask, Tensor.scalar(value, x.dtype()), x, filled);
        x.copyRaw(filled);
        if (record) {
            Node.attach("MaskedFillBackward0", g -> new Tensor[] {where(mask, Tensor.scalar(0, g[0].dtype()), g[0])}, x, before);
        }
        return x;
    }

    private static void checkMask(Tensor mask) {
        if (mask.dtype() != DType.BOOL) {
            throw new IllegalArgumentException("masked_fill_ only supports boolean masks, but got mask with dtype "
                    + (mask.dtype() == DType.INT64 ? "long int" : mask.dtype().toString().replace("torch.", "")));
        }
    }

    static boolean allclose(Tensor a, Tensor b, double rtol, double atol) {
        Tensor x = a.detach().toDouble(), y = b.detach().toDouble();
        int[] shape = Shape.broadcast(x.shape, y.shape);
        double[] p = x.expand(shape).contiguous().toDoubleArray(), q = y.expand(shape).contiguous().toDoubleArray();
        for (int i = 0; i < p.length; i++) {
            if (p[i] == q[i]) continue;
            if (!(Math.abs(p[i] - q[i]) <= atol + rtol * Math.abs(q[i]))) return false;
        }
        return true;
    }

    static boolean equal(Tensor a, Tensor b) {
        if (!Arrays.equals(a.shape, b.shape)) return false;
        double[] p = a.toDoubleArray(), q = b.toDoubleArray();
        for (int i = 0; i < p.length; i++) if (p[i] != q[i]) return false;
        return true;
    }

    static String dtypeWord(DType t) {
        switch (t) {
            case FLOAT32: return "Float";
            case FLOAT64: return "Double";
            case INT64: return "Long";
            default: return "Bool";
        }
    }
}
