package dev.nnlab.tensor;

import dev.nnlab.autograd.GradMode;
import dev.nnlab.autograd.Node;

import java.util.Arrays;

/** Broadcasting element-wise arithmetic of two tensors, each op's gradient beside its forward. */
final class Binary {
    static final int ADD = 0, SUB = 1, MUL = 2, DIV = 3, POW = 4, MAX = 5, MIN = 6;

    private Binary() { }

    /** A 0-dim tensor for a Java scalar operand, typed the way PyTorch types Python scalars. */
    static Tensor scalarFor(Tensor t, double v) {
        DType dtype = t.dtype().isFloatingPoint() ? t.dtype() : v == Math.rint(v) && !Double.isInfinite(v) ? DType.INT64 : DType.FLOAT32;
        return Tensor.scalar(v, dtype);
    }

    static Tensor add(Tensor a, Tensor b) {
        Tensor out = compute(ADD, a, b);
        int[] as = a.shape, bs = b.shape;
        DType at = a.dtype(), bt = b.dtype();
        Node.attach("AddBackward0", g -> new Tensor[] {reduce(g[0], as, at), reduce(g[0], bs, bt)}, out, a, b);
        return out;
    }

    static Tensor sub(Tensor a, Tensor b) {
        Tensor out = compute(SUB, a, b);
        int[] as = a.shape, bs = b.shape;
        DType at = a.dtype(), bt = b.dtype();
        Node.attach("SubBackward0", g -> new Tensor[] {reduce(g[0], as, at), reduce(g[0].neg(), bs, bt)}, out, a, b);
        return out;
    }

    static Tensor mul(Tensor a, Tensor b) {
        Tensor out = compute(MUL, a, b);
        Node n = Node.attach("MulBackward0", g -> new Tensor[] {
            a.requiresGrad() ? reduce(g[0].mul(b), a.shape, a.dtype()) : null,
            b.requiresGrad() ? reduce(g[0].mul(a), b.shape, b.dtype()) : null}, out, a, b);
        if (n != null) n.save(a, b);
        return out;
    }

    static Tensor div(Tensor a, Tensor b) {
        Tensor out = compute(DIV, a, b);
        Node n = Node.attach("DivBackward0", g -> new Tensor[] {
            reduce(g[0].div(b), a.shape, a.dtype()),
            b.requiresGrad() ? reduce(g[0].mul(a).div(b.mul(b)).neg(), b.shape, b.dtype()) : null}, out, a, b);
        if (n != null) n.save(a, b);
        return out;
    }

    static Tensor pow(Tensor a, Tensor b) {
        Tensor out = compute(POW, a, b);
        Node n = Node.attach("PowBackward1", g -> new Tensor[] {
            reduce(g[0].mul(b).mul(a.pow(b.sub(1))), a.shape, a.dtype()),
            b.requiresGrad() ? reduce(g[0].mul(out).mul(a.log()), b.shape, b.dtype()) : null}, out, a, b);
        if (n != null) n.save(a, b);
        return out;
    }

    static Tensor maximum(Tensor a, Tensor b) {
        return extremum(MAX, "MaximumBackward0", a, b);
    }

    static Tensor minimum(Tensor a, Tensor b) {
        return extremum(MIN, "MinimumBackward0", a, b);
    }

    private static Tensor extremum(int op, String name, Tensor a, Tensor b) {
        Tensor out = compute(op, a, b);
        Node n = Node.attach(name, g -> {
            Tensor tie = a.eq(b).to(g[0].dtype()).mul(0.5);
            Tensor aWins = (op == MAX ? a.gt(b) : a.lt(b)).to(g[0].dtype()).add(tie);
            Tensor bWins = (op == MAX ? b.gt(a) : b.lt(a)).to(g[0].dtype()).add(tie);
            return new Tensor[] {reduce(g[0].mul(aWins), a.shape, a.dtype()), reduce(g[0].mul(bWins), b.shape, b.dtype())};
        }, out, a, b);
        if (n != null) n.save(a, b);
        return out;
    }

    /** The gradient of a broadcast operand: summed back to its shape and cast to its dtype. */
    static Tensor reduce(Tensor g, int[] shape, DType dtype) {
        if (!dtype.isFloatingPoint()) return null;
        Tensor r = Arrays.equals(g.shape, shape) ? g : g.sumTo(shape);
        return r.dtype() == dtype ? r : r.to(dtype);
    }

    static DType resultType(int op, Tensor a, Tensor b) {
        DType t = promote(a, b);
        return (op == DIV || op == POW && t == DType.BOOL) && !t.isFloatingPoint() ? DType.FLOAT32 : t;
    }

    /** PyTorch's promotion, in which a 0-dim operand does not widen a float tensor's type. */
    static DType promote(Tensor a, Tensor b) {
        if (a.dim() == 0 && b.dim() > 0 && a.dtype().isFloatingPoint() == b.dtype().isFloatingPoint()) return b.dtype();
        if (b.dim() == 0 && a.dim() > 0 && a.dtype().isFloatingPoint() == b.dtype().isFloatingPoint()) return a.dtype();
        return DType.promote(a.dtype(), b.dtype());
    }

    static Tensor compute(int op, Tensor a, Tensor b) {
        int[] shape = Arrays.equals(a.shape, b.shape) ? a.shape : Shape.broadcast(a.shape, b.shape);
        Tensor out = Tensor.allocate(resultType(op, a, b), shape);
        into(op, a, b, out);
        return out;
    }

    /** {@code t op= o} with o broadcast to t's shape. */
    static Tensor inPlace(Tensor t, int op, Tensor o) {
        int[] shape = Shape.broadcast(t.shape, o.shape);
        if (!Arrays.equals(shape, t.shape)) {
            throw new IllegalArgumentException("output with shape " + Shape.str(t.shape)
                    + " doesn't match the broadcast shape " + Shape.str(shape));
        }
        if (!t.dtype().isFloatingPoint() && resultType(op, t, o).isFloatingPoint()) {
            throw new IllegalArgumentException("result type Float can't be cast to the desired output type "
                    + (t.dtype() == DType.BOOL ? "Bool" : "Long"));
        }
        boolean record = GradMode.isEnabled() && (t.requiresGrad() || o.requiresGrad());
        Tensor before = record ? t.aliasWithGraph() : null;
        Tensor oldValues = record && op == MUL ? t.detach().clone() : null;
        t.beforeInPlace();
        if (t.isContiguous()) {
            into(op, t, o, t);
        } else {
            t.copyRaw(compute(op, t, o));
        }
        if (record) recordInPlace(t, op, o, before, oldValues);
        return t;
    }

    private static void recordInPlace(Tensor t, int op, Tensor o, Tensor before, Tensor oldValues) {
        int[] ts = t.shape, os = o.shape;
        DType ot = o.dtype();
        Node n = Node.attach(new String[] {"AddBackward0", "SubBackward0", "MulBackward0", "DivBackward0"}[op], g -> {
            Tensor gt = g[0];
            switch (op) {
                case ADD: return new Tensor[] {gt, reduce(gt, os, ot)};
                case SUB: return new Tensor[] {gt, reduce(gt.neg(), os, ot)};
                case MUL: return new Tensor[] {gt.mul(o), reduce(gt.mul(oldValues), os, ot)};
                default: return new Tensor[] {gt.div(o), reduce(gt.mul(t).div(o).neg(), os, ot)};
            }
        }, t, before, o);
        if (n != null && op == DIV) n.save(t, o);
        else if (n != null && op == MUL) n.save(o);
    }

    /** Writes {@code a op b} (broadcast) into the contiguous {@code out}, which may alias a. */
    static void into(int op, Tensor a, Tensor b, Tensor out) {
        int[] shape = out.shape;
        int n = out.numel();
        if (n == 0) return;
        if (out.dtype() == DType.FLOAT32 && a.dtype() == DType.FLOAT32 && b.dtype() == DType.FLOAT32) {
            float[] x = a.floats(), y = b.floats(), o = out.floats();
            boolean aDense = a.offset == 0 && out.offset == 0 && a.isContiguous() && Arrays.equals(a.shape, shape);
            if (aDense && b.offset == 0 && b.isContiguous() && Arrays.equals(b.shape, shape)) {
                dense(op, x, y, o, n);
                return;
            }
            if (aDense && b.numel() == 1 && op <= DIV) {
                denseScalar(op, x, y[b.offset], o, n);
                return;
            }
            if (a.isContiguous() && Arrays.equals(a.shape, shape)) {
                if (b.isContiguous() && Arrays.equals(b.shape, shape)) {
                    loop(op, x, a.offset, 1, y, b.offset, 1, o, out.offset, n);
                    return;
                }
                if (b.numel() == 1) {
                    loop(op, x, a.offset, 1, y, b.offset, 0, o, out.offset, n);
                    return;
                }
                int inner = b.numel();
                if (b.isContiguous() && isTrailing(b.shape, shape) && n % inner == 0) {
                    for (int r = 0; r < n; r += inner) loop(op, x, a.offset + r, 1, y, b.offset, 1, o, out.offset + r, inner);
                    return;
                }
            }
            Tensor ea = a.detach().expand(shape), eb = b.detach().expand(shape);
            int last = shape.length - 1;
            int inner = shape[last], sa = ea.stride[last], sb = eb.stride[last];
            int[] w = {out.offset};
            forEachRow2(ea, eb, (pa, pb) -> {
                loop(op, x, pa, sa, y, pb, sb, o, w[0], inner);
                w[0] += inner;
            });
            return;
        }
        Tensor ea = a.detach().expand(shape), eb = b.detach().expand(shape);
        Storage s = a.storage, t = b.storage, d = out.storage;
        int last = shape.length - 1;
        if (last < 0) {
            d.set(out.offset, scalar(op, s.get(ea.offset), t.get(eb.offset)));
            return;
        }
        int inner = shape[last], sa = ea.stride[last], sb = eb.stride[last];
        int[] w = {out.offset};
        forEachRow2(ea, eb, (pa, pb) -> {
            for (int j = 0; j < inner; j++) d.set(w[0]++, scalar(op, s.get(pa + j * sa), t.get(pb + j * sb)));
        });
    }

    private static boolean isTrailing(int[] small, int[] big) {
        int k = big.length - small.length;
        if (k < 0) return false;
        for (int i = 0; i < small.length; i++) if (small[i] != big[k + i]) return false;
        return true;
    }

    static double scalar(int op, double x, double y) {
        switch (op) {
            case ADD: return x + y;
            case SUB: return x - y;
            case MUL: return x * y;
            case DIV: return x / y;
            case POW: return Math.pow(x, y);
            case MAX: return Double.isNaN(x) || Double.isNaN(y) ? Double.NaN : Math.max(x, y);
            default: return Double.isNaN(x) || Double.isNaN(y) ? Double.NaN : Math.min(x, y);
        }
    }

    /** Same-shape float32 arrays from offset 0: one index for all three, so HotSpot vectorizes the loop. */
    private static void dense(int op, float[] x, float[] y, float[] o, int n) {
        switch (op) {
            case ADD: for (int i = 0; i < n; i++) o[i] = x[i] + y[i]; return;
            case SUB: for (int i = 0; i < n; i++) o[i] = x[i] - y[i]; return;
            case MUL: for (int i = 0; i < n; i++) o[i] = x[i] * y[i]; return;
            case DIV: for (int i = 0; i < n; i++) o[i] = x[i] / y[i]; return;
            default: for (int i = 0; i < n; i++) o[i] = (float) scalar(op, x[i], y[i]);
        }
    }

    private static void denseScalar(int op, float[] x, float c, float[] o, int n) {
        switch (op) {
            case ADD: for (int i = 0; i < n; i++) o[i] = x[i] + c; return;
            case SUB: for (int i = 0; i < n; i++) o[i] = x[i] - c; return;
            case MUL: for (int i = 0; i < n; i++) o[i] = x[i] * c; return;
            default: for (int i = 0; i < n; i++) o[i] = x[i] / c;
        }
    }

    private static void loop(int op, float[] x, int xo, int xs, float[] y, int yo, int ys, float[] o, int oo, int n) {
        if (xs == 1 && ys == 1) {
            switch (op) {
                case ADD: for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] + y[yo + i]; return;
                case SUB: for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] - y[yo + i]; return;
                case MUL: for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] * y[yo + i]; return;
                case DIV: for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] / y[yo + i]; return;
                default:
            }
        } else if (xs == 1 && ys == 0) {
            float c = y[yo];
            switch (op) {
                case ADD: for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] + c; return;
                case SUB: for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] - c; return;
                case MUL: for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] * c; return;
                case DIV: for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] / c; return;
                default:
            }
        }
        for (int i = 0; i < n; i++) o[oo + i] = (float) scalar(op, x[xo + i * xs], y[yo + i * ys]);
    }

    interface RowPair {
        void accept(int offsetA, int offsetB);
    }

    /** Walks two same-shape strided tensors row by row (all dims but the last). */
    static void forEachRow2(Tensor a, Tensor b, RowPair f) {
        int n = a.dim();
        if (n <= 1) {
            f.accept(a.offset, b.offset);
            return;
        }
        int[] idx = new int[n - 1];
        int pa = a.offset, pb = b.offset;
        while (true) {
            f.accept(pa, pb);
            int d = n - 2;
            while (d >= 0) {
                idx[d]++;
                pa += a.stride[d];
                pb += b.stride[d];
                if (idx[d] < a.shape[d]) break;
                pa -= a.stride[d] * a.shape[d];
                pb -= b.stride[d] * b.shape[d];
                idx[d] = 0;
                d--;
            }
            if (d < 0) return;
        }
    }
}
