package dev.nnlab.tensor;

import dev.nnlab.autograd.Node;

import java.util.stream.IntStream;

/** Kernels behind F; use F. 2-D max, average and adaptive average pooling over (N, C, H, W) or (C, H, W). */
public final class Pool {
    /** Window reads above which the float32 max pool splits its planes across the cores. */
    private static final long PARALLEL_WORK = 1 << 17;

    private Pool() { }

    /** Max pooling; {@code stride} null or empty means the kernel size. */
    public static Tensor maxPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, int[] dilation) {
        int[] k = pair("kernel_size", kernel), s = stride == null || stride.length == 0 ? k : pair("stride", stride);
        int[] p = pair("padding", padding), d = pair("dilation", dilation);
        checkInput(x, "max_pool2d");
        for (int i = 0; i < 2; i++) {
            if (p[i] > (d[i] * (k[i] - 1) + 1) / 2) {
                throw new IllegalArgumentException("pad should be at most half of effective kernel size, but got pad="
                        + p[i] + ", kernel_size=" + k[i] + " and dilation=" + d[i]);
            }
        }
        int h = x.shape[x.dim() - 2], w = x.shape[x.dim() - 1];
        int oh = outSize(h, k[0], s[0], p[0], d[0]), ow = outSize(w, k[1], s[1], p[1], d[1]);
        checkOutput(x, oh, ow);
        Tensor c = x.contiguous();
        int planes = x.numel() / Math.max(1, h * w);
        Tensor out = Tensor.allocate(x.dtype(), outShape(x, oh, ow));
        int[] argmax = new int[planes * oh * ow];
        if (c.dtype() == DType.FLOAT32) {
            float[] xf = c.floats(), of = out.floats();
            int xo = c.offset;
            long work = (long) planes * oh * ow * k[0] * k[1];
            int parts = work < PARALLEL_WORK ? 1 : Math.min(planes, Runtime.getRuntime().availableProcessors());
            if (parts == 1) {
                maxFloat(xf, xo, of, argmax, 0, planes, h, w, oh, ow, k, s, p, d);
            } else {
                IntStream.range(0, parts).parallel().forEach(part -> maxFloat(xf, xo, of, argmax,
                        planes * part / parts, planes * (part + 1) / parts, h, w, oh, ow, k, s, p, d));
            }
        } else {
            Tensor o64 = out;
            double[] xd = (double[]) c.storage.array(), od = (double[]) o64.storage.array();
            for (int pl = 0, o = 0; pl < planes; pl++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++, o++) {
                        int arg = -1;
                        for (int ki = 0; ki < k[0]; ki++) {
                            int iy = oy * s[0] - p[0] + ki * d[0];
                            for (int kj = 0; kj < k[1] && iy >= 0 && iy < h; kj++) {
                                int ix = ox * s[1] - p[1] + kj * d[1];
                                int at = pl * h * w + iy * w + ix;
                                if (ix >= 0 && ix < w && (arg < 0 || xd[c.offset + at] > xd[c.offset + arg]
                                        || Double.isNaN(xd[c.offset + at]) && !Double.isNaN(xd[c.offset + arg]))) {
                                    arg = at;
                                }
                            }
                        }
                        od[o] = xd[c.offset + arg];
                        argmax[o] = arg;
                    }
                }
            }
        }
        Node.attach("MaxPool2DWithIndicesBackward0", g -> {
            Tensor gc = g[0].contiguous();
            Tensor gx = Tensor.allocate(x.dtype(), x.shape);
            int m = argmax.length, go = gc.offset;
            if (gc.dtype() == DType.FLOAT32 && gx.dtype() == DType.FLOAT32) {
                float[] ga = gc.floats(), o = gx.floats();
                for (int i = 0; i < m; i++) o[argmax[i]] += ga[go + i];
            } else {
                for (int i = 0; i < m; i++) gx.storage.set(argmax[i], gx.storage.get(argmax[i]) + gc.storage.get(go + i));
            }
            return new Tensor[] {gx};
        }, out, x);
        return out;
    }

    /** The float32 max-pool loop: window maxima (NaN wins) and their flat input positions. */
    private static void maxFloat(float[] x, int xo, float[] out, int[] argmax, int from, int to, int h, int w, int oh,
                                 int ow, int[] k, int[] s, int[] p, int[] d) {
        int kh = k[0], kw = k[1], sh = s[0], sw = s[1], ph = p[0], pw = p[1], dh = d[0], dw = d[1];
        if (kh == 2 && kw == 2 && ph == 0 && pw == 0 && dh == 1 && dw == 1) {
            max2x2(x, xo, out, argmax, from, to, h, w, oh, ow, sh, sw);
            return;
        }
        int o = from * oh * ow;
        for (int pl = from; pl < to; pl++) {
            int plane = pl * h * w;
            for (int oy = 0; oy < oh; oy++) {
                int y0 = oy * sh - ph;
                for (int ox = 0; ox < ow; ox++, o++) {
                    int x0 = ox * sw - pw;
                    int arg = -1;
                    float best = Float.NEGATIVE_INFINITY;
                    for (int ki = 0; ki < kh; ki++) {
                        int iy = y0 + ki * dh;
                        if (iy < 0 || iy >= h) continue;
                        int row = plane + iy * w;
                        for (int kj = 0; kj < kw; kj++) {
                            int ix = x0 + kj * dw;
                            if (ix < 0 || ix >= w) continue;
                            float v = x[xo + row + ix];
                            if (v > best || arg < 0 || (v != v && best == best)) {
                                best = v;
                                arg = row + ix;
                            }
                        }
                    }
                    out[o] = best;
                    argmax[o] = arg;
                }
            }
        }
    }

    /**
     * The 2x2 unpadded window (the common {@code MaxPool2d(2)}): every window lies inside the image, and the
     * comparisons are written as selects, which the JIT compiles without branches (random data mispredicts them).
     */
    private static void max2x2(float[] x, int xo, float[] out, int[] argmax, int from, int to, int h, int w, int oh,
                               int ow, int sh, int sw) {
        int o = from * oh * ow;
        for (int pl = from; pl < to; pl++) {
            int plane = pl * h * w;
            for (int oy = 0; oy < oh; oy++) {
                int top = plane + oy * sh * w;
                for (int ox = 0; ox < ow; ox++, o++) {
                    int i = top + ox * sw;
                    int j = pick(x[xo + i], x[xo + i + 1]) ? i + 1 : i;
                    int l = pick(x[xo + i + w], x[xo + i + w + 1]) ? i + w + 1 : i + w;
                    int m = pick(x[xo + j], x[xo + l]) ? l : j;
                    out[o] = x[xo + m];
                    argmax[o] = m;
                }
            }
        }
    }

    /** Whether {@code b} replaces the running maximum {@code a}: it is larger, or the first NaN. */
    private static boolean pick(float a, float b) {
        return b > a | (b != b & a == a);
    }

    /** Average pooling with zero padding counted in the divisor (count_include_pad=True, ceil_mode=False). */
    public static Tensor avgPool2d(Tensor x, int[] kernel, int[] stride, int[] padding) {
        int[] k = pair("kernel_size", kernel), s = stride == null || stride.length == 0 ? k : pair("stride", stride);
        int[] p = pair("padding", padding);
        checkInput(x, "avg_pool2d");
        for (int i = 0; i < 2; i++) {
            if (p[i] > k[i] / 2) {
                throw new IllegalArgumentException("pad should be at most half of effective kernel size, but got pad="
                        + p[i] + ", kernel_size=" + k[i] + " and dilation=1");
            }
        }
        int h = x.shape[x.dim() - 2], w = x.shape[x.dim() - 1];
        int oh = outSize(h, k[0], s[0], p[0], 1), ow = outSize(w, k[1], s[1], p[1], 1);
        checkOutput(x, oh, ow);
        int[] y0 = new int[oh], y1 = new int[oh], x0 = new int[ow], x1 = new int[ow];
        for (int i = 0; i < oh; i++) { y0[i] = i * s[0] - p[0]; y1[i] = y0[i] + k[0]; }
        for (int j = 0; j < ow; j++) { x0[j] = j * s[1] - p[1]; x1[j] = x0[j] + k[1]; }
        return windows(x, "AvgPool2DBackward0", h, w, oh, ow, y0, y1, x0, x1, k[0] * k[1]);
    }

    /** Average pooling to a fixed output size, windows {@code [floor(i*H/oh), ceil((i+1)*H/oh))}. */
    public static Tensor adaptiveAvgPool2d(Tensor x, int[] outputSize) {
        if (outputSize.length != 2) throw new IllegalArgumentException("adaptive_avg_pool2d: output_size must be 2");
        checkInput(x, "adaptive_avg_pool2d");
        int h = x.shape[x.dim() - 2], w = x.shape[x.dim() - 1], oh = outputSize[0], ow = outputSize[1];
        int[] y0 = new int[oh], y1 = new int[oh], x0 = new int[ow], x1 = new int[ow];
        for (int i = 0; i < oh; i++) { y0[i] = Math.floorDiv(i * h, oh); y1[i] = -Math.floorDiv(-(i + 1) * h, oh); }
        for (int j = 0; j < ow; j++) { x0[j] = Math.floorDiv(j * w, ow); x1[j] = -Math.floorDiv(-(j + 1) * w, ow); }
        return windows(x, "AdaptiveAvgPool2DBackward0", h, w, oh, ow, y0, y1, x0, x1, 0);
    }

    /** Means over rectangular windows clipped to the image; divisor 0 means the clipped window's size. */
    private static Tensor windows(Tensor x, String name, int h, int w, int oh, int ow, int[] y0, int[] y1, int[] x0,
                                  int[] x1, int divisor) {
        Tensor c = x.contiguous();
        int planes = x.numel() / Math.max(1, h * w);
        Tensor out = Tensor.allocate(x.dtype(), outShape(x, oh, ow));
        for (int pl = 0; pl < planes; pl++) {
            int in = c.offset + pl * h * w;
            for (int oy = 0; oy < oh; oy++) {
                int ya = Math.max(0, y0[oy]), yb = Math.min(h, y1[oy]);
                for (int ox = 0; ox < ow; ox++) {
                    int xa = Math.max(0, x0[ox]), xb = Math.min(w, x1[ox]);
                    double sum = 0;
                    for (int iy = ya; iy < yb; iy++) {
                        for (int ix = xa; ix < xb; ix++) sum += c.storage.get(in + iy * w + ix);
                    }
                    int n = divisor > 0 ? divisor : (yb - ya) * (xb - xa);
                    out.storage.set((pl * oh + oy) * ow + ox, sum / n);
                }
            }
        }
        Node.attach(name, g -> {
            Tensor gc = g[0].contiguous();
            Tensor gx = Tensor.allocate(x.dtype(), x.shape);
            for (int pl = 0; pl < planes; pl++) {
                for (int oy = 0; oy < oh; oy++) {
                    int ya = Math.max(0, y0[oy]), yb = Math.min(h, y1[oy]);
                    for (int ox = 0; ox < ow; ox++) {
                        int xa = Math.max(0, x0[ox]), xb = Math.min(w, x1[ox]);
                        int n = divisor > 0 ? divisor : (yb - ya) * (xb - xa);
                        double v = gc.storage.get(gc.offset + (pl * oh + oy) * ow + ox) / n;
                        for (int iy = ya; iy < yb; iy++) {
                            for (int ix = xa; ix < xb; ix++) {
                                int at = pl * h * w + iy * w + ix;
                                gx.storage.set(at, gx.storage.get(at) + v);
                            }
                        }
                    }
                }
            }
            return new Tensor[] {gx};
        }, out, x);
        return out;
    }

    private static int[] pair(String what, int[] v) {
        if (v == null || v.length == 0) return new int[] {what.equals("dilation") ? 1 : 0, what.equals("dilation") ? 1 : 0};
        if (v.length == 1) return new int[] {v[0], v[0]};
        if (v.length != 2) {
            throw new IllegalArgumentException("max_pool2d: " + what + " must either be a single int, or a tuple of two ints");
        }
        return v.clone();
    }

    private static void checkInput(Tensor x, String name) {
        if (x.dim() != 3 && x.dim() != 4) {
            throw new IllegalArgumentException(name + ": Expected 3D or 4D tensor, but got " + Shape.str(x.shape));
        }
        if (!x.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("\"" + name + "\" not implemented for 'Long'");
        }
    }

    private static int outSize(int in, int k, int s, int p, int d) {
        if (k <= 0) throw new IllegalArgumentException("kernel size should be greater than zero, but got kH: " + k);
        if (s <= 0) throw new IllegalArgumentException("stride should be greater than zero, but got dH: " + s);
        if (d <= 0) throw new IllegalArgumentException("dilation should be greater than zero, but got dilationH: " + d);
        return Math.floorDiv(in + 2 * p - d * (k - 1) - 1, s) + 1;
    }

    private static void checkOutput(Tensor x, int oh, int ow) {
        if (oh < 1 || ow < 1) {
            int c = x.shape[x.dim() - 3], h = x.shape[x.dim() - 2], w = x.shape[x.dim() - 1];
            throw new IllegalArgumentException("Given input size: (" + c + "x" + h + "x" + w + "). Calculated output size: ("
                    + c + "x" + Math.max(oh, 0) + "x" + Math.max(ow, 0) + "). Output size is too small");
        }
    }

    private static int[] outShape(Tensor x, int oh, int ow) {
        int[] s = x.shape.clone();
        s[s.length - 2] = oh;
        s[s.length - 1] = ow;
        return s;
    }
}
