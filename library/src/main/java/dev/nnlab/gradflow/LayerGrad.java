package dev.nnlab.gradflow;

import dev.nnlab.tensor.DType;
import dev.nnlab.tensor.Tensor;

/**
 * One parameter's gradient after backward: mean, max and L2 norm of |grad|, the fraction of exact zeros and the
 * count of NaN/Inf values; with an optimizer step also the log10 update:parameter ratio and the L2 distance from the
 * weights when watching began. A parameter without a gradient has {@code hasGrad() == false} and NaN numbers.
 *
 * @param name        dotted parameter name, like {@code 0.weight}
 * @param type        the class of the module that owns it, like {@code Linear}
 * @param shape       the parameter's shape, like {@code [32, 10]}
 * @param frozen      {@code requires_grad=False}
 * @param hasGrad     a gradient arrived in this backward
 * @param updateRatio log10(mean |update| / mean |param|) of the last optimizer step, NaN when none was seen
 * @param distance    L2 distance from the weights at the start of watching, NaN when not watched
 */
public record LayerGrad(String name, String type, String shape, boolean frozen, boolean hasGrad, double meanAbs,
                        double maxAbs, double norm, double zeroFraction, long nonFinite, double updateRatio,
                        double distance) {

    /** The statistics of {@code param.grad()} (a row saying so when it is null). */
    static LayerGrad measure(String name, String type, Tensor param) {
        String shape = Tensor.shapeString(param.shape());
        Tensor g = param.grad();
        if (g == null) return missing(name, type, shape, !param.requiresGrad());
        double sum = 0, max = 0, sq = 0;
        long zeros = 0, bad = 0;
        int n = g.numel();
        if (g.dtype() == DType.FLOAT64) {
            double[] v = g.toDoubleArray();
            for (double x : v) {
                double a = Math.abs(x);
                sum += a;
                sq += a * a;
                max = Math.max(max, a);
                if (x == 0) zeros++;
            }
            // a NaN or Inf makes the sum non-finite: count them only then
            if (!Double.isFinite(sum)) for (double x : v) if (!Double.isFinite(x)) bad++;
        } else {
            float[] v = g.toFloatArray();
            // float32 is the hot path: two partial sums of each kind break the chains of dependent adds
            double s1 = 0, q1 = 0;
            float m0 = 0, m1 = 0;
            int i = 0;
            for (; i + 1 < v.length; i += 2) {
                float a0 = Math.abs(v[i]), a1 = Math.abs(v[i + 1]);
                sum += a0;
                s1 += a1;
                sq += (double) a0 * a0;
                q1 += (double) a1 * a1;
                m0 = Math.max(m0, a0);
                m1 = Math.max(m1, a1);
                zeros += (a0 == 0 ? 1 : 0) + (a1 == 0 ? 1 : 0);
            }
            for (; i < v.length; i++) {
                float a0 = Math.abs(v[i]);
                sum += a0;
                sq += (double) a0 * a0;
                m0 = Math.max(m0, a0);
                zeros += a0 == 0 ? 1 : 0;
            }
            sum += s1;
            sq += q1;
            max = Math.max(m0, m1);
            if (!Double.isFinite(sum)) for (float x : v) if (!Float.isFinite(x)) bad++;
        }
        return new LayerGrad(name, type, shape, !param.requiresGrad(), true, n == 0 ? 0 : sum / n, max,
                Math.sqrt(sq), n == 0 ? 0 : (double) zeros / n, bad, Double.NaN, Double.NaN);
    }

    static LayerGrad missing(String name, String type, String shape, boolean frozen) {
        return new LayerGrad(name, type, shape, frozen, false, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0,
                Double.NaN, Double.NaN);
    }

    LayerGrad withStep(double ratio, double dist) {
        return new LayerGrad(name, type, shape, frozen, hasGrad, meanAbs, maxAbs, norm, zeroFraction, nonFinite,
                ratio, dist);
    }

    /** A bias: the last part of the name contains "bias" (the {@code plot_grad_flow} convention). */
    public boolean isBias() {
        return name.substring(name.lastIndexOf('.') + 1).contains("bias");
    }

    /** The owning module's path, like {@code 0} for {@code 0.weight} ("" for the root). */
    public String layer() {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(0, dot);
    }

    /** What the row says instead of numbers: "" with a gradient, else why there is none. */
    public String note() {
        if (hasGrad) return nonFinite > 0 ? nonFinite + " NaN/Inf" : "";
        return frozen ? "frozen (requires_grad=False)" : "no gradient (not used in forward?)";
    }
}
