package dev.nnlab.hooks;

import dev.nnlab.tensor.DType;
import dev.nnlab.tensor.Tensor;

import java.util.Arrays;

/**
 * Running statistics of the tensors one module produced, in bounded memory: calls, elements, mean, std (unbiased,
 * like {@code torch.std}), min, max, L2 norm (per call, averaged over calls), fraction of exact zeros, NaN and Inf
 * counts and the last shape. A float32 tensor is read in one pass over its array, without allocating: in SIMD lanes
 * when the JVM has {@code jdk.incubator.vector} ({@code ./nnlab} and the kernel add it; {@code -Dnnlab.simd=false}
 * turns it off), else in a scalar loop.
 *
 * <p>NaN propagates as in PyTorch: one NaN makes mean, std, min, max and norm NaN; the counts say how many.
 */
public final class TensorStats {
    /** The scalar scan, the fallback. */
    static final FloatScan SCALAR = TensorStats::scalarScan;
    /** The scan float32 tensors take. */
    static final FloatScan SCAN = simd();

    private long calls;
    private long tensors;
    private long numel;
    private double mean;
    private double m2;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;
    private double normSum;
    private long zeros;
    private long nans;
    private long infs;
    private int[] shape;

    /** The float32 scan this JVM takes: {@code "SIMD (8 float lanes)"} (as CPU and JDK allow) or {@code "scalar"}. */
    public static String scanKind() {
        return SCAN == SCALAR ? "scalar" : SCAN.toString();
    }

    /** The statistics of one tensor. */
    public static TensorStats of(Tensor t) {
        TensorStats s = new TensorStats();
        s.add(t);
        return s;
    }

    /** Counts one call and adds the tensor's elements; a null tensor (no gradient) counts the call only. */
    public void add(Tensor t) {
        add(t, SCAN);
    }

    /** {@link #add(Tensor)} with a given float32 scan (the tests run both). */
    void add(Tensor t, FloatScan scan) {
        calls++;
        if (t == null) return;
        tensors++;
        keepShape(t);
        int n = t.numel();
        if (t.dtype() == DType.FLOAT32) {
            Tensor c = t.isContiguous() ? t : t.contiguous();
            add((float[]) c.storage().array(), c.storageOffset(), n, scan);
        } else {
            double[] a = t.toDoubleArray();
            scan(a, n);
        }
    }

    /** Adds another's counts and elements, as if its tensors had been added here (Chan's parallel merge). */
    public void merge(TensorStats o) {
        calls += o.calls;
        tensors += o.tensors;
        if (o.shape != null) shape = o.shape;
        combine(o.numel, o.mean, o.m2, o.min, o.max, o.normSum, o.zeros, o.nans, o.infs);
    }

    private void keepShape(Tensor t) {
        int d = t.dim();
        boolean same = shape != null && shape.length == d;
        for (int i = 0; same && i < d; i++) same = shape[i] == t.size(i);
        if (!same) shape = t.shape();
    }

    /** Adds {@code n} floats from {@code a[from]} with this scan; NaN or Inf send them to the exact path. */
    private void add(float[] a, int from, int n, FloatScan scan) {
        if (scan.scan(a, from, n, this)) return;
        double[] d = new double[n];
        for (int j = 0; j < n; j++) d[j] = a[from + j];
        scan(d, n);
    }

    /** {@link VectorScan} when the module is in the boot layer (and not turned off), else {@link #SCALAR}. */
    private static FloatScan simd() {
        if (!Boolean.parseBoolean(System.getProperty("nnlab.simd", "true"))
                || ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return SCALAR;
        }
        try {
            return (FloatScan) Class.forName("dev.nnlab.hooks.VectorScan").getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            return SCALAR;
        }
    }

    /** Elements per block: float lanes are folded into double sums after each, which bounds their rounding error. */
    static final int BLOCK = 1024;

    /**
     * One fused pass, in blocks: four float lanes (so the adds pipeline) of the sum and sum of squares shifted by the
     * first element (a stable variance), min, max and exact zeros.
     */
    private static boolean scalarScan(float[] a, int from, int n, TensorStats into) {
        if (n == 0) return true;
        final float k = a[from];
        double s = 0, q = 0;
        long z = 0;
        float lo0 = Float.POSITIVE_INFINITY, lo1 = lo0, lo2 = lo0, lo3 = lo0;
        float hi0 = Float.NEGATIVE_INFINITY, hi1 = hi0, hi2 = hi0, hi3 = hi0;
        final int end = from + n;
        for (int i = from; i < end; ) {
            final int stop = Math.min(end, i + BLOCK);
            float s0 = 0, s1 = 0, s2 = 0, s3 = 0, q0 = 0, q1 = 0, q2 = 0, q3 = 0;
            int z0 = 0, z1 = 0, z2 = 0, z3 = 0;
            for (; i + 3 < stop; i += 4) {
                float x0 = a[i], x1 = a[i + 1], x2 = a[i + 2], x3 = a[i + 3];
                float d0 = x0 - k, d1 = x1 - k, d2 = x2 - k, d3 = x3 - k;
                s0 += d0; s1 += d1; s2 += d2; s3 += d3;
                q0 = Math.fma(d0, d0, q0); q1 = Math.fma(d1, d1, q1); q2 = Math.fma(d2, d2, q2); q3 = Math.fma(d3, d3, q3);
                // min and max rarely change, so branches predict well
                if (x0 < lo0) lo0 = x0;
                if (x1 < lo1) lo1 = x1;
                if (x2 < lo2) lo2 = x2;
                if (x3 < lo3) lo3 = x3;
                if (x0 > hi0) hi0 = x0;
                if (x1 > hi1) hi1 = x1;
                if (x2 > hi2) hi2 = x2;
                if (x3 > hi3) hi3 = x3;
                z0 += zero(x0);
                z1 += zero(x1);
                z2 += zero(x2);
                z3 += zero(x3);
            }
            for (; i < stop; i++) {
                float x = a[i], d = x - k;
                s0 += d;
                q0 = Math.fma(d, d, q0);
                if (x < lo0) lo0 = x;
                if (x > hi0) hi0 = x;
                z0 += zero(x);
            }
            s += (double) (s0 + s1) + (s2 + s3);
            q += (double) (q0 + q1) + (q2 + q3);
            z += (z0 + z1) + (z2 + z3);
        }
        if (!Double.isFinite(s) || !Double.isFinite(q)) return false;
        double lo = Math.min(Math.min(lo0, lo1), Math.min(lo2, lo3));
        double hi = Math.max(Math.max(hi0, hi1), Math.max(hi2, hi3));
        into.addFinite(n, k, s, q, lo, hi, z);
        return true;
    }

    /** 1 for +0 and -0, else 0, without a branch: only they have no bit set but the sign. */
    static int zero(float x) {
        return ((Float.floatToRawIntBits(x) & 0x7fffffff) - 1) >>> 31;
    }

    /** The float64 (and non-finite) path: plain, slower, exact about NaN and Inf. */
    private void scan(double[] a, int n) {
        if (n == 0) return;
        double k = a[0], s = 0, q = 0, lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY, raw = 0, sq = 0;
        long z = 0, nan = 0, inf = 0;
        for (int i = 0; i < n; i++) {
            double x = a[i], d = x - k;
            s += d;
            q += d * d;
            raw += x;
            sq += x * x;
            if (x < lo) lo = x;
            if (x > hi) hi = x;
            if (x == 0) z++;
            if (Double.isNaN(x)) nan++;
            else if (Double.isInfinite(x)) inf++;
        }
        if (nan == 0 && inf == 0) {
            addFinite(n, k, s, q, lo, hi, z);
            return;
        }
        double m = nan > 0 ? Double.NaN : raw / n;
        combine(n, m, Double.NaN, nan > 0 ? Double.NaN : lo, nan > 0 ? Double.NaN : hi, Math.sqrt(sq), z, nan, inf);
    }

    /** Adds {@code n} finite elements given their sum and sum of squares shifted by {@code k}. */
    void addFinite(long n, double k, double s, double q, double lo, double hi, long z) {
        double m = k + s / n;
        double m2b = Math.max(0, q - s * s / n);
        double norm = Math.sqrt(n * m * m + m2b);
        combine(n, m, m2b, lo, hi, norm, z, 0, 0);
    }

    private void combine(long nb, double meanB, double m2B, double lo, double hi, double norm, long z, long nan,
                         long inf) {
        if (nb == 0) return;
        long na = numel, nt = na + nb;
        double delta = meanB - mean;
        mean = na == 0 ? meanB : mean + delta * nb / nt;
        m2 = na == 0 ? m2B : m2 + m2B + delta * delta * ((double) na * nb / nt);
        min = Double.isNaN(lo) || Double.isNaN(min) ? Double.NaN : Math.min(min, lo);
        max = Double.isNaN(hi) || Double.isNaN(max) ? Double.NaN : Math.max(max, hi);
        normSum += norm;
        numel = nt;
        zeros += z;
        nans += nan;
        infs += inf;
    }

    /** Calls seen, including those with no tensor (a gradient that was None). */
    public long calls() {
        return calls;
    }

    /** Elements seen over all calls. */
    public long numel() {
        return numel;
    }

    public double mean() {
        return numel == 0 ? Double.NaN : mean;
    }

    /** Unbiased standard deviation over all elements seen, NaN below two elements. */
    public double std() {
        return numel < 2 ? Double.NaN : Math.sqrt(m2 / (numel - 1));
    }

    public double min() {
        return numel == 0 ? Double.NaN : min;
    }

    public double max() {
        return numel == 0 ? Double.NaN : max;
    }

    /** The L2 norm of a call's tensor, averaged over the calls that had one. */
    public double norm() {
        return tensors == 0 ? Double.NaN : normSum / tensors;
    }

    /** Fraction of elements exactly zero (+0 or -0): dead ReLU units. */
    public double zeroFraction() {
        return numel == 0 ? Double.NaN : (double) zeros / numel;
    }

    public long zeros() {
        return zeros;
    }

    public long nans() {
        return nans;
    }

    public long infs() {
        return infs;
    }

    /** The last tensor's shape, or null when no call had a tensor. */
    public int[] shape() {
        return shape == null ? null : shape.clone();
    }

    /** The last shape as PyTorch prints a size, {@code [64, 200]}; {@code None} when no call had a tensor. */
    public String shapeString() {
        return shape == null ? "None" : Arrays.toString(shape);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT,
                "TensorStats(calls=%d, shape=%s, mean=%.6g, std=%.6g, min=%.6g, max=%.6g, norm=%.6g, zeros=%.4f, nan=%d, "
                        + "inf=%d)", calls, shapeString(), mean(), std(), min(), max(), norm(), zeroFraction(), nans,
                infs);
    }
}
