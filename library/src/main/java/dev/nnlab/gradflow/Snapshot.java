package dev.nnlab.gradflow;

import dev.nnlab.tensor.DType;
import dev.nnlab.tensor.Tensor;

/** A copy of a parameter's values (float32 kept as floats), to measure an update or the distance travelled. */
final class Snapshot {
    private final float[] floats;
    private final double[] doubles;

    private Snapshot(float[] floats, double[] doubles) {
        this.floats = floats;
        this.doubles = doubles;
    }

    static Snapshot of(Tensor t) {
        return t.dtype() == DType.FLOAT64 ? new Snapshot(null, t.toDoubleArray()) : new Snapshot(t.toFloatArray(), null);
    }

    /** DL4J's measure: log10(mean |now - this| / mean |this|); NaN when the shape changed. */
    double log10Ratio(Tensor now) {
        double du = 0, dp = 0;
        if (floats != null) {
            float[] a = now.toFloatArray();
            if (a.length != floats.length) return Double.NaN;
            // four partial sums: one chain of dependent adds would bound the loop by the add latency
            double u0 = 0, u1 = 0, u2 = 0, u3 = 0, p0 = 0, p1 = 0, p2 = 0, p3 = 0;
            int i = 0;
            for (; i + 3 < a.length; i += 4) {
                u0 += Math.abs((double) a[i] - floats[i]);
                u1 += Math.abs((double) a[i + 1] - floats[i + 1]);
                u2 += Math.abs((double) a[i + 2] - floats[i + 2]);
                u3 += Math.abs((double) a[i + 3] - floats[i + 3]);
                p0 += Math.abs(floats[i]);
                p1 += Math.abs(floats[i + 1]);
                p2 += Math.abs(floats[i + 2]);
                p3 += Math.abs(floats[i + 3]);
            }
            for (; i < a.length; i++) {
                u0 += Math.abs((double) a[i] - floats[i]);
                p0 += Math.abs(floats[i]);
            }
            du = u0 + u1 + u2 + u3;
            dp = p0 + p1 + p2 + p3;
        } else {
            double[] a = now.toDoubleArray();
            if (a.length != doubles.length) return Double.NaN;
            for (int i = 0; i < a.length; i++) {
                du += Math.abs(a[i] - doubles[i]);
                dp += Math.abs(doubles[i]);
            }
        }
        return Math.log10(du / dp);
    }

    /** Cockpit's Distance: the L2 norm of {@code now - this}; NaN when the shape changed. */
    double distance(Tensor now) {
        double s = 0;
        if (floats != null) {
            float[] a = now.toFloatArray();
            if (a.length != floats.length) return Double.NaN;
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            int i = 0;
            for (; i + 3 < a.length; i += 4) {
                double d0 = (double) a[i] - floats[i], d1 = (double) a[i + 1] - floats[i + 1];
                double d2 = (double) a[i + 2] - floats[i + 2], d3 = (double) a[i + 3] - floats[i + 3];
                s0 += d0 * d0;
                s1 += d1 * d1;
                s2 += d2 * d2;
                s3 += d3 * d3;
            }
            for (; i < a.length; i++) {
                double d = (double) a[i] - floats[i];
                s0 += d * d;
            }
            s = s0 + s1 + s2 + s3;
        } else {
            double[] a = now.toDoubleArray();
            if (a.length != doubles.length) return Double.NaN;
            for (int i = 0; i < a.length; i++) {
                double d = a[i] - doubles[i];
                s += d * d;
            }
        }
        return Math.sqrt(s);
    }
}
