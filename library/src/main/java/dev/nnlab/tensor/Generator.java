package dev.nnlab.tensor;

/**
 * A seedable source of random numbers (xoshiro256**), like {@code torch.Generator}. The global one
 * is reseeded by {@link Tensor#manualSeed(long)}. Not thread-safe, like PyTorch's.
 */
public final class Generator {
    private static final Generator GLOBAL = new Generator(nanoSeed());

    private long s0, s1, s2, s3;
    private long initialSeed;
    private double spareGaussian;
    private boolean hasSpare;

    public Generator() {
        this(nanoSeed());
    }

    public Generator(long seed) {
        manualSeed(seed);
    }

    public static Generator global() {
        return GLOBAL;
    }

    private static long nanoSeed() {
        return System.nanoTime() ^ 0x9E3779B97F4A7C15L;
    }

    public Generator manualSeed(long seed) {
        initialSeed = seed;
        long x = seed;
        s0 = x = splitMix(x);
        s1 = x = splitMix(x);
        s2 = x = splitMix(x);
        s3 = splitMix(x);
        hasSpare = false;
        return this;
    }

    public long initialSeed() {
        return initialSeed;
    }

    private static long splitMix(long x) {
        long z = x + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public long nextLong() {
        long result = Long.rotateLeft(s1 * 5, 7) * 9;
        long t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = Long.rotateLeft(s3, 45);
        return result;
    }

    /** Uniform in [0, 1) with 24 random bits. */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform integer in [0, bound). */
    public long nextLong(long bound) {
        if (bound <= 0) throw new IllegalArgumentException("bound must be positive, got " + bound);
        long r = nextLong() >>> 1;
        long m = bound - 1;
        if ((bound & m) == 0) return r & m;
        for (long u = r; u - (r = u % bound) + m < 0; u = nextLong() >>> 1) { }
        return r;
    }

    /** Standard normal sample (Marsaglia's polar method). */
    public double nextGaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spareGaussian;
        }
        double u, v, s;
        do {
            u = 2 * nextDouble() - 1;
            v = 2 * nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double m = Math.sqrt(-2 * Math.log(s) / s);
        spareGaussian = v * m;
        hasSpare = true;
        return u * m;
    }

    /**
     * Fills a[from, to) with 0 (probability p) or scale; used by dropout. For p >= 0.01 each 64-bit draw
     * gives four 16-bit uniforms (p is then quantised to 1/65536) compared without branches, else two 32-bit ones.
     */
    void fillMask(float[] a, int from, int to, double p, float scale) {
        int i = from;
        if (p >= 0.01) {
            int t = (int) Math.round(p * 65536);
            for (; i + 4 <= to; i += 4) {
                long r = nextLong();
                a[i] = scale * ((t - 1 - ((int) r & 0xFFFF)) >>> 31);
                a[i + 1] = scale * ((t - 1 - ((int) (r >>> 16) & 0xFFFF)) >>> 31);
                a[i + 2] = scale * ((t - 1 - ((int) (r >>> 32) & 0xFFFF)) >>> 31);
                a[i + 3] = scale * ((t - 1 - (int) (r >>> 48)) >>> 31);
            }
        }
        long threshold = (long) (p * (1L << 32));
        while (i < to) {
            long r = nextLong();
            a[i++] = (r >>> 32) < threshold ? 0f : scale;
            if (i < to) a[i++] = (r & 0xFFFFFFFFL) < threshold ? 0f : scale;
        }
    }
}
