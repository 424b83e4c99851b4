package dev.nnlab.tensor;

import dev.nnlab.autograd.Node;


/** Kernels behind F; use F. Element-wise activations with a parameter, each with its gradient below. */
public final class Activation {
    static final int LEAKY = 0, ELU = 1, GELU = 2, GELU_TANH = 3, SILU = 4, SOFTPLUS = 5;
    private static final String[] NAMES = {"LeakyReluBackward0", "EluBackward0", "GeluBackward0", "GeluBackward0",
        "SiluBackward0", "SoftplusBackward0"};
    private static final String[] KERNELS = {"leaky_relu_cpu", "elu_cpu", "GeluKernelImpl", "GeluKernelImpl", "silu_cpu",
        "softplus_cpu"};
    /** Element counts from which float32 loops split across the cores. */
    private static final double SELU_ALPHA = 1.6732632423543772848170429916717;
    private static final double SELU_SCALE = 1.0507009873554804934193349852946;
    private static final double SQRT_2_OVER_PI = 0.7978845608028654, INV_SQRT_2 = 0.7071067811865476;
    private static final double INV_SQRT_2PI = 0.3989422804014327, GELU_C = 0.044715;

    private Activation() { }

    public static Tensor leakyRelu(Tensor x, double slope) { return apply(LEAKY, x, slope, 0); }
    public static Tensor elu(Tensor x, double alpha) { return apply(ELU, x, alpha, 1); }
    public static Tensor selu(Tensor x) { return apply(ELU, x, SELU_ALPHA, SELU_SCALE); }
    public static Tensor silu(Tensor x) { return apply(SILU, x, 0, 0); }
    public static Tensor softplus(Tensor x, double beta, double threshold) { return apply(SOFTPLUS, x, beta, threshold); }

    public static Tensor gelu(Tensor x, String approximate) {
        if ("none".equals(approximate)) return apply(GELU, x, 0, 0);
        if ("tanh".equals(approximate)) return apply(GELU_TANH, x, 0, 0);
        throw new IllegalArgumentException("approximate argument must be either none or tanh.");
    }

    /** {@code op(x)} with parameters a, b (slope; alpha, scale; beta, threshold). */
    static Tensor apply(int op, Tensor x, double a, double b) {
        if (!x.dtype().isFloatingPoint()) {
            throw new UnsupportedOperationException("\"" + KERNELS[op] + "\" not implemented for '"
                    + (x.dtype() == DType.BOOL ? "Bool" : "Long") + "'");
        }
        Tensor c = x.dense();
        Tensor out = Tensor.allocate(x.dtype(), x.shape);
        int n = x.numel();
        if (x.dtype() == DType.FLOAT32) {
            forward(op, c.floats(), out.floats(), n, (float) a, (float) b);
        } else {
            double[] xs = (double[]) c.storage.array(), o = (double[]) out.storage.array();
            for (int i = 0; i < n; i++) o[i] = value(op, xs[c.offset + i], a, b);
        }
        int outVersion = out.version();
        // ELU's backward may use the output while it is unchanged; PyTorch saves only the input here.
        Node node = Node.attach(NAMES[op], g -> new Tensor[] {grad(op, g[0], c, out.version() == outVersion ? out : null,
                a, b)}, out, x);
        if (node != null) node.save(x);
        return out;
    }

    private static void forward(int op, float[] x, float[] o, int n, float a, float b) {
        switch (op) {
            case LEAKY:
                for (int i = 0; i < n; i++) o[i] = Math.max(x[i], 0f) + a * Math.min(x[i], 0f);
                break;
            case ELU:
                float ba = b * a;
                for (int i = 0; i < n; i++) o[i] = b * Math.max(x[i], 0f) + ba * expm1Rational(Math.min(x[i], 0f));
                if (!(min(x, n) >= -2 * Unary.TANH_RANGE)) {
                    for (int i = 0; i < n; i++) if (x[i] < -2 * Unary.TANH_RANGE) o[i] = ba * expm1(x[i]);
                }
                break;
            case SILU:
                for (int i = 0; i < n; i++) { float v = x[i]; o[i] = v / (1f + Unary.exp(-v)); }
                break;
            default:
                for (int i = 0; i < n; i++) o[i] = (float) value(op, x[i], a, b);
        }
    }

    /**
     * e^v - 1 = 2t / (1 - t) with t = tanh(v/2), for v >= -2 {@link Unary#TANH_RANGE}: no cancellation near 0,
     * and plain arithmetic that HotSpot vectorizes.
     */
    static float expm1Rational(float v) {
        float t = Unary.tanhRational(0.5f * v);
        return 2 * t / (1 - t);
    }

    /** min(0, x[i]...), NaN if any element is NaN; written as a max, the form HotSpot vectorizes (3x faster). */
    private static float min(float[] x, int n) {
        float m = 0;
        for (int i = 0; i < n; i++) m = Math.max(m, -x[i]);
        return -m;
    }

    /** 1 for every normal v > 0, 0 for v <= 0: a branch-free mask. */
    private static float positive(float v) {
        return Math.min(Math.max(v, 0f) * 0x1.0p126f, 1f);
    }

    /** e^v - 1 for v <= 0 in float32: a Taylor polynomial near 0 (no cancellation), the fast exp elsewhere. */
    static float expm1(float v) {
        if (v < -0.35f) return Unary.exp(v) - 1f;
        float p = 1.9841270e-4f;
        p = p * v + 1.3888889e-3f;
        p = p * v + 8.3333333e-3f;
        p = p * v + 4.1666667e-2f;
        p = p * v + 1.6666667e-1f;
        p = p * v + 0.5f;
        return (p * v + 1f) * v;
    }

    private static double value(int op, double v, double a, double b) {
        switch (op) {
            case LEAKY: return v > 0 ? v : v * a;
            case ELU: return v > 0 ? b * v : b * a * Math.expm1(v);
            case GELU: return 0.5 * v * (1 + erf(v * INV_SQRT_2));
            case GELU_TANH: return 0.5 * v * (1 + Math.tanh(SQRT_2_OVER_PI * (v + GELU_C * v * v * v)));
            case SILU: return v / (1 + Math.exp(-v));
            default: return v * a > b ? v : Math.log1p(Math.exp(v * a)) / a;
        }
    }

    private static double derivative(int op, double v, double a, double b) {
        switch (op) {
            case LEAKY: return v > 0 ? 1 : a;
            case ELU: return v > 0 ? b : b * a * Math.exp(v);
            case GELU: return 0.5 * (1 + erf(v * INV_SQRT_2)) + v * INV_SQRT_2PI * Math.exp(-0.5 * v * v);
            case GELU_TANH: {
                double inner = SQRT_2_OVER_PI * (v + GELU_C * v * v * v);
                double t = Math.tanh(inner);
                return 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * GELU_C * v * v);
            }
            case SILU: {
                double s = 1 / (1 + Math.exp(-v));
                return s * (1 + v * (1 - s));
            }
            default: return v * a > b ? 1 : 1 / (1 + Math.exp(-v * a));
        }
    }

    /** {@code g * op'(x)} in one pass over contiguous x. */
    private static Tensor grad(int op, Tensor g, Tensor x, Tensor y, double a, double b) {
        Tensor gc = g.contiguous();
        Tensor r = Tensor.allocate(x.dtype(), x.shape);
        int n = x.numel();
        if (x.dtype() == DType.FLOAT32 && g.dtype() == DType.FLOAT32) {
            float[] gs = g.dense().floats(), xs = x.dense().floats(), o = r.floats();
            float fa = (float) a, fb = (float) b;
            switch (op) {
                case LEAKY:
                    for (int i = 0; i < n; i++) {
                        float p = positive(xs[i]);
                        o[i] = gs[i] * (p + fa * (1 - p));
                    }
                    break;
                case ELU:
                    if (y != null) eluGradFromOutput(gs, xs, y.dense().floats(), o, n, fa, fb);
                    else eluGrad(gs, xs, o, n, fa, fb);
                    break;
                default:
                    for (int i = 0; i < n; i++) o[i] = (float) (gs[i] * derivative(op, xs[i], a, b));
            }
        } else {
            Storage gs = gc.storage, xs = x.storage, o = r.storage;
            for (int i = 0; i < n; i++) o.set(i, gs.get(gc.offset + i) * derivative(op, xs.get(x.offset + i), a, b));
        }
        return r;
    }


    /** For x <= 0 the ELU derivative b*a*e^x is y + b*a: no exp, about 3x faster than {@link #eluGrad}. */
    private static void eluGradFromOutput(float[] gs, float[] xs, float[] ys, float[] o, int n, float fa, float fb) {
        float ba = fb * fa;
        for (int i = 0; i < n; i++) {
            float p = positive(xs[i]);
            o[i] = gs[i] * (p * fb + (1 - p) * (ys[i] + ba));
        }
    }

    /** The ELU derivative times g, from the input. */
    private static void eluGrad(float[] gs, float[] xs, float[] o, int n, float fa, float fb) {
        for (int i = 0; i < n; i++) {
            float p = positive(xs[i]);
            o[i] = gs[i] * fb * (p + fa * (expm1Rational(Math.min(xs[i], 0f)) + 1) * (1 - p));
        }
        if (!(min(xs, n) >= -2 * Unary.TANH_RANGE)) {
            for (int i = 0; i < n; i++) if (xs[i] < -2 * Unary.TANH_RANGE) o[i] = gs[i] * fb * fa * Unary.exp(xs[i]);
        }
    }

    /** The error function to double precision (W. J. Cody's rational approximations, as in libm). */
    static double erf(double x) {
        double ax = Math.abs(x);
        if (ax < 0.5) {
            double t = x * x;
            double top = (((0.185777706184603153 * t + 3.16112374387056560) * t + 113.864154151050156) * t
                    + 377.485237685302021) * t + 3209.37758913846947;
            double bot = (((t + 23.6012909523441209) * t + 244.024637934444173) * t + 1282.61652607737228) * t
                    + 2844.23683343917062;
            return x * top / bot;
        }
        return Math.copySign(1 - erfcPositive(ax), x);
    }

    private static double erfcPositive(double x) {
        if (x > 26.6) return 0;
        double r;
        if (x < 4) {
            double top = (((((((2.15311535474403846e-8 * x + 5.64188496988670089e-1) * x + 8.88314979438837594) * x
                    + 66.1191906371416295) * x + 298.635138197400131) * x + 881.952221241769090) * x + 1712.04761263407058) * x
                    + 2051.07837782607147) * x + 1230.33935479799725;
            double bot = (((((((x + 15.7449261107098347) * x + 117.693950891312499) * x + 537.181101862009858) * x
                    + 1621.38957456669019) * x + 3290.79923573345963) * x + 4362.61909014324716) * x
                    + 3439.36767414372164) * x + 1230.33935480374942;
            r = top / bot;
        } else {
            double z = 1 / (x * x);
            double top = ((((1.63153871373020978e-2 * z + 3.05326634961232344e-1) * z + 3.60344899949804439e-1) * z
                    + 1.25781726111229246e-1) * z + 1.60837851487422766e-2) * z + 6.58749161529837803e-4;
            double bot = ((((z + 2.56852019228982242) * z + 1.87295284992346725) * z + 5.27905102951428412e-1) * z
                    + 6.05183413124413191e-2) * z + 2.33520497626869185e-3;
            r = (0.564189583547756287 - z * top / bot) / x;
        }
        return Math.exp(-x * x) * r;
    }
}
