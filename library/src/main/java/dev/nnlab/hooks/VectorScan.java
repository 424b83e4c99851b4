package dev.nnlab.hooks;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The {@link FloatScan} in SIMD lanes (the incubating Vector API): used only when the JVM runs with
 * {@code --add-modules jdk.incubator.vector}, and compiled apart, so the library needs the module nowhere else.
 * The same statistics as the scalar scan, summed in a different order.
 */
final class VectorScan implements FloatScan {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    /** Float lanes in one vector. */
    static final int L = F.length();
    /** Elements per block: each float lane sums 128 of them before the block is folded into doubles. */
    static final int BLOCK = 2 * L * 128;

    @Override
    public boolean scan(float[] a, int from, int n, TensorStats into) {
        if (n == 0) return true;
        final float k = a[from];
        float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
        double s = 0, q = 0;
        long z = 0;
        final int end = from + n;
        int i = from;
        // no vector lives across blocks: JDK 17's C2 boxes vectors carried around an outer loop
        while (i + 2 * L <= end) {
            final int stop = Math.min(end - 2 * L, i + BLOCK - 2 * L);
            FloatVector kv = FloatVector.broadcast(F, k), s0 = FloatVector.zero(F), s1 = s0, q0 = s0, q1 = s0;
            FloatVector lo0 = FloatVector.broadcast(F, lo), lo1 = lo0, hi0 = FloatVector.broadcast(F, hi), hi1 = hi0;
            IntVector z0 = IntVector.zero(I), z1 = z0;
            for (; i <= stop; i += 2 * L) {
                FloatVector x = FloatVector.fromArray(F, a, i), y = FloatVector.fromArray(F, a, i + L);
                FloatVector dx = x.sub(kv), dy = y.sub(kv);
                s0 = s0.add(dx);
                s1 = s1.add(dy);
                q0 = dx.fma(dx, q0);
                q1 = dy.fma(dy, q1);
                // compare and blend, cheaper than Math.min's NaN and -0 rules; NaN never gets here (the sums catch it)
                lo0 = lo0.blend(x, x.lt(lo0));
                lo1 = lo1.blend(y, y.lt(lo1));
                hi0 = hi0.blend(x, x.compare(VectorOperators.GT, hi0));
                hi1 = hi1.blend(y, y.compare(VectorOperators.GT, hi1));
                z0 = z0.add(zeros(x));
                z1 = z1.add(zeros(y));
            }
            s += s0.add(s1).reduceLanes(VectorOperators.ADD);
            q += q0.add(q1).reduceLanes(VectorOperators.ADD);
            z += z0.add(z1).reduceLanes(VectorOperators.ADD);
            lo = lo0.min(lo1).reduceLanes(VectorOperators.MIN);
            hi = hi0.max(hi1).reduceLanes(VectorOperators.MAX);
        }
        for (; i < end; i++) {
            float x = a[i], d = x - k;
            s += d;
            q += d * d;
            if (x < lo) lo = x;
            if (x > hi) hi = x;
            z += TensorStats.zero(x);
        }
        if (!Double.isFinite(s) || !Double.isFinite(q)) return false;
        into.addFinite(n, k, s, q, lo, hi, z);
        return true;
    }

    @Override
    public String toString() {
        return "SIMD (" + L + " float lanes)";
    }

    /** 1 in the lanes holding +0 or -0, else 0: only they have no bit set but the sign. */
    private static IntVector zeros(FloatVector x) {
        return x.reinterpretAsInts().and(0x7fffffff).sub(1).lanewise(VectorOperators.LSHR, 31);
    }
}
