package dev.nnlab.hooks;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The {@link FloatScan} in SIMD lanes (the incubating Vector API): used only when the JVM runs with
 * {@code --add-modules jdk.incubator.vector}, and compiled apart, so the library needs the module nowhere else.
 * The same statistics as the scalar scan, summed in a different order.
 *
 * <p>Until C2 has compiled them, Vector API calls are tens of times slower than the scalar scan, for the first
 * hundred or so tensors. So the scalar scan serves until a daemon thread, started with the first instance, has run
 * {@link #lanes} on its own array until it is fast (about a second of one core, once per JVM).
 */
final class VectorScan implements FloatScan {
    /** The CPU's widest vectors, at most 256 bits before JDK 25 (JDK 17's 512-bit code ran this loop 30% slower). */
    private static final VectorSpecies<Float> F = Runtime.version().feature() < 25
            && FloatVector.SPECIES_PREFERRED.vectorBitSize() > 256 ? FloatVector.SPECIES_256
            : FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = F.withLanes(int.class);
    /** Float lanes in one vector. */
    static final int L = F.length();
    /** Elements per block: each float lane sums 128 of them before the block is folded into doubles. */
    static final int BLOCK = 2 * L * 128;
    /** The warm-up stops (and the scalar scan stays) after this much CPU time: a JVM without C2 never gets fast. */
    private static final long WARM_UP_BUDGET_NS = 20_000_000_000L;

    private volatile boolean warm;
    private volatile long warmUpCpuNanos = -1;

    VectorScan() {
        Thread t = new Thread(this::warmUp, "nnlab-simd-warm-up");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    @Override
    public boolean scan(float[] a, int from, int n, TensorStats into) {
        return warm ? lanes(a, from, n, into) : TensorStats.SCALAR.scan(a, from, n, into);
    }

    /** True once the lanes are compiled and serve every scan. */
    boolean isWarm() {
        return warm;
    }

    /** CPU time the warm-up thread used, or -1 while it runs. */
    long warmUpCpuNanos() {
        return warmUpCpuNanos;
    }

    /** Runs the lanes on 4096 floats until three rounds in a row take under 1 ns a float (compiled: ~0.2 ns). */
    private void warmUp() {
        float[] a = new float[4096];
        for (int i = 0; i < a.length; i++) a[i] = i % 3 == 0 ? 0f : (i % 7) - 3.5f;
        long start = cpuNanos();
        int fast = 0;
        while (fast < 3 && cpuNanos() - start < WARM_UP_BUDGET_NS) {
            long t0 = System.nanoTime();
            for (int r = 0; r < 16; r++) lanes(a, 0, a.length, new TensorStats());
            fast = System.nanoTime() - t0 < 16L * a.length ? fast + 1 : 0;
        }
        warmUpCpuNanos = cpuNanos() - start;
        warm = fast == 3;
    }

    /** This thread's CPU time, or the wall clock where the JVM does not measure it. */
    private static long cpuNanos() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        return mx.isCurrentThreadCpuTimeSupported() ? mx.getCurrentThreadCpuTime() : System.nanoTime();
    }

    /** The SIMD pass itself: sums, sums of squares, min, max and zeros in 2 x L lanes, folded per block. */
    static boolean lanes(float[] a, int from, int n, TensorStats into) {
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
        return "SIMD (" + L + " float lanes" + (warm ? ")" : "; the scalar scan serves while it warms up)");
    }

    /** 1 in the lanes holding +0 or -0, else 0: only they have no bit set but the sign. */
    private static IntVector zeros(FloatVector x) {
        return x.reinterpretAsInts().and(0x7fffffff).sub(1).lanewise(VectorOperators.LSHR, 31);
    }
}
