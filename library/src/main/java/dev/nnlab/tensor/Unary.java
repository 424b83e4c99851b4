package dev.nnlab.tensor;

import dev.nnlab.autograd.GradMode;
import dev.nnlab.autograd.Node;

/** Element-wise functions of one tensor, each with its gradient just below its forward. */
final class Unary {
    static final int NEG = 0, ABS = 1, EXP = 2, LOG = 3, SQRT = 4, RSQRT = 5, SIGMOID = 6, TANH = 7, RELU = 8,
            SIGN = 9, RECIPROCAL = 10, SIN = 11, COS = 12, LOG1P = 13, EXPM1 = 14;
    private static final String[] NAMES = {"NegBackward0", "AbsBackward0", "ExpBackward0", "LogBackward0",
        "SqrtBackward0", "RsqrtBackward0", "SigmoidBackward0", "TanhBackward0", "ReluBackward0", "SignBackward0",
        "ReciprocalBackward0", "SinBackward0", "CosBackward0", "Log1PBackward0", "Expm1Backward0"};

    private Unary() { }

    static Tensor apply(int op, Tensor x) {
        Tensor out = compute(op, x, Tensor.allocate(resultType(op, x), x.shape));
        attach(op, x, out, out);
        return out;
    }

    static Tensor inPlace(int op, Tensor x) {
        Tensor before = x.requiresGrad() && GradMode.isEnabled() ? x.aliasWithGraph() : null;
        x.beforeInPlace();
        if (!x.isContiguous() || x.offset != 0) {
            x.copyRaw(compute(op, x, Tensor.allocate(x.dtype(), x.shape)));
        } else {
            compute(op, x, x);
        }
        if (before != null) attach(op, before, x, x);
        return x;
    }

    private static DType resultType(int op, Tensor x) {
        boolean needsFloat = op != NEG && op != ABS && op != SIGN && op != RELU;
        return needsFloat && !x.dtype().isFloatingPoint() ? DType.FLOAT32 : x.dtype();
    }

    /** Writes op(x) into {@code out}, contiguous from offset 0 (a fresh tensor, or x itself). */
    static Tensor compute(int op, Tensor x, Tensor out) {
        int n = x.numel();
        if (x.dtype() == DType.FLOAT32 && out.dtype() == DType.FLOAT32) {
            floatLoop(op, x.dense().floats(), out.floats(), n);
        } else {
            Tensor c = x.contiguous();
            Storage s = c.storage, o = out.storage;
            for (int i = 0; i < n; i++) o.set(out.offset + i, scalar(op, s.get(c.offset + i)));
        }
        return out;
    }

    private static void floatLoop(int op, float[] a, float[] o, int n) {
        switch (op) {
            case NEG: for (int i = 0; i < n; i++) o[i] = -a[i]; break;
            case ABS: for (int i = 0; i < n; i++) o[i] = Math.abs(a[i]); break;
            case EXP: for (int i = 0; i < n; i++) o[i] = exp(a[i]); break;
            case RELU: for (int i = 0; i < n; i++) o[i] = Math.max(a[i], 0f); break;
            case SIGMOID: sigmoid(a, o, n); break;
            case TANH: tanh(a, o, n); break;
            default: for (int i = 0; i < n; i++) o[i] = (float) scalar(op, a[i]);
        }
    }

    /** sigmoid(x) = (1 + tanh(x/2)) / 2 where that is accurate (|x| <= 4), exactly via exp elsewhere. */
    static void sigmoid(float[] a, float[] o, int n) {
        for (int i = 0; i < n; i++) o[i] = 0.5f + 0.5f * tanhRational(0.5f * a[i]);
        if (!(maxAbs(a, n) <= 4f)) for (int i = 0; i < n; i++) {
            float x = a[i];
            if (!(Math.abs(x) <= 4f)) o[i] = 1f / (1f + exp(-x));
        }
    }

    static void tanh(float[] a, float[] o, int n) {
        for (int i = 0; i < n; i++) o[i] = tanhRational(a[i]);
        if (!(maxAbs(a, n) <= TANH_RANGE)) for (int i = 0; i < n; i++) {
            float x = a[i];
            if (!(Math.abs(x) <= TANH_RANGE)) o[i] = (float) Math.tanh(x);
        }
    }

    /** max |a[i]|, NaN if any element is NaN; a reduction HotSpot vectorizes. */
    static float maxAbs(float[] a, int n) {
        float m = 0;
        for (int i = 0; i < n; i++) m = Math.max(m, Math.abs(a[i]));
        return m;
    }

    /** Where {@link #tanhRational} is accurate. */
    static final float TANH_RANGE = 7.90531110763549805f;

    /**
     * tanh(x) for |x| <= {@link #TANH_RANGE}, within 6 ulp: Eigen's rational approximation. It is plain
     * arithmetic, so HotSpot vectorizes loops that call it (exp's exponent-bit tricks it does not).
     */
    static float tanhRational(float x) {
        float x2 = x * x;
        float p = -2.76076847742355e-16f;
        p = p * x2 + 2.00018790482477e-13f;
        p = p * x2 - 8.60467152213735e-11f;
        p = p * x2 + 5.12229709037114e-08f;
        p = p * x2 + 1.48572235717979e-05f;
        p = p * x2 + 6.37261928875436e-04f;
        p = p * x2 + 4.89352455891786e-03f;
        float q = 1.19825839466702e-06f;
        q = q * x2 + 1.18534705686654e-04f;
        q = q * x2 + 2.26843463243900e-03f;
        q = q * x2 + 4.89352518554385e-03f;
        return x * p / q;
    }

    /**
     * e^x in float32 to about 1 ulp (Cephes' expf: x = n ln2 + r, a degree-6 polynomial for e^r, then
     * the exponent bits); several times faster than {@code (float) Math.exp(x)}.
     */
    static float exp(float x) {
        if (!(x < 88.72283f)) return x != x ? x : Float.POSITIVE_INFINITY;
        if (x < -103.97208f) return 0f;
        float n = (x * 1.44269504088896341f + 12582912f) - 12582912f;
        float r = x - n * 0.693359375f + n * 2.12194440e-4f;
        float p = 1.9875691500e-4f;
        p = p * r + 1.3981999507e-3f;
        p = p * r + 8.3334519073e-3f;
        p = p * r + 4.1665795894e-2f;
        p = p * r + 1.6666665459e-1f;
        p = p * r + 5.0000001201e-1f;
        float y = p * r * r + r + 1f;
        int e = (int) n;
        if (e < -126) return y * Float.intBitsToFloat((e + 126 + 127) << 23) * 0x1.0p-126f;
        if (e > 127) return y * 2f * Float.intBitsToFloat((e - 1 + 127) << 23);
        return y * Float.intBitsToFloat((e + 127) << 23);
    }

    static double scalar(int op, double v) {
        switch (op) {
            case NEG: return -v;
            case ABS: return Math.abs(v);
            case EXP: return Math.exp(v);
            case LOG: return Math.log(v);
            case SQRT: return Math.sqrt(v);
            case RSQRT: return 1 / Math.sqrt(v);
            case SIGMOID: return 1 / (1 + Math.exp(-v));
            case TANH: return Math.tanh(v);
            case RELU: return v > 0 ? v : (v == v ? 0 : v);
            case SIGN: return v > 0 ? 1 : v < 0 ? -1 : v == v ? 0 : v;
            case RECIPROCAL: return 1 / v;
            case SIN: return Math.sin(v);
            case COS: return Math.cos(v);
            case LOG1P: return Math.log1p(v);
            case EXPM1: return Math.expm1(v);
            default: throw new IllegalArgumentException("unknown unary op " + op);
        }
    }

    private static void attach(int op, Tensor x, Tensor out, Tensor saveOut) {
        Node n = Node.attach(NAMES[op], g -> new Tensor[] {grad(op, g[0], x, out)}, out, x);
        if (n != null) n.save(op == RELU || op == SIGMOID || op == TANH || op == EXP ? saveOut : x);
    }

    private static Tensor grad(int op, Tensor g, Tensor x, Tensor out) {
        switch (op) {
            case NEG: return g.neg();
            case ABS: return g.mul(x.sign());
            case EXP: return g.mul(out);
            case LOG: return g.div(x);
            case LOG1P: return g.div(x.add(1));
            case EXPM1: return g.mul(out.add(1));
            case SQRT: return g.div(out.mul(2));
            case RSQRT: return g.mul(out.pow(3)).mul(-0.5);
            case RECIPROCAL: return g.mul(out.square()).neg();
            case SIN: return g.mul(x.cos());
            case COS: return g.mul(x.sin()).neg();
            case SIGN: return Tensor.zerosLike(g);
            case RELU: case SIGMOID: case TANH: return fusedGrad(op, g, out);
            default: throw new IllegalArgumentException("unknown unary op " + op);
        }
    }

    /** The gradients of relu, sigmoid and tanh from their output, in one pass. */
    private static Tensor fusedGrad(int op, Tensor g, Tensor out) {
        if (g.dtype() != DType.FLOAT32 || out.dtype() != DType.FLOAT32) {
            if (op == RELU) return g.mul(out.gt(0).to(g.dtype()));
            if (op == SIGMOID) return g.mul(out.mul(out.rsub(1)));
            return g.mul(out.square().rsub(1));
        }
        int n = g.numel();
        Tensor r = Tensor.allocate(DType.FLOAT32, g.shape);
        float[] a = g.dense().floats(), y = out.dense().floats(), o = r.floats();
        switch (op) {
            // min(y * 2^126, 1) is 1 for every normal y > 0 and 0 for y == 0: a mask HotSpot can vectorize.
            case RELU: for (int i = 0; i < n; i++) o[i] = a[i] * Math.min(y[i] * 0x1.0p126f, 1f); break;
            case SIGMOID: for (int i = 0; i < n; i++) { float s = y[i]; o[i] = a[i] * s * (1 - s); } break;
            default: for (int i = 0; i < n; i++) { float t = y[i]; o[i] = a[i] * (1 - t * t); }
        }
        return r;
    }

    static Tensor pow(Tensor x, double p) {
        Tensor src = x.dtype().isFloatingPoint() || (p == Math.rint(p) && p >= 0) ? x : x.to(DType.FLOAT32);
        Tensor c = src.contiguous();
        Tensor out = Tensor.allocate(src.dtype(), x.shape);
        int n = x.numel();
        if (c.dtype() == DType.FLOAT32) {
            float[] a = c.floats(), o = out.floats();
            if (p == 2) for (int i = 0; i < n; i++) { float v = a[c.offset + i]; o[i] = v * v; }
            else for (int i = 0; i < n; i++) o[i] = (float) Math.pow(a[c.offset + i], p);
        } else {
            for (int i = 0; i < n; i++) out.storage.set(i, Math.pow(c.storage.get(c.offset + i), p));
        }
        Node node = Node.attach("PowBackward0", g -> new Tensor[] {
            p == 0 ? Tensor.zerosLike(g[0]) : g[0].mul(x.pow(p - 1)).mul(p)}, out, x);
        if (node != null) node.save(x);
        return out;
    }

    /** clamp with NaN meaning "no bound" on that side. */
    static Tensor clamp(Tensor x, double min, double max) {
        Tensor out = Tensor.allocate(x.dtype(), x.shape);
        clampInto(x.contiguous(), out, min, max);
        Node node = Node.attach("ClampBackward1", g -> new Tensor[] {g[0].mul(inRange(x, min, max))}, out, x);
        if (node != null) node.save(x);
        return out;
    }

    static Tensor clampInPlace(Tensor x, double min, double max) {
        if (x.requiresGrad() && GradMode.isEnabled()) {
            throw new UnsupportedOperationException("clamp_ on a tensor that requires grad is not supported; use clamp");
        }
        x.beforeInPlace();
        Tensor out = Tensor.allocate(x.dtype(), x.shape);
        clampInto(x.contiguous(), out, min, max);
        x.copyRaw(out);
        return x;
    }

    private static void clampInto(Tensor c, Tensor out, double min, double max) {
        int n = c.numel();
        boolean lo = !Double.isNaN(min), hi = !Double.isNaN(max);
        if (c.dtype() == DType.FLOAT32) {
            float[] a = c.floats(), o = out.floats();
            float fmin = (float) min, fmax = (float) max;
            for (int i = 0; i < n; i++) {
                float v = a[c.offset + i];
                if (lo && v < fmin) v = fmin;
                if (hi && v > fmax) v = fmax;
                o[i] = v;
            }
        } else {
            for (int i = 0; i < n; i++) {
                double v = c.storage.get(c.offset + i);
                if (lo && v < min) v = min;
                if (hi && v > max) v = max;
                out.storage.set(i, v);
            }
        }
    }

    private static Tensor inRange(Tensor x, double min, double max) {
        Tensor c = x.contiguous();
        Tensor m = Tensor.allocate(x.dtype(), x.shape);
        for (int i = 0; i < x.numel(); i++) {
            double v = c.storage.get(c.offset + i);
            boolean in = (Double.isNaN(min) || v >= min) && (Double.isNaN(max) || v <= max);
            m.storage.set(i, in ? 1 : 0);
        }
        return m;
    }
}
