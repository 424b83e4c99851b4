package dev.nnlab.tensor;

import dev.nnlab.autograd.Node;

import java.util.Arrays;

/** Kernels behind F; use F. Batch normalization (with running statistics) and layer normalization. */
public final class Norm {
    private Norm() { }

    /**
     * Normalizes each channel (dim 1) of x; in training with batch statistics, updating the running ones in
     * place with {@code momentum}, otherwise with the running ones.
     */
    public static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                   boolean training, double momentum, double eps) {
        if (x.dim() < 2) {
            throw new IllegalArgumentException("batch_norm: expected 2D or more input (got " + x.dim() + "D input)");
        }
        requireFloat(x, "batch_norm");
        int n = x.shape[0], ch = x.shape[1], inner = x.numel() / Math.max(1, n * ch);
        int m = n * inner;
        checkChannels("running_mean", runningMean, ch);
        checkChannels("running_var", runningVar, ch);
        checkChannels("weight", weight, ch);
        checkChannels("bias", bias, ch);
        if (training && m <= 1) {
            throw new IllegalArgumentException("Expected more than 1 value per channel when training, got input size "
                    + "torch.Size(" + Shape.str(x.shape) + ")");
        }
        if (!training && (runningMean == null || runningVar == null)) {
            throw new IllegalArgumentException("running_mean and running_var must be defined in evaluation mode");
        }
        Tensor c = x.contiguous();
        double[] mean = new double[ch], invstd = new double[ch];
        for (int k = 0; k < ch; k++) {
            double mu, var;
            if (training) {
                double s = 0;
                for (int b = 0; b < n; b++) s += rowSum(c, c.offset + (b * ch + k) * inner, inner, 0, false);
                mu = s / m;
                double ss = 0;
                for (int b = 0; b < n; b++) ss += rowSum(c, c.offset + (b * ch + k) * inner, inner, mu, true);
                var = ss / m;
                if (runningMean != null) blend(runningMean, k, mu, momentum);
                if (runningVar != null) blend(runningVar, k, var * m / (m - 1), momentum);
            } else {
                mu = runningMean.get(k);
                var = runningVar.get(k);
            }
            mean[k] = mu;
            invstd[k] = 1 / Math.sqrt(var + eps);
        }
        if (training) {
            if (runningMean != null) runningMean.bumpVersion();
            if (runningVar != null) runningVar.bumpVersion();
        }
        Tensor out = Tensor.allocate(x.dtype(), x.shape);
        for (int b = 0; b < n; b++) {
            for (int k = 0; k < ch; k++) {
                double sc = invstd[k] * (weight == null ? 1 : weight.get(k)), sh = bias == null ? 0 : bias.get(k);
                int base = (b * ch + k) * inner;
                rowAffine(c, c.offset + base, out, base, inner, mean[k], sc, sh);
            }
        }
        Node node = Node.attach("NativeBatchNormBackward0", g -> batchNormBackward(g[0].contiguous(), c, x, weight, bias,
                mean, invstd, n, ch, inner, training), out, x, weight, bias);
        if (node != null) node.save(weight == null ? new Tensor[] {x} : new Tensor[] {x, weight});
        return out;
    }

    private static void requireFloat(Tensor x, String kernel) {
        if (!x.dtype().isFloatingPoint()) {
            throw new UnsupportedOperationException("\"" + kernel + "\" not implemented for '"
                    + (x.dtype() == DType.BOOL ? "Bool" : "Long") + "'");
        }
    }

    private static void checkChannels(String what, Tensor t, int ch) {
        if (t != null && t.numel() != ch) {
            throw new IllegalArgumentException(what + " should contain " + ch + " elements not " + t.numel());
        }
    }

    private static void blend(Tensor running, int k, double value, double momentum) {
        int at = running.dim() == 0 ? running.offset : running.storageIndex(k);
        running.storage.set(at, (1 - momentum) * running.storage.get(at) + momentum * value);
    }

    private static Tensor[] batchNormBackward(Tensor g, Tensor x, Tensor xIn, Tensor weight, Tensor bias, double[] mean,
                                              double[] invstd, int n, int ch, int inner, boolean training) {
        Tensor gx = xIn.requiresGrad() ? Tensor.allocate(x.dtype(), x.shape) : null;
        Tensor gw = weight != null && weight.requiresGrad() ? Tensor.allocate(weight.dtype(), weight.shape) : null;
        Tensor gb = bias != null && bias.requiresGrad() ? Tensor.allocate(bias.dtype(), bias.shape) : null;
        int m = n * inner;
        for (int k = 0; k < ch; k++) {
            double sumG = 0, sumGX = 0;
            for (int b = 0; b < n; b++) {
                int base = (b * ch + k) * inner;
                double[] sums = rowSums(g, g.offset + base, x, x.offset + base, inner, mean[k]);
                sumG += sums[0];
                sumGX += sums[1] * invstd[k];
            }
            if (gw != null) gw.storage.set(k, sumGX);
            if (gb != null) gb.storage.set(k, sumG);
            if (gx == null) continue;
            double w = weight == null ? 1 : weight.get(k), sc = w * invstd[k];
            double a = training ? sumG / m : 0, slope = training ? invstd[k] * sumGX / m : 0;
            for (int b = 0; b < n; b++) {
                int base = (b * ch + k) * inner;
                rowGrad(g, g.offset + base, x, x.offset + base, gx, base, inner, mean[k], a, slope, sc);
            }
        }
        return new Tensor[] {gx, gw, gb};
    }

    /** The sum of t[from, from + len), or with {@code squares} the sum of its squared deviations from mu. */
    private static double rowSum(Tensor t, int from, int len, double mu, boolean squares) {
        double s = 0;
        if (t.dtype() == DType.FLOAT32) {
            // Four partial sums: one chain of dependent double adds would wait on each add's latency.
            float[] a = t.floats();
            double s1 = 0, s2 = 0, s3 = 0;
            int i = from, end = from + len;
            if (!squares) {
                for (; i + 3 < end; i += 4) { s += a[i]; s1 += a[i + 1]; s2 += a[i + 2]; s3 += a[i + 3]; }
                for (; i < end; i++) s += a[i];
            } else {
                for (; i + 3 < end; i += 4) {
                    double d0 = a[i] - mu, d1 = a[i + 1] - mu, d2 = a[i + 2] - mu, d3 = a[i + 3] - mu;
                    s += d0 * d0;
                    s1 += d1 * d1;
                    s2 += d2 * d2;
                    s3 += d3 * d3;
                }
                for (; i < end; i++) { double d = a[i] - mu; s += d * d; }
            }
            return (s + s1) + (s2 + s3);
        } else {
            double[] a = (double[]) t.storage.array();
            if (!squares) for (int i = from; i < from + len; i++) s += a[i];
            else for (int i = from; i < from + len; i++) { double d = a[i] - mu; s += d * d; }
        }
        return s;
    }

    /** {sum of g, sum of g * (x - mu)} over a row, in one pass over both. */
    private static double[] rowSums(Tensor g, int gFrom, Tensor x, int xFrom, int len, double mu) {
        double s = 0, d = 0;
        if (g.dtype() == DType.FLOAT32 && x.dtype() == DType.FLOAT32) {
            // Two partial sums of each: one chain of dependent double adds would wait on each add's latency.
            float[] ga = g.floats(), xa = x.floats();
            double s1 = 0, d1 = 0;
            int i = 0;
            for (; i + 1 < len; i += 2) {
                float g0 = ga[gFrom + i], g1 = ga[gFrom + i + 1];
                s += g0;
                s1 += g1;
                d += g0 * (xa[xFrom + i] - mu);
                d1 += g1 * (xa[xFrom + i + 1] - mu);
            }
            for (; i < len; i++) { s += ga[gFrom + i]; d += ga[gFrom + i] * (xa[xFrom + i] - mu); }
            return new double[] {s + s1, d + d1};
        }
        for (int i = 0; i < len; i++) {
            double gv = g.storage.get(gFrom + i);
            s += gv;
            d += gv * (x.storage.get(xFrom + i) - mu);
        }
        return new double[] {s, d};
    }

    /** out = (x - mu) * scale + shift over a row. */
    private static void rowAffine(Tensor x, int xFrom, Tensor out, int oFrom, int len, double mu, double scale, double shift) {
        if (x.dtype() == DType.FLOAT32) {
            float[] xa = x.floats(), o = out.floats();
            float fm = (float) mu, fs = (float) scale, fh = (float) shift;
            for (int i = 0; i < len; i++) o[oFrom + i] = (xa[xFrom + i] - fm) * fs + fh;
        } else {
            double[] xa = (double[]) x.storage.array(), o = (double[]) out.storage.array();
            for (int i = 0; i < len; i++) o[oFrom + i] = (xa[xFrom + i] - mu) * scale + shift;
        }
    }

    /** out = scale * (g - a - (x - mu) * slope) over a row. */
    private static void rowGrad(Tensor g, int gFrom, Tensor x, int xFrom, Tensor out, int oFrom, int len, double mu,
                                double a, double slope, double scale) {
        if (g.dtype() == DType.FLOAT32 && x.dtype() == DType.FLOAT32) {
            float[] ga = g.floats(), xa = x.floats(), o = out.floats();
            float fm = (float) mu, fa = (float) a, fsl = (float) slope, fsc = (float) scale;
            for (int i = 0; i < len; i++) o[oFrom + i] = fsc * (ga[gFrom + i] - fa - (xa[xFrom + i] - fm) * fsl);
        } else {
            for (int i = 0; i < len; i++) {
                double v = scale * (g.storage.get(gFrom + i) - a - (x.storage.get(xFrom + i) - mu) * slope);
                out.storage.set(oFrom + i, v);
            }
        }
    }

    /** Normalizes over the trailing {@code normalizedShape} dims, then scales and shifts elementwise. */
    public static Tensor layerNorm(Tensor x, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        requireFloat(x, "LayerNormKernelImpl");
        int k = normalizedShape.length;
        boolean ok = k >= 1 && x.dim() >= k;
        for (int i = 0; ok && i < k; i++) ok = x.shape[x.dim() - k + i] == normalizedShape[i];
        if (!ok) {
            throw new IllegalArgumentException("Given normalized_shape=" + Shape.str(normalizedShape)
                    + ", expected input with shape [*, " + Arrays.toString(normalizedShape).replace("[", "")
                    + ", but got input of size" + Shape.str(x.shape));
        }
        for (Tensor p : new Tensor[] {weight, bias}) {
            if (p != null && !Arrays.equals(p.shape, normalizedShape)) {
                throw new IllegalArgumentException("Expected " + (p == weight ? "weight" : "bias") + " to be of same shape "
                        + "as normalized_shape, but got " + (p == weight ? "weight" : "bias") + " of shape "
                        + Shape.str(p.shape) + " and normalized_shape = " + Shape.str(normalizedShape));
            }
        }
        int m = Shape.numel(normalizedShape), rows = m == 0 ? 0 : x.numel() / m;
        Tensor c = x.contiguous();
        double[] w = weight == null ? null : weight.toDoubleArray(), b = bias == null ? null : bias.toDoubleArray();
        double[] mean = new double[rows], invstd = new double[rows], row = new double[m];
        Tensor out = Tensor.allocate(x.dtype(), x.shape);
        for (int r = 0; r < rows; r++) {
            readRow(c, c.offset + r * m, row);
            double s = 0;
            for (int i = 0; i < m; i++) s += row[i];
            double mu = s / m, ss = 0;
            for (int i = 0; i < m; i++) { double d = row[i] - mu; ss += d * d; }
            double is = 1 / Math.sqrt(ss / m + eps);
            mean[r] = mu;
            invstd[r] = is;
            for (int i = 0; i < m; i++) {
                double v = (row[i] - mu) * is;
                if (w != null) v *= w[i];
                if (b != null) v += b[i];
                row[i] = v;
            }
            writeRow(row, out, r * m);
        }
        Node node = Node.attach("NativeLayerNormBackward0", g -> layerNormBackward(g[0].contiguous(), c, x, w, weight,
                bias, mean, invstd, rows, m), out, x, weight, bias);
        if (node != null) node.save(weight == null ? new Tensor[] {x} : new Tensor[] {x, weight});
        return out;
    }

    private static Tensor[] layerNormBackward(Tensor g, Tensor x, Tensor xIn, double[] w, Tensor weight, Tensor bias,
                                              double[] mean, double[] invstd, int rows, int m) {
        boolean needW = weight != null && weight.requiresGrad(), needB = bias != null && bias.requiresGrad();
        Tensor gx = xIn.requiresGrad() ? Tensor.allocate(x.dtype(), x.shape) : null;
        double[] gw = new double[m], gb = new double[m], gr = new double[m], xr = new double[m];
        for (int r = 0; r < rows; r++) {
            readRow(g, g.offset + r * m, gr);
            readRow(x, x.offset + r * m, xr);
            double sum = 0, dot = 0;
            for (int i = 0; i < m; i++) {
                double gv = gr[i], xhat = (xr[i] - mean[r]) * invstd[r];
                gw[i] += gv * xhat;
                gb[i] += gv;
                double gh = w == null ? gv : gv * w[i];
                gr[i] = gh;
                sum += gh;
                dot += gh * xhat;
                xr[i] = xhat;
            }
            if (gx == null) continue;
            for (int i = 0; i < m; i++) gr[i] = invstd[r] * (gr[i] - sum / m - xr[i] * dot / m);
            writeRow(gr, gx, r * m);
        }
        return new Tensor[] {gx, needW ? fromDoubles(gw, weight) : null, needB ? fromDoubles(gb, bias) : null};
    }

    private static Tensor fromDoubles(double[] v, Tensor like) {
        Tensor t = Tensor.allocate(like.dtype(), like.shape);
        writeRow(v, t, 0);
        return t;
    }

    /** Copies t[from, from + dst.length) into dst. */
    private static void readRow(Tensor t, int from, double[] dst) {
        if (t.dtype() == DType.FLOAT32) {
            float[] a = t.floats();
            for (int i = 0; i < dst.length; i++) dst[i] = a[from + i];
        } else {
            System.arraycopy((double[]) t.storage.array(), from, dst, 0, dst.length);
        }
    }

    /** Copies src into the contiguous t from {@code from}. */
    private static void writeRow(double[] src, Tensor t, int from) {
        if (t.dtype() == DType.FLOAT32) {
            float[] a = t.floats();
            for (int i = 0; i < src.length; i++) a[from + i] = (float) src[i];
        } else {
            System.arraycopy(src, 0, (double[]) t.storage.array(), from, src.length);
        }
    }
}
