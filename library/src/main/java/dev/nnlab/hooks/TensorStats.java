package dev.nnlab.hooks;

import dev.nnlab.tensor.DType;
import dev.nnlab.tensor.Tensor;

import java.util.Arrays;

/**
 * Running statistics of the tensors one module produced, in bounded memory: calls, elements, mean, std (unbiased,
 * like {@code torch.std}), min, max, L2 norm (per call, averaged over calls), fraction of exact zeros, NaN and Inf
 * counts and the last shape. A float32 tensor is read in one pass over its array, without allocating.
 *
 * <p>NaN propagates as in PyTorch: one NaN makes mean, std, min, max and norm NaN; the counts say how many.
 */
public final class TensorStats {
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

    /** The statistics of one tensor. */
    public static TensorStats of(Tensor t) {
        TensorStats s = new TensorStats();
        s.add(t);
        return s;
    }

    /** Counts one call and adds the tensor's elements; a null tensor (no gradient) counts the call only. */
    public void add(Tensor t) {
        calls++;
        if (t == null) return;
        tensors++;
        keepShape(t);
        int n = t.numel();
        if (t.dtype() == DType.FLOAT32) {
            Tensor c = t.isContiguous() ? t : t.contiguous();
            scan((float[]) c.storage().array(), c.storageOffset(), n);
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

    /** Lane width of the fused pass: each block of this many elements is one vectorizable loop over the lanes. */
    static final int LANES = 1024;
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[5][LANES]);

    /**
     * One fused pass: every block of {@link #LANES} elements is added lane by lane into float accumulators (sum and
     * sum of squares shifted by the first element, for a stable variance; min; max; a 0/1 nonzero indicator), a loop
     * C2 can vectorize; lanes are folded into doubles every 16 blocks, and the tail is added in scalar.
     */
    private void scan(float[] a, int from, int n) {
        if (n == 0) return;
        final float k = a[from];
        double s = 0, q = 0, nz = 0;
        float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
        int i = from;
        final int end = from + n;
        if (n >= LANES) {
            float[][] l = SCRATCH.get();
            float[] ls = l[0], lq = l[1], llo = l[2], lhi = l[3], lnz = l[4];
            while (i + LANES <= end) {
                Arrays.fill(ls, 0f);
                Arrays.fill(lq, 0f);
                Arrays.fill(lnz, 0f);
                Arrays.fill(llo, Float.POSITIVE_INFINITY);
                Arrays.fill(lhi, Float.NEGATIVE_INFINITY);
                for (int b = 0; b < 16 && i + LANES <= end; b++, i += LANES) lanes(a, i, k, ls, lq, llo, lhi, lnz);
                for (int j = 0; j < LANES; j++) {
                    s += ls[j];
                    q += lq[j];
                    nz += lnz[j];
                    lo = llo[j] < lo ? llo[j] : lo;
                    hi = lhi[j] > hi ? lhi[j] : hi;
                }
            }
        }
        for (; i < end; i++) {
            float x = a[i];
            double d = x - k;
            s += d;
            q += d * d;
            lo = x < lo ? x : lo;
            hi = x > hi ? x : hi;
            nz += x != 0 ? 1 : 0;
        }
        if (!Double.isFinite(s) || !Double.isFinite(q) || Double.isNaN(nz)) {
            double[] d = new double[n];
            for (int j = 0; j < n; j++) d[j] = a[from + j];
            scan(d, n);
            return;
        }
        addFinite(n, k, s, q, lo, hi, n - (long) nz);
    }

    /** One block: element-wise over the lanes (no reduction), so the JIT can use vector instructions. */
    private static void lanes(float[] a, int off, float k, float[] s, float[] q, float[] lo, float[] hi, float[] nz) {
        for (int j = 0; j < s.length; j++) {
            float x = a[off + j];
            float d = x - k;
            s[j] += d;
            q[j] += d * d;
            lo[j] = Math.min(lo[j], x);
            hi[j] = Math.max(hi[j], x);
            // 1 for any nonzero (the smallest subnormal times 2^149 is 1), 0 for +-0, NaN for NaN
            nz[j] += Math.min(Math.abs(x) * 0x1p100f * 0x1p49f, 1f);
        }
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

    private void addFinite(long n, double k, double s, double q, double lo, double hi, long z) {
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
