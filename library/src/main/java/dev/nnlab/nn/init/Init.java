package dev.nnlab.nn.init;

import dev.nnlab.autograd.GradMode;
import dev.nnlab.autograd.NoGrad;
import dev.nnlab.tensor.Generator;
import dev.nnlab.tensor.Tensor;

import java.util.Set;

/**
 * Parameter initialisation, like {@code torch.nn.init}: every function fills its tensor in place
 * under no-grad and returns it; each has an overload taking a {@link Generator}.
 */
public final class Init {
    private static final Set<String> LINEAR = Set.of("linear", "conv1d", "conv2d", "conv3d",
            "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "sigmoid");

    private Init() { }

    /** The recommended gain for a nonlinearity, like {@code calculate_gain}; leaky_relu's slope defaults to 0.01. */
    public static double calculateGain(String nonlinearity) {
        return gain(nonlinearity, 0.01);
    }

    /** The gain with {@code param} as leaky_relu's negative slope (ignored by the others). */
    public static double calculateGain(String nonlinearity, double param) {
        return gain(nonlinearity, param);
    }

    private static double gain(String nonlinearity, double slope) {
        if (LINEAR.contains(nonlinearity)) return 1;
        switch (nonlinearity) {
            case "tanh": return 5.0 / 3;
            case "relu": return Math.sqrt(2.0);
            case "leaky_relu": return Math.sqrt(2.0 / (1 + slope * slope));
            case "selu": return 3.0 / 4;
            default: throw new IllegalArgumentException("Unsupported nonlinearity " + nonlinearity);
        }
    }

    /** {@code {fan_in, fan_out}} of a weight: size(1) and size(0) times the receptive field. */
    public static int[] calculateFanInAndFanOut(Tensor t) {
        if (t.dim() < 2) {
            throw new IllegalArgumentException(
                    "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions");
        }
        int receptive = 1;
        for (int d = 2; d < t.dim(); d++) receptive *= t.size(d);
        return new int[] {t.size(1) * receptive, t.size(0) * receptive};
    }

    private static int correctFan(Tensor t, String mode) {
        String m = mode.toLowerCase();
        if (!m.equals("fan_in") && !m.equals("fan_out")) {
            throw new IllegalArgumentException("Mode " + m + " not supported, please use one of ['fan_in', 'fan_out']");
        }
        int[] fans = calculateFanInAndFanOut(t);
        return m.equals("fan_in") ? fans[0] : fans[1];
    }

    // ---------------------------------------------------------------- plain distributions and constants

    public static Tensor uniform_(Tensor t) { return uniform_(t, 0, 1, Generator.global()); }
    public static Tensor uniform_(Tensor t, double a, double b) { return uniform_(t, a, b, Generator.global()); }

    /** Fills with U(a, b), like {@code nn.init.uniform_}. */
    public static Tensor uniform_(Tensor t, double a, double b, Generator g) {
        try (GradMode.Scope s = NoGrad.enter()) {
            return t.uniform_(a, b, g);
        }
    }

    public static Tensor normal_(Tensor t) { return normal_(t, 0, 1, Generator.global()); }
    public static Tensor normal_(Tensor t, double mean, double std) { return normal_(t, mean, std, Generator.global()); }

    /** Fills with N(mean, std²), like {@code nn.init.normal_}. */
    public static Tensor normal_(Tensor t, double mean, double std, Generator g) {
        try (GradMode.Scope s = NoGrad.enter()) {
            return t.normal_(mean, std, g);
        }
    }

    public static Tensor truncNormal_(Tensor t) { return truncNormal_(t, 0, 1, -2, 2, Generator.global()); }
    public static Tensor truncNormal_(Tensor t, double mean, double std, double a, double b) {
        return truncNormal_(t, mean, std, a, b, Generator.global());
    }

    /** Fills with N(mean, std²) truncated to [a, b] (rejection sampling, as PyTorch 2.x does). */
    public static Tensor truncNormal_(Tensor t, double mean, double std, double a, double b, Generator g) {
        if (!(a < b)) throw new IllegalArgumentException("trunc_normal_ expects a < b, but got a=" + a + ", b=" + b);
        if (std < 0) throw new IllegalArgumentException("normal expects std >= 0.0, but found std " + std);
        double p = normCdf((b - mean) / std) - normCdf((a - mean) / std);
        double[] v = new double[t.numel()];
        if (p > 0.3) {
            for (int i = 0; i < v.length; i++) {
                double x;
                do { x = mean + std * g.nextGaussian(); } while (x < a || x > b);
                v[i] = x;
            }
        } else {
            double mode = Math.max(a, Math.min(mean, b));
            double logPeak = -0.5 * Math.pow((mode - mean) / std, 2);
            for (int i = 0; i < v.length; i++) {
                double x;
                do { x = a + (b - a) * g.nextDouble(); }
                while (Math.log(g.nextDouble()) > -0.5 * Math.pow((x - mean) / std, 2) - logPeak);
                v[i] = x;
            }
        }
        return fill(t, v);
    }

    public static Tensor constant_(Tensor t, double value) {
        try (GradMode.Scope s = NoGrad.enter()) {
            return t.fill_(value);
        }
    }

    public static Tensor ones_(Tensor t) { return constant_(t, 1); }
    public static Tensor zeros_(Tensor t) { return constant_(t, 0); }

    /** The identity matrix on a 2-D tensor, like {@code nn.init.eye_}. */
    public static Tensor eye_(Tensor t) {
        if (t.dim() != 2) throw new IllegalArgumentException("Only tensors with 2 dimensions are supported");
        int n = t.size(0), m = t.size(1);
        double[] v = new double[n * m];
        for (int i = 0; i < Math.min(n, m); i++) v[i * m + i] = 1;
        return fill(t, v);
    }

    public static Tensor dirac_(Tensor t) { return dirac_(t, 1); }

    /** The Dirac delta on a 3/4/5-D conv weight, preserving the identity of each group's inputs. */
    public static Tensor dirac_(Tensor t, int groups) {
        int dims = t.dim();
        if (dims < 3 || dims > 5) throw new IllegalArgumentException("Only tensors with 3, 4, or 5 dimensions are supported");
        int[] sizes = t.shape();
        if (sizes[0] % groups != 0) throw new IllegalArgumentException("dim 0 must be divisible by groups");
        int perGroup = sizes[0] / groups;
        int minDim = Math.min(perGroup, sizes[1]);
        int[] strides = new int[dims];
        strides[dims - 1] = 1;
        for (int d = dims - 2; d >= 0; d--) strides[d] = strides[d + 1] * sizes[d + 1];
        int center = 0;
        for (int d = 2; d < dims; d++) center += (sizes[d] / 2) * strides[d];
        double[] v = new double[t.numel()];
        for (int g = 0; g < groups; g++) {
            for (int d = 0; d < minDim; d++) v[(g * perGroup + d) * strides[0] + d * strides[1] + center] = 1;
        }
        return fill(t, v);
    }

    // ---------------------------------------------------------------- fan-scaled

    public static Tensor xavierUniform_(Tensor t) { return xavierUniform_(t, 1, Generator.global()); }
    public static Tensor xavierUniform_(Tensor t, double gain) { return xavierUniform_(t, gain, Generator.global()); }

    /** U(-a, a) with a = gain·sqrt(6/(fan_in+fan_out)), like {@code xavier_uniform_}. */
    public static Tensor xavierUniform_(Tensor t, double gain, Generator g) {
        int[] fans = calculateFanInAndFanOut(t);
        double a = Math.sqrt(3.0) * gain * Math.sqrt(2.0 / (fans[0] + fans[1]));
        return uniform_(t, -a, a, g);
    }

    public static Tensor xavierNormal_(Tensor t) { return xavierNormal_(t, 1, Generator.global()); }
    public static Tensor xavierNormal_(Tensor t, double gain) { return xavierNormal_(t, gain, Generator.global()); }

    /** N(0, std²) with std = gain·sqrt(2/(fan_in+fan_out)), like {@code xavier_normal_}. */
    public static Tensor xavierNormal_(Tensor t, double gain, Generator g) {
        int[] fans = calculateFanInAndFanOut(t);
        return normal_(t, 0, gain * Math.sqrt(2.0 / (fans[0] + fans[1])), g);
    }

    public static Tensor kaimingUniform_(Tensor t) { return kaimingUniform_(t, 0, "fan_in", "leaky_relu", Generator.global()); }
    public static Tensor kaimingUniform_(Tensor t, double a) { return kaimingUniform_(t, a, "fan_in", "leaky_relu", Generator.global()); }
    public static Tensor kaimingUniform_(Tensor t, double a, String mode, String nonlinearity) {
        return kaimingUniform_(t, a, mode, nonlinearity, Generator.global());
    }

    /** U(-b, b) with b = gain·sqrt(3/fan), like {@code kaiming_uniform_}. */
    public static Tensor kaimingUniform_(Tensor t, double a, String mode, String nonlinearity, Generator g) {
        if (t.numel() == 0) return t;
        double bound = Math.sqrt(3.0) * calculateGain(nonlinearity, a) / Math.sqrt(correctFan(t, mode));
        return uniform_(t, -bound, bound, g);
    }

    public static Tensor kaimingNormal_(Tensor t) { return kaimingNormal_(t, 0, "fan_in", "leaky_relu", Generator.global()); }
    public static Tensor kaimingNormal_(Tensor t, double a) { return kaimingNormal_(t, a, "fan_in", "leaky_relu", Generator.global()); }
    public static Tensor kaimingNormal_(Tensor t, double a, String mode, String nonlinearity) {
        return kaimingNormal_(t, a, mode, nonlinearity, Generator.global());
    }

    /** N(0, std²) with std = gain/sqrt(fan), like {@code kaiming_normal_}. */
    public static Tensor kaimingNormal_(Tensor t, double a, String mode, String nonlinearity, Generator g) {
        if (t.numel() == 0) return t;
        return normal_(t, 0, calculateGain(nonlinearity, a) / Math.sqrt(correctFan(t, mode)), g);
    }

    // ---------------------------------------------------------------- structured

    public static Tensor orthogonal_(Tensor t) { return orthogonal_(t, 1, Generator.global()); }
    public static Tensor orthogonal_(Tensor t, double gain) { return orthogonal_(t, gain, Generator.global()); }

    /** A (semi-)orthogonal matrix times gain, from the QR of a Gaussian matrix, like {@code orthogonal_}. */
    public static Tensor orthogonal_(Tensor t, double gain, Generator g) {
        if (t.dim() < 2) throw new IllegalArgumentException("Only tensors with 2 or more dimensions are supported");
        if (t.numel() == 0) return t;
        int rows = t.size(0), cols = t.numel() / rows;
        boolean wide = rows < cols;
        int m = wide ? cols : rows, n = wide ? rows : cols;
        double[] a = new double[m * n];
        for (int i = 0; i < a.length; i++) a[i] = g.nextGaussian();
        double[] q = Qr.signFixedQ(a, m, n);
        double[] v = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) v[i * cols + j] = gain * (wide ? q[j * n + i] : q[i * n + j]);
        }
        return fill(t, v);
    }

    public static Tensor sparse_(Tensor t, double sparsity) { return sparse_(t, sparsity, 0.01, Generator.global()); }
    public static Tensor sparse_(Tensor t, double sparsity, double std) { return sparse_(t, sparsity, std, Generator.global()); }

    /** N(0, std²) with ceil(sparsity·rows) zeros in every column, like {@code sparse_}. */
    public static Tensor sparse_(Tensor t, double sparsity, double std, Generator g) {
        if (t.dim() != 2) throw new IllegalArgumentException("Only tensors with 2 dimensions are supported");
        if (std < 0) throw new IllegalArgumentException("normal expects std >= 0.0, but found std " + std);
        int rows = t.size(0), cols = t.size(1);
        int zeros = Math.min(rows, (int) Math.ceil(sparsity * rows));
        double[] v = new double[rows * cols];
        for (int i = 0; i < v.length; i++) v[i] = std * g.nextGaussian();
        int[] perm = new int[rows];
        for (int c = 0; c < cols; c++) {
            for (int i = 0; i < rows; i++) perm[i] = i;
            for (int i = 0; i < zeros; i++) {
                int j = i + (int) g.nextLong(rows - i);
                int tmp = perm[i];
                perm[i] = perm[j];
                perm[j] = tmp;
                v[perm[i] * cols + c] = 0;
            }
        }
        return fill(t, v);
    }

    /** Copies row-major values into {@code t} (any dtype and strides) under no-grad. */
    private static Tensor fill(Tensor t, double[] values) {
        try (GradMode.Scope s = NoGrad.enter()) {
            return t.copy_(Tensor.fromFlat(values, t.shape()));
        }
    }

    /** Φ(x) via erf (Abramowitz and Stegun 7.1.26, |error| < 1.5e-7); only steers the sampling strategy. */
    private static double normCdf(double x) {
        double z = Math.abs(x) / Math.sqrt(2.0);
        double k = 1 / (1 + 0.3275911 * z);
        double erf = 1 - k * (0.254829592 + k * (-0.284496736 + k * (1.421413741 + k * (-1.453152027 + k * 1.061405429))))
                * Math.exp(-z * z);
        return (1 + Math.signum(x) * erf) / 2;
    }
}
