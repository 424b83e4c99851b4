package dev.nnlab.tensor;

import dev.nnlab.autograd.Node;

/** Kernels behind F; use F. Numerically stable softmax and log-softmax over any dim, and gumbel-softmax. */
public final class SoftmaxOps {
    private SoftmaxOps() { }

    public static Tensor softmax(Tensor x, int dim) { return apply(x, dim, false); }
    public static Tensor logSoftmax(Tensor x, int dim) { return apply(x, dim, true); }

    private static Tensor apply(Tensor x, int dim, boolean log) {
        if (!x.dtype().isFloatingPoint()) {
            throw new UnsupportedOperationException("\"" + (log ? "log_" : "") + "softmax_lastdim_kernel_impl\" not "
                    + "implemented for '" + (x.dtype() == DType.BOOL ? "Bool" : "Long") + "'");
        }
        Tensor in = x;
        int d = Shape.wrapDim(dim, x.dim());
        Tensor c = in.contiguous();
        Tensor out = Tensor.allocate(in.dtype(), in.shape);
        int[] oi = outerInner(in.shape, d);
        int outer = oi[0], r = oi[1], inner = oi[2];
        if (c.dtype() == DType.FLOAT32) {
            floatForward(c.floats(), c.offset, out.floats(), outer, r, inner, log);
        } else {
            for (int p = 0; p < outer; p++) {
                for (int q = 0; q < inner; q++) {
                    int base = p * r * inner + q;
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < r; j++) max = Math.max(max, c.storage.get(c.offset + base + j * inner));
                    double sum = 0;
                    for (int j = 0; j < r; j++) sum += Math.exp(c.storage.get(c.offset + base + j * inner) - max);
                    double logSum = Math.log(sum);
                    for (int j = 0; j < r; j++) {
                        double v = c.storage.get(c.offset + base + j * inner) - max - logSum;
                        out.storage.set(base + j * inner, log ? v : Math.exp(v));
                    }
                }
            }
        }
        Node node = Node.attach(log ? "LogSoftmaxBackward0" : "SoftmaxBackward0",
                g -> new Tensor[] {backward(g[0], out, outer, r, inner, log)}, out, in);
        if (node != null) node.save(out);
        return out;
    }

    /** {outer, size, inner} around dim d of a contiguous shape. */
    static int[] outerInner(int[] shape, int d) {
        int outer = 1, inner = 1;
        for (int i = 0; i < d; i++) outer *= shape[i];
        for (int i = d + 1; i < shape.length; i++) inner *= shape[i];
        return new int[] {outer, shape.length == 0 ? 1 : shape[d], inner};
    }

    private static void floatForward(float[] a, int ao, float[] o, int outer, int r, int inner, boolean log) {
        for (int p = 0; p < outer; p++) {
            for (int q = 0; q < inner; q++) {
                int base = p * r * inner + q;
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < r; j++) max = Math.max(max, a[ao + base + j * inner]);
                double sum = 0;
                if (log) {
                    for (int j = 0; j < r; j++) sum += Unary.exp(a[ao + base + j * inner] - max);
                    float logSum = (float) Math.log(sum);
                    for (int j = 0; j < r; j++) o[base + j * inner] = (a[ao + base + j * inner] - max) - logSum;
                } else {
                    for (int j = 0; j < r; j++) {
                        float e = Unary.exp(a[ao + base + j * inner] - max);
                        o[base + j * inner] = e;
                        sum += e;
                    }
                    float inv = (float) (1 / sum);
                    for (int j = 0; j < r; j++) o[base + j * inner] *= inv;
                }
            }
        }
    }

    /** softmax: y * (g - sum(g * y)); log_softmax: g - exp(y) * sum(g). */
    private static Tensor backward(Tensor g, Tensor y, int outer, int r, int inner, boolean log) {
        Tensor gc = g.contiguous();
        Tensor gi = Tensor.allocate(y.dtype(), y.shape);
        if (gc.dtype() == DType.FLOAT32 && y.dtype() == DType.FLOAT32) {
            floatBackward(gc.floats(), gc.offset, y.floats(), gi.floats(), outer, r, inner, log);
            return gi;
        }
        Storage gs = gc.storage, ys = y.storage, o = gi.storage;
        for (int p = 0; p < outer; p++) {
            for (int q = 0; q < inner; q++) {
                int base = p * r * inner + q;
                double s = 0;
                for (int j = 0; j < r; j++) {
                    int k = base + j * inner;
                    s += log ? gs.get(gc.offset + k) : gs.get(gc.offset + k) * ys.get(k);
                }
                for (int j = 0; j < r; j++) {
                    int k = base + j * inner;
                    double gv = gs.get(gc.offset + k), yv = ys.get(k);
                    o.set(k, log ? gv - Math.exp(yv) * s : yv * (gv - s));
                }
            }
        }
        return gi;
    }

    private static void floatBackward(float[] g, int go, float[] y, float[] o, int outer, int r, int inner, boolean log) {
        for (int p = 0; p < outer; p++) {
            for (int q = 0; q < inner; q++) {
                int base = p * r * inner + q;
                double s = 0;
                if (log) {
                    for (int j = 0; j < r; j++) s += g[go + base + j * inner];
                    float fs = (float) s;
                    for (int j = 0; j < r; j++) {
                        int k = base + j * inner;
                        o[k] = g[go + k] - Unary.exp(y[k]) * fs;
                    }
                } else {
                    for (int j = 0; j < r; j++) s += g[go + base + j * inner] * y[base + j * inner];
                    float fs = (float) s;
                    for (int j = 0; j < r; j++) {
                        int k = base + j * inner;
                        o[k] = y[k] * (g[go + k] - fs);
                    }
                }
            }
        }
    }

    /**
     * Softmax of {@code (logits + Gumbel noise) / tau}; with {@code hard}, a one-hot forward whose gradient is
     * the soft sample's (straight-through).
     */
    public static Tensor gumbelSoftmax(Tensor logits, double tau, boolean hard, int dim, Generator gen) {
        Tensor noise = Tensor.allocate(logits.dtype(), logits.shape);
        for (int i = 0, n = noise.numel(); i < n; i++) {
            // -log(E) with E ~ Exp(1); E = 0 (u = 0) would make an infinite logit.
            double e = Math.max(-Math.log1p(-gen.nextDouble()), Double.MIN_NORMAL);
            noise.storage.set(i, -Math.log(e));
        }
        Tensor soft = softmax(logits.add(noise).div(tau), dim);
        if (!hard) return soft;
        return oneHotArgmax(soft, Shape.wrapDim(dim, soft.dim())).sub(soft.detach()).add(soft);
    }

    /** A tensor of x's shape with 1 at the first maximum along dim d and 0 elsewhere. */
    static Tensor oneHotArgmax(Tensor x, int d) {
        Tensor c = x.contiguous();
        Tensor out = Tensor.allocate(x.dtype(), x.shape);
        int[] oi = outerInner(x.shape, d);
        int r = oi[1], inner = oi[2];
        for (int p = 0; p < oi[0]; p++) {
            for (int q = 0; q < inner; q++) {
                int base = p * r * inner + q, best = 0;
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < r; j++) {
                    double v = c.storage.get(c.offset + base + j * inner);
                    if (v > max || Double.isNaN(v)) {
                        max = v;
                        best = j;
                        if (Double.isNaN(v)) break;
                    }
                }
                out.storage.set(base + best * inner, 1);
            }
        }
        return out;
    }
}
