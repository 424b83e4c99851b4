package dev.nnlab.tensor;

import dev.nnlab.nn.functional.F;
import org.junit.jupiter.api.Test;

import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The float32 fast paths (rational tanh, fast exp, branch-free masks) against the float64 path, over a wide range. */
class FastKernelTest {
    private static Tensor wideInputs() {
        Generator g = new Generator(11);
        int n = 40_000;
        double[] v = new double[n + 8];
        for (int i = 0; i < n; i++) v[i] = (g.nextDouble() * 2 - 1) * (i % 4 == 0 ? 120 : i % 4 == 1 ? 20 : i % 4 == 2 ? 5 : 1e-3);
        double[] special = {0, -0.0, 1e-30, -1e-30, 88.7, -88.7, 1e4, -1e4};
        System.arraycopy(special, 0, v, n, special.length);
        return Tensor.tensor(v);
    }

    private static void check(String name, UnaryOperator<Tensor> f, double rtol, double atol) {
        Tensor x = wideInputs();
        double[] fast = f.apply(x).toDoubleArray();
        double[] exact = f.apply(x.toDouble()).toDoubleArray();
        double[] in = x.toDoubleArray();
        for (int i = 0; i < fast.length; i++) {
            double e = (float) exact[i];
            if (fast[i] == e || Double.isNaN(fast[i]) && Double.isNaN(e)) continue;
            assertTrue(Math.abs(fast[i] - e) <= atol + rtol * Math.abs(e),
                    name + "(" + in[i] + ") = " + fast[i] + ", expected " + e);
        }
    }

    @Test
    void forwardMatchesDoublePrecision() {
        check("sigmoid", Tensor::sigmoid, 1e-5, 1e-7);
        check("tanh", Tensor::tanh, 1e-5, 1e-7);
        check("exp", Tensor::exp, 1e-6, 1e-38);
        check("relu", Tensor::relu, 0, 0);
        check("elu", t -> F.elu(t, 1.0), 1e-5, 1e-7);
        check("selu", F::selu, 1e-5, 1e-7);
        check("leaky_relu", t -> F.leakyRelu(t, 0.1), 1e-6, 0);
    }

    /** Float32 tolerances of the PyTorch fixtures: derivatives like 1 - tanh^2 cancel, as they do in PyTorch. */
    @Test
    void gradientsMatchDoublePrecision() {
        for (String op : new String[] {"sigmoid", "tanh", "relu", "elu", "leaky_relu"}) {
            UnaryOperator<Tensor> f = op.equals("sigmoid") ? Tensor::sigmoid : op.equals("tanh") ? Tensor::tanh
                    : op.equals("relu") ? Tensor::relu : op.equals("elu") ? t -> F.elu(t, 0.7) : t -> F.leakyRelu(t, 0.1);
            check(op + "'", t -> {
                Tensor leaf = t.detach().requiresGrad_();
                f.apply(leaf).sum().backward();
                return leaf.grad();
            }, 1e-5, 1e-6);
        }
    }

    @Test
    void nanAndInfinityPropagateLikePyTorch() {
        Tensor x = Tensor.tensor(Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1f);
        assertTrue(Double.isNaN(x.sigmoid().get(0)));
        assertEquals(1.0, x.sigmoid().get(1));
        assertEquals(0.0, x.sigmoid().get(2));
        assertEquals(-1.0, x.tanh().get(2));
        assertTrue(Double.isNaN(x.relu().get(0)));
        assertEquals(Double.POSITIVE_INFINITY, x.exp().get(1));
        assertEquals(0.0, x.exp().get(2));
        assertEquals(-1.0, F.elu(x, 1.0).get(2));
    }
}
