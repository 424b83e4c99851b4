package dev.nnlab.nn.utils;

import dev.nnlab.autograd.GradMode;
import dev.nnlab.autograd.NoGrad;
import dev.nnlab.tensor.DType;
import dev.nnlab.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/** Gradient clipping, like {@code torch.nn.utils.clip_grad_norm_} and {@code clip_grad_value_}. */
public final class ClipGrad {
    private ClipGrad() { }

    public static Tensor clipGradNorm_(Iterable<? extends Tensor> params, double maxNorm) {
        return clipGradNorm_(params, maxNorm, 2.0, false);
    }

    public static Tensor clipGradNorm_(Iterable<? extends Tensor> params, double maxNorm, double normType) {
        return clipGradNorm_(params, maxNorm, normType, false);
    }

    public static Tensor clipGradNorm_(Tensor param, double maxNorm) {
        return clipGradNorm_(List.of(param), maxNorm, 2.0, false);
    }

    /**
     * Scales all gradients by min(1, maxNorm / (total + 1e-6)), where total is the {@code normType}-norm of
     * all gradients viewed as one vector, and returns total.
     */
    public static Tensor clipGradNorm_(Iterable<? extends Tensor> params, double maxNorm, double normType,
                                       boolean errorIfNonfinite) {
        List<Tensor> grads = grads(params);
        Tensor total = getTotalNorm(grads, normType, errorIfNonfinite);
        scale(grads, maxNorm, total);
        return total;
    }

    /** The {@code normType}-norm of the tensors viewed as one vector, like {@code get_total_norm}. */
    public static Tensor getTotalNorm(Iterable<? extends Tensor> tensors, double normType, boolean errorIfNonfinite) {
        List<Tensor> list = new ArrayList<>();
        for (Tensor t : tensors) list.add(t);
        if (list.isEmpty()) return Tensor.scalar(0.0);
        DType dtype = DType.FLOAT32;
        double[] norms = new double[list.size()];
        for (int i = 0; i < norms.length; i++) {
            Tensor t = list.get(i);
            if (t.dtype() == DType.FLOAT64) dtype = DType.FLOAT64;
            norms[i] = round(norm(t, normType), t.dtype());
        }
        double total = round(norm(norms, normType), dtype);
        if (errorIfNonfinite && !Double.isFinite(total)) {
            throw new IllegalStateException("The total norm of order " + pyFloat(normType) + " for gradients from "
                    + "`parameters` is non-finite, so it cannot be clipped. To disable this error and scale the "
                    + "gradients by the non-finite norm anyway, set `error_if_nonfinite=False`");
        }
        return Tensor.scalar(total, dtype);
    }

    /** Scales each parameter's gradient by min(1, maxNorm / (totalNorm + 1e-6)), like {@code clip_grads_with_norm_}. */
    public static void clipGradsWithNorm_(Iterable<? extends Tensor> params, double maxNorm, Tensor totalNorm) {
        scale(grads(params), maxNorm, totalNorm);
    }

    private static void scale(List<Tensor> grads, double maxNorm, Tensor totalNorm) {
        if (grads.isEmpty()) return;
        DType dt = totalNorm.dtype();
        double coef = round(maxNorm / round(totalNorm.item() + 1e-6, dt), dt);
        coef = Math.min(coef, 1.0);
        try (GradMode.Scope s = NoGrad.enter()) {
            for (Tensor g : grads) {
                if (g.dtype() == DType.FLOAT32 && g.isContiguous()) {
                    float[] a = (float[]) g.storage().array();
                    float c = (float) coef;
                    for (int i = g.storageOffset(), end = i + g.numel(); i < end; i++) a[i] *= c;
                    g.bumpVersion();
                } else {
                    g.mul_(coef);
                }
            }
        }
    }

    public static void clipGradValue_(Tensor param, double clipValue) {
        clipGradValue_(List.of(param), clipValue);
    }

    /** Clamps every gradient into [-clipValue, clipValue] in place, like {@code clip_grad_value_}. */
    public static void clipGradValue_(Iterable<? extends Tensor> params, double clipValue) {
        try (GradMode.Scope s = NoGrad.enter()) {
            for (Tensor g : grads(params)) {
                if (g.dtype() == DType.FLOAT32 && g.isContiguous()) {
                    float[] a = (float[]) g.storage().array();
                    float lo = (float) -clipValue, hi = (float) clipValue;
                    for (int i = g.storageOffset(), end = i + g.numel(); i < end; i++) {
                        float v = a[i];
                        if (v < lo) a[i] = lo;
                        else if (v > hi) a[i] = hi;
                    }
                    g.bumpVersion();
                } else {
                    g.clamp_(-clipValue, clipValue);
                }
            }
        }
    }

    private static List<Tensor> grads(Iterable<? extends Tensor> params) {
        List<Tensor> out = new ArrayList<>();
        for (Tensor p : params) {
            if (p.grad() != null) out.add(p.grad());
        }
        return out;
    }

    private static double norm(Tensor t, double p) {
        int n = t.numel();
        if (t.dtype() == DType.FLOAT32 && t.isContiguous()) {
            return normFloat((float[]) t.storage().array(), t.storageOffset(), n, p);
        }
        return norm(t.toDoubleArray(), 0, n, p);
    }

    private static double norm(double[] a, double p) {
        return norm(a, 0, a.length, p);
    }

    private static double normFloat(float[] a, int from, int n, double p) {
        if (p == 2) {
            double s = 0;
            for (int i = from; i < from + n; i++) s += (double) a[i] * a[i];
            return Math.sqrt(s);
        }
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = a[from + i];
        return norm(d, 0, n, p);
    }

    private static double norm(double[] a, int from, int n, double p) {
        double acc = p == Double.NEGATIVE_INFINITY ? Double.POSITIVE_INFINITY : 0;
        for (int i = from; i < from + n; i++) {
            double v = Math.abs(a[i]);
            if (p == Double.POSITIVE_INFINITY) acc = Double.isNaN(v) || Double.isNaN(acc) ? Double.NaN : Math.max(acc, v);
            else if (p == Double.NEGATIVE_INFINITY) acc = Double.isNaN(v) || Double.isNaN(acc) ? Double.NaN : Math.min(acc, v);
            else if (p == 0) acc += v != 0 ? 1 : 0;
            else if (p == 1) acc += v;
            else if (p == 2) acc += v * v;
            else acc += Math.pow(v, p);
        }
        if (p == Double.POSITIVE_INFINITY || p == Double.NEGATIVE_INFINITY || p == 0 || p == 1) return acc;
        return p == 2 ? Math.sqrt(acc) : Math.pow(acc, 1 / p);
    }

    private static double round(double v, DType dtype) {
        return dtype == DType.FLOAT32 ? (float) v : v;
    }

    private static String pyFloat(double v) {
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        if (Double.isNaN(v)) return "nan";
        return Double.toString(v);
    }
}
