package dev.nnlab.tensor;

import dev.nnlab.autograd.GradCheck;

import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Test inputs in float64 and a gradcheck that fails the test with the Jacobian mismatch. */
final class Grad {
    private static final Generator GEN = new Generator(1234);

    private Grad() { }

    /** Standard normal float64 leaf that requires grad. */
    static Tensor randn(int... shape) {
        return Tensor.randn(GEN, shape).toDouble().requiresGrad_();
    }

    /** Uniform in [lo, hi), float64, requires grad. */
    static Tensor uniform(double lo, double hi, int... shape) {
        return Tensor.rand(GEN, shape).toDouble().mul(hi - lo).add(lo).detach().requiresGrad_();
    }

    /** A float64 leaf whose values are a transposed (non-contiguous) view of fresh data, requiring grad. */
    static Tensor transposed(int rows, int cols) {
        Tensor base = Tensor.randn(GEN, cols, rows).toDouble();
        Tensor t = base.t();
        t.requiresGrad_();
        return t;
    }

    static void check(Function<Tensor[], Tensor> fn, Tensor... inputs) {
        assertTrue(GradCheck.gradcheck(fn, inputs));
    }
}
