package dev.nnlab.autograd;

import dev.nnlab.tensor.DType;
import dev.nnlab.tensor.Storage;
import dev.nnlab.tensor.Tensor;

import java.util.Arrays;
import java.util.function.Function;

/**
 * Compares analytical gradients (backward) with central finite differences, like
 * {@code torch.autograd.gradcheck}. Inputs that require grad must be float64.
 */
public final class GradCheck {
    private GradCheck() { }

    public static boolean gradcheck(Function<Tensor[], Tensor> fn, Tensor... inputs) {
        return gradcheck(fn, 1e-6, 1e-5, 1e-3, inputs);
    }

    /** Throws {@link IllegalStateException} describing the first mismatching Jacobian; returns true otherwise. */
    public static boolean gradcheck(Function<Tensor[], Tensor> fn, double eps, double atol, double rtol, Tensor... inputs) {
        for (int i = 0; i < inputs.length; i++) {
            Tensor t = inputs[i];
            if (t != null && t.requiresGrad() && t.dtype() != DType.FLOAT64) {
                throw new IllegalArgumentException("Input #" + i + " requires gradient and is not a double precision "
                        + "floating point. gradcheck needs float64 inputs (use .toDouble()).");
            }
        }
        Tensor out;
        try (var g = GradMode.set(true)) {
            out = fn.apply(inputs);
        }
        int nOut = out.numel();
        if (!out.requiresGrad()) throw new IllegalStateException("gradcheck: the output does not require grad");
        for (int i = 0; i < inputs.length; i++) {
            Tensor x = inputs[i];
            if (x == null || !x.requiresGrad()) continue;
            double[][] analytical = analytical(fn, inputs, i, nOut);
            double[][] numerical = numerical(fn, inputs, i, nOut, eps);
            for (int k = 0; k < numerical.length; k++) {
                for (int j = 0; j < nOut; j++) {
                    double a = analytical[k][j], n = numerical[k][j];
                    if (!(Math.abs(a - n) <= atol + rtol * Math.abs(n))) {
                        throw new IllegalStateException("Jacobian mismatch for output 0 with respect to input " + i
                                + " at element " + k + " (output element " + j + "),\nnumerical:" + n
                                + "\nanalytical:" + a + "\nnumerical row: " + Arrays.toString(numerical[k])
                                + "\nanalytical row: " + Arrays.toString(analytical[k]));
                    }
                }
            }
        }
        return true;
    }

    private static double[][] analytical(Function<Tensor[], Tensor> fn, Tensor[] inputs, int which, int nOut) {
        Tensor x = inputs[which];
        double[][] jac = new double[x.numel()][nOut];
        for (int j = 0; j < nOut; j++) {
            for (Tensor t : inputs) if (t != null && t.requiresGrad()) t.setGrad(null);
            Tensor out;
            try (var g = GradMode.set(true)) {
                out = fn.apply(inputs);
            }
            Tensor seed = Tensor.zeros(out.dtype(), out.shape());
            seed.storage().set(j, 1);
            out.backward(seed);
            Tensor grad = x.grad();
            if (grad == null) continue;
            double[] gv = grad.toDoubleArray();
            for (int k = 0; k < gv.length; k++) jac[k][j] = gv[k];
        }
        for (Tensor t : inputs) if (t != null && t.requiresGrad()) t.setGrad(null);
        return jac;
    }

    private static double[][] numerical(Function<Tensor[], Tensor> fn, Tensor[] inputs, int which, int nOut, double eps) {
        Tensor x = inputs[which];
        int[] offsets = storageOffsets(x);
        Storage s = x.storage();
        double[][] jac = new double[offsets.length][nOut];
        try (var g = GradMode.set(false)) {
            for (int k = 0; k < offsets.length; k++) {
                double orig = s.get(offsets[k]);
                s.set(offsets[k], orig + eps);
                double[] plus = fn.apply(inputs).toDoubleArray();
                s.set(offsets[k], orig - eps);
                double[] minus = fn.apply(inputs).toDoubleArray();
                s.set(offsets[k], orig);
                for (int j = 0; j < nOut; j++) jac[k][j] = (plus[j] - minus[j]) / (2 * eps);
            }
        }
        return jac;
    }

    /** The storage offset of each element of x in row-major order. */
    private static int[] storageOffsets(Tensor x) {
        int n = x.numel();
        int[] shape = x.shape(), stride = x.stride();
        int[] out = new int[n];
        int[] idx = new int[shape.length];
        for (int e = 0; e < n; e++) {
            int p = x.storageOffset();
            for (int d = 0; d < shape.length; d++) p += idx[d] * stride[d];
            out[e] = p;
            for (int d = shape.length - 1; d >= 0; d--) {
                if (++idx[d] < shape[d]) break;
                idx[d] = 0;
            }
        }
        return out;
    }
}
