package dev.nnlab.tensor;

import dev.nnlab.autograd.Node;

import java.util.Arrays;

/**
 * Kernels behind F; use F. 1-D and 2-D convolution (stride, padding, dilation, groups) as im2col plus one
 * BLAS gemm per sample and group, the samples split across the cores; a 1-D convolution is a 2-D one of height 1.
 */
public final class Conv {

    private Conv() { }

    /** The geometry of one convolution call, as 2-D (height 1 for conv1d). */
    private record Geometry(int n, int c, int h, int w, int o, int cg, int kh, int kw, int sh, int sw, int ph, int pw,
                            int dh, int dw, int groups, int oh, int ow) {
        int k() { return cg * kh * kw; }
        int l() { return oh * ow; }
    }

    public static Tensor conv1d(Tensor x, Tensor w, Tensor b, int stride, int padding, int dilation, int groups) {
        return convolution(x, w, b, new int[] {stride}, new int[] {padding}, new int[] {dilation}, groups, 1);
    }

    public static Tensor conv2d(Tensor x, Tensor w, Tensor b, int[] stride, int[] padding, int[] dilation, int groups) {
        return convolution(x, w, b, stride, padding, dilation, groups, 2);
    }

    private static Tensor convolution(Tensor x, Tensor w, Tensor b, int[] stride, int[] padding, int[] dilation,
                                      int groups, int nd) {
        Geometry geo = check(x, w, b, stride, padding, dilation, groups, nd);
        boolean batched = x.dim() == nd + 2;
        int[] outShape = batched ? new int[nd + 2] : new int[nd + 1];
        int p = 0;
        if (batched) outShape[p++] = geo.n;
        outShape[p++] = geo.o;
        if (nd == 2) outShape[p++] = geo.oh;
        outShape[p] = geo.ow;
        Tensor xc = x.contiguous(), wc = w.contiguous();
        Tensor out = Tensor.allocate(x.dtype(), outShape);
        forward(geo, xc, wc, b == null ? null : b.contiguous(), out);
        Node node = Node.attach("ConvolutionBackward0", g -> backward(geo, g[0].contiguous(), xc, wc, x, w, b),
                out, x, w, b);
        if (node != null) node.save(x, w);
        return out;
    }

    private static Geometry check(Tensor x, Tensor w, Tensor b, int[] stride, int[] padding, int[] dilation,
                                  int groups, int nd) {
        String name = "conv" + nd + "d";
        if (x.dim() != nd + 1 && x.dim() != nd + 2) {
            throw new IllegalArgumentException("Expected " + (nd + 1) + "D (unbatched) or " + (nd + 2) + "D (batched) input to "
                    + name + ", but got input of size: " + Shape.str(x.shape));
        }
        checkParam("stride", stride, nd);
        checkParam("padding", padding, nd);
        checkParam("dilation", dilation, nd);
        if (w.dim() != nd + 2) {
            throw new IllegalArgumentException("Expected " + (nd + 2) + "-dimensional weight for " + (nd + 2)
                    + "-dimensional input " + Shape.str(x.shape) + ", but got " + w.dim() + "-dimensional weight of size "
                    + Shape.str(w.shape) + " instead");
        }
        for (int s : stride) if (s <= 0) throw new IllegalArgumentException("non-positive stride is not supported");
        for (int s : padding) if (s < 0) throw new IllegalArgumentException("negative padding is not supported");
        for (int s : dilation) if (s <= 0) throw new IllegalArgumentException("dilation should be greater than zero");
        if (groups <= 0) throw new IllegalArgumentException("non-positive groups is not supported");
        if (!x.dtype().isFloatingPoint()) {
            throw new UnsupportedOperationException("\"slow_conv2d_cpu\" not implemented for '"
                    + (x.dtype() == DType.BOOL ? "Bool" : "Long") + "'");
        }
        if (x.dtype() != w.dtype()) {
            throw new IllegalArgumentException("expected scalar type " + scalarName(x.dtype()) + " but found "
                    + scalarName(w.dtype()));
        }
        int o = w.shape[0];
        if (o % groups != 0) {
            throw new IllegalArgumentException("Given groups=" + groups + ", expected weight to be divisible by " + groups
                    + " at dimension 0, but got weight of size [" + Shape.str(w.shape) + "] instead");
        }
        boolean batched = x.dim() == nd + 2;
        int[] xs = batched ? x.shape : prepend(x.shape);
        if (xs[1] != w.shape[1] * groups) {
            throw new IllegalArgumentException("Given groups=" + groups + ", weight of size " + Shape.str(w.shape)
                    + ", expected input" + Shape.str(xs) + " to have " + w.shape[1] * groups + " channels, but got "
                    + xs[1] + " channels instead");
        }
        if (b != null && (b.dim() != 1 || b.shape[0] != o)) {
            throw new IllegalArgumentException("Given weight of size " + Shape.str(w.shape) + ", expected bias to be "
                    + "1-dimensional with " + o + " elements, but got bias of size " + Shape.str(b.shape) + " instead");
        }
        if (b != null && b.dtype() != x.dtype()) {
            throw new IllegalArgumentException("expected scalar type " + scalarName(x.dtype()) + " but found "
                    + scalarName(b.dtype()));
        }
        int h = nd == 2 ? xs[2] : 1, wd = xs[nd + 1];
        int kh = nd == 2 ? w.shape[2] : 1, kw = w.shape[nd + 1];
        int sh = nd == 2 ? stride[0] : 1, ph = nd == 2 ? padding[0] : 0, dh = nd == 2 ? dilation[0] : 1;
        int sw = stride[nd - 1], pw = padding[nd - 1], dw = dilation[nd - 1];
        int ekh = dh * (kh - 1) + 1, ekw = dw * (kw - 1) + 1;
        if (h + 2 * ph < ekh || wd + 2 * pw < ekw) {
            String in = nd == 2 ? "(" + (h + 2 * ph) + " x " + (wd + 2 * pw) + ")" : "(" + (wd + 2 * pw) + ")";
            String k = nd == 2 ? "(" + ekh + " x " + ekw + ")" : "(" + ekw + ")";
            throw new IllegalArgumentException("Calculated padded input size per channel: " + in + ". Kernel size: " + k
                    + ". Kernel size can't be greater than actual input size");
        }
        int oh = (h + 2 * ph - ekh) / sh + 1, ow = (wd + 2 * pw - ekw) / sw + 1;
        return new Geometry(xs[0], xs[1], h, wd, o, w.shape[1], kh, kw, sh, sw, ph, pw, dh, dw, groups, oh, ow);
    }

    private static void checkParam(String what, int[] v, int nd) {
        if (v.length != nd) {
            throw new IllegalArgumentException("expected " + what + " to be a single integer value or a list of " + nd
                    + " values to match the convolution dimensions, but got " + what + "=" + Arrays.toString(v));
        }
    }

    private static String scalarName(DType t) {
        switch (t) {
            case FLOAT32: return "Float";
            case FLOAT64: return "Double";
            case INT64: return "Long";
            default: return "Bool";
        }
    }

    private static int[] prepend(int[] s) {
        int[] r = new int[s.length + 1];
        r[0] = 1;
        System.arraycopy(s, 0, r, 1, s.length);
        return r;
    }

    /** Per-thread patch-matrix buffers, reused across calls: they never escape a kernel, and Java zeroes every new array. */
    private static final ThreadLocal<Object[]> SCRATCH = ThreadLocal.withInitial(() -> new Object[2]);

    /** Buffers above this many elements (4 MB of floats) are not kept: a notebook session must not hoard memory. */
    private static final int SCRATCH_MAX = 1 << 20;

    /** A float[] or double[] of at least {@code size} elements, slot {@code slot} of this thread's scratch. */
    private static Object scratch(boolean f32, int slot, int size) {
        if (size > SCRATCH_MAX) return f32 ? new float[size] : new double[size];
        Object[] s = SCRATCH.get();
        Object a = s[slot];
        int have = a == null ? -1 : f32 ? (a instanceof float[] ? ((float[]) a).length : -1)
                : (a instanceof double[] ? ((double[]) a).length : -1);
        if (have < size) {
            a = f32 ? new float[size] : new double[size];
            s[slot] = a;
        }
        return a;
    }

    /** Whether the patch matrix is the image itself (1x1 kernel, stride 1, no padding): no im2col needed. */
    private static boolean pointwise(Geometry g) {
        return g.kh == 1 && g.kw == 1 && g.sh == 1 && g.sw == 1 && g.ph == 0 && g.pw == 0;
    }

    /** Multiply-adds of one pass over the batch, which decides whether the samples split across the cores. */
    private static long work(Geometry g) {
        return (long) g.n * g.o * g.l() * g.k();
    }

    /**
     * Per sample and group: the patch matrix (im2col, into a reused buffer), then one gemm writing the output in
     * place, its rows pre-filled with the bias. The samples split across the cores.
     */
    private static void forward(Geometry g, Tensor x, Tensor w, Tensor b, Tensor out) {
        boolean f32 = x.dtype() == DType.FLOAT32, direct = pointwise(g);
        int k = g.k(), l = g.l(), og = g.o / g.groups;
        Object xa = x.storage.array(), wa = w.storage.array(), oa = out.storage.array();
        Parallel.range(g.n, work(g), (from, to) -> {
            Object cols = direct ? null : scratch(f32, 0, k * l);
            for (int s = from; s < to; s++) {
                for (int gr = 0; gr < g.groups; gr++) {
                    int in = x.offset + (s * g.c + gr * g.cg) * g.h * g.w, at = (s * g.o + gr * og) * l;
                    if (!direct) im2col(g, xa, in, cols, 0, l);
                    double beta = 0;
                    if (b != null) {
                        beta = 1;
                        for (int o = 0; o < og; o++) {
                            double bv = b.storage.get(b.offset + gr * og + o);
                            if (f32) Arrays.fill((float[]) oa, at + o * l, at + (o + 1) * l, (float) bv);
                            else Arrays.fill((double[]) oa, at + o * l, at + (o + 1) * l, bv);
                        }
                    }
                    gemm(f32, "N", "N", og, l, k, wa, w.offset + gr * og * k, k, direct ? xa : cols, direct ? in : 0, l,
                            beta, oa, at, l);
                }
            }
        });
    }

    /**
     * Per sample and group, straight from the output gradient's rows: the weight gradient accumulates
     * {@code gOut · patches^T} (a partial sum per core, added at the end), the input gradient is
     * {@code col2im(W^T · gOut)}.
     */
    private static Tensor[] backward(Geometry g, Tensor gOut, Tensor x, Tensor w, Tensor xIn, Tensor wIn, Tensor bIn) {
        boolean f32 = x.dtype() == DType.FLOAT32, direct = pointwise(g);
        int k = g.k(), l = g.l(), og = g.o / g.groups;
        boolean needX = xIn.requiresGrad(), needW = wIn.requiresGrad(), needB = bIn != null && bIn.requiresGrad();
        Tensor gx = needX ? Tensor.allocate(x.dtype(), xIn.shape) : null;
        int parts = Parallel.count(g.n, work(g));
        Object[] gw = new Object[parts];
        double[][] gb = new double[parts][];
        Object xa = x.storage.array(), wa = w.storage.array(), ga = gOut.storage.array();
        Object gxa = needX ? gx.storage.array() : null;
        Parallel.parts(g.n, parts, (part, from, to) -> {
            Object cols = direct ? null : scratch(f32, 0, k * l);
            Object gcols = direct || !needX ? null : scratch(f32, 1, k * l);
            Object gwp = needW ? (f32 ? new float[g.o * k] : new double[g.o * k]) : null;
            double[] gbp = needB ? new double[g.o] : null;
            for (int s = from; s < to; s++) {
                for (int gr = 0; gr < g.groups; gr++) {
                    int in = (s * g.c + gr * g.cg) * g.h * g.w, at = gOut.offset + (s * g.o + gr * og) * l;
                    if (needW) {
                        if (!direct) im2col(g, xa, x.offset + in, cols, 0, l);
                        gemm(f32, "N", "T", og, k, l, ga, at, l, direct ? xa : cols, direct ? x.offset + in : 0, l, 1,
                                gwp, gr * og * k, k);
                    }
                    if (needX) {
                        if (direct) {
                            gemm(f32, "T", "N", k, l, og, wa, w.offset + gr * og * k, k, ga, at, l, 0, gxa, in, l);
                        } else {
                            gemm(f32, "T", "N", k, l, og, wa, w.offset + gr * og * k, k, ga, at, l, 0, gcols, 0, l);
                            col2im(g, gcols, 0, l, gxa, in);
                        }
                    }
                    if (needB) {
                        for (int o = 0; o < og; o++) gbp[gr * og + o] += rowSum(ga, at + o * l, l);
                    }
                }
            }
            gw[part] = gwp;
            gb[part] = gbp;
        });
        Tensor gwt = null, gbt = null;
        if (needW) {
            gwt = Tensor.allocate(x.dtype(), wIn.shape);
            Object dst = gwt.storage.array();
            for (Object p : gw) {
                if (f32) { float[] d = (float[]) dst, q = (float[]) p; for (int i = 0; i < d.length; i++) d[i] += q[i]; }
                else { double[] d = (double[]) dst, q = (double[]) p; for (int i = 0; i < d.length; i++) d[i] += q[i]; }
            }
        }
        if (needB) {
            gbt = Tensor.allocate(x.dtype(), g.o);
            for (int o = 0; o < g.o; o++) {
                double sum = 0;
                for (double[] p : gb) sum += p[o];
                gbt.storage.set(o, sum);
            }
        }
        return new Tensor[] {gx, gwt, gbt};
    }

    /** The sum of a float[] or double[] row, with four partial sums (one chain would wait on each add). */
    private static double rowSum(Object a, int from, int len) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = from, end = from + len;
        if (a instanceof float[]) {
            float[] f = (float[]) a;
            for (; i + 3 < end; i += 4) { s0 += f[i]; s1 += f[i + 1]; s2 += f[i + 2]; s3 += f[i + 3]; }
            for (; i < end; i++) s0 += f[i];
        } else {
            double[] d = (double[]) a;
            for (; i + 3 < end; i += 4) { s0 += d[i]; s1 += d[i + 1]; s2 += d[i + 2]; s3 += d[i + 3]; }
            for (; i < end; i++) s0 += d[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Row-major {@code C = A B + beta C}, with "T" meaning the stored matrix is transposed. */
    private static void gemm(boolean f32, String ta, String tb, int m, int n, int k, Object a, int ao, int lda,
                             Object b, int bo, int ldb, double beta, Object c, int co, int ldc) {
        if (m == 0 || n == 0) return;
        // Row-major C = A B is column-major C^T = B^T A^T: pass b first.
        if (f32) {
            Blas.sgemm(tb, ta, n, m, k, 1f, (float[]) b, bo, ldb, (float[]) a, ao, lda, (float) beta,
                    (float[]) c, co, ldc);
        } else {
            Blas.dgemm(tb, ta, n, m, k, 1.0, (double[]) b, bo, ldb, (double[]) a, ao, lda, beta,
                    (double[]) c, co, ldc);
        }
    }

    /**
     * Writes the (cg*kh*kw) x (oh*ow) patch matrix of one sample's group (from {@code base} in x) into columns
     * {@code [col, col + oh*ow)} of a matrix with row length {@code ld}.
     */
    private static void im2col(Geometry g, Object xa, int base, Object cols, int col, int ld) {
        if (xa instanceof float[]) {
            float[] x = (float[]) xa, out = (float[]) cols;
            for (int c = 0; c < g.cg; c++) {
                for (int ki = 0; ki < g.kh; ki++) {
                    for (int kj = 0; kj < g.kw; kj++) {
                        int row = ((c * g.kh + ki) * g.kw + kj) * ld + col;
                        int shift = kj * g.dw - g.pw, lo = validFrom(shift, g.sw, g.ow), hi = validTo(shift, g.sw, g.w, g.ow);
                        if (g.sh == 1 && g.sw == 1 && g.ow == g.w && lo < hi) {
                            samePlane(g, x, base + c * g.h * g.w, ki * g.dh - g.ph, shift, lo, hi, out, row);
                            continue;
                        }
                        for (int oy = 0; oy < g.oh; oy++) {
                            int iy = oy * g.sh - g.ph + ki * g.dh;
                            int dst = row + oy * g.ow;
                            // Rows are short (the image width): plain loops beat fill/arraycopy's per-call cost.
                            if (iy < 0 || iy >= g.h || lo >= hi) {
                                for (int ox = 0; ox < g.ow; ox++) out[dst + ox] = 0f;
                                continue;
                            }
                            int src = base + (c * g.h + iy) * g.w + shift;
                            for (int ox = 0; ox < lo; ox++) out[dst + ox] = 0f;
                            if (g.sw == 1) {
                                for (int ox = lo; ox < hi; ox++) out[dst + ox] = x[src + ox];
                            } else {
                                for (int ox = lo; ox < hi; ox++) out[dst + ox] = x[src + ox * g.sw];
                            }
                            for (int ox = hi; ox < g.ow; ox++) out[dst + ox] = 0f;
                        }
                    }
                }
            }
            return;
        }
        double[] x = (double[]) xa, out = (double[]) cols;
        for (int c = 0; c < g.cg; c++) {
            for (int ki = 0; ki < g.kh; ki++) {
                for (int kj = 0; kj < g.kw; kj++) {
                    int row = ((c * g.kh + ki) * g.kw + kj) * ld + col;
                    for (int oy = 0; oy < g.oh; oy++) {
                        int iy = oy * g.sh - g.ph + ki * g.dh;
                        for (int ox = 0; ox < g.ow; ox++) {
                            int ix = ox * g.sw - g.pw + kj * g.dw;
                            boolean in = iy >= 0 && iy < g.h && ix >= 0 && ix < g.w;
                            out[row + oy * g.ow + ox] = in ? x[base + (c * g.h + iy) * g.w + ix] : 0;
                        }
                    }
                }
            }
        }
    }

    /**
     * One patch-matrix row of a stride-1 convolution as wide as its image ("same" padding): the input plane shifted
     * by {@code dy} rows and {@code shift} columns is one contiguous copy; the columns that wrapped to the next row
     * ({@code ox} outside {@code [lo, hi)}) and the rows above or below the image are then zeroed.
     */
    private static void samePlane(Geometry g, float[] x, int plane, int dy, int shift, int lo, int hi, float[] out,
                                  int dst) {
        int ow = g.ow, oy0 = Math.max(0, -dy), oy1 = Math.min(g.oh, g.h - dy);
        for (int i = dst; i < dst + oy0 * ow; i++) out[i] = 0f;
        for (int i = dst + Math.max(oy0, oy1) * ow; i < dst + g.oh * ow; i++) out[i] = 0f;
        if (oy0 >= oy1) return;
        int from = oy0 * ow + lo, to = (oy1 - 1) * ow + hi;
        System.arraycopy(x, plane + (oy0 + dy) * g.w + shift + lo, out, dst + from, to - from);
        for (int oy = oy0; oy < oy1; oy++) {
            int r = dst + oy * ow;
            for (int ox = 0; ox < lo; ox++) out[r + ox] = 0f;
            for (int ox = hi; ox < ow; ox++) out[r + ox] = 0f;
        }
    }

    /** Adds columns {@code [col, col + oh*ow)} of a patch matrix back into the image (the adjoint of im2col). */
    private static void col2im(Geometry g, Object cols, int col, int ld, Object xa, int base) {
        boolean f32 = xa instanceof float[];
        float[] xf = f32 ? (float[]) xa : null, cf = f32 ? (float[]) cols : null;
        double[] xd = f32 ? null : (double[]) xa, cd = f32 ? null : (double[]) cols;
        for (int c = 0; c < g.cg; c++) {
            for (int ki = 0; ki < g.kh; ki++) {
                for (int kj = 0; kj < g.kw; kj++) {
                    int row = ((c * g.kh + ki) * g.kw + kj) * ld + col;
                    int shift = kj * g.dw - g.pw, lo = validFrom(shift, g.sw, g.ow), hi = validTo(shift, g.sw, g.w, g.ow);
                    if (f32 && g.sh == 1 && g.sw == 1 && g.ow == g.w && lo < hi) {
                        addSamePlane(g, cf, row, base + c * g.h * g.w, ki * g.dh - g.ph, shift, lo, hi, xf);
                        continue;
                    }
                    for (int oy = 0; oy < g.oh; oy++) {
                        int iy = oy * g.sh - g.ph + ki * g.dh;
                        if (iy < 0 || iy >= g.h) continue;
                        int dst = base + (c * g.h + iy) * g.w + shift, src = row + oy * g.ow;
                        if (f32) {
                            for (int ox = lo; ox < hi; ox++) xf[dst + ox * g.sw] += cf[src + ox];
                        } else {
                            for (int ox = lo; ox < hi; ox++) xd[dst + ox * g.sw] += cd[src + ox];
                        }
                    }
                }
            }
        }
    }

    /**
     * The adjoint of {@link #samePlane}: the patch row's entries for padding positions (the wrap columns) are
     * zeroed in the scratch matrix (they are discarded anyway), so the rest adds back as one contiguous run.
     */
    private static void addSamePlane(Geometry g, float[] cols, int src, int plane, int dy, int shift, int lo, int hi,
                                     float[] x) {
        int ow = g.ow, oy0 = Math.max(0, -dy), oy1 = Math.min(g.oh, g.h - dy);
        if (oy0 >= oy1) return;
        for (int oy = oy0; oy < oy1; oy++) {
            int r = src + oy * ow;
            for (int ox = 0; ox < lo; ox++) cols[r + ox] = 0f;
            for (int ox = hi; ox < ow; ox++) cols[r + ox] = 0f;
        }
        int from = oy0 * ow + lo, len = (oy1 - 1) * ow + hi - from;
        int a = src + from, b = plane + (oy0 + dy) * g.w + shift + lo;
        for (int i = 0; i < len; i++) x[b + i] += cols[a + i];
    }

    /** The first output column whose input column {@code ox * stride + shift} is not left of the image. */
    private static int validFrom(int shift, int stride, int ow) {
        return shift >= 0 ? 0 : Math.min(ow, (-shift + stride - 1) / stride);
    }

    /** One past the last output column whose input column {@code ox * stride + shift} is inside width w. */
    private static int validTo(int shift, int stride, int w, int ow) {
        int last = w - 1 - shift;
        return last < 0 ? 0 : Math.min(ow, last / stride + 1);
    }
}
