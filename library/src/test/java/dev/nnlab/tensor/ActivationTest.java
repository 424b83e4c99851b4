package dev.nnlab.tensor;

import dev.nnlab.autograd.GradCheck;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ActivationTest {
    private static Tensor dbl(int... shape) {
        return Tensor.randn(DType.FLOAT64, shape).mul(2).detach().requiresGrad_();
    }

    @Test
    void gradcheckEachActivation() {
        Tensor.manualSeed(1);
        assertTrue(GradCheck.gradcheck(in -> Activation.leakyRelu(in[0], 0.1), dbl(3, 4)));
        assertTrue(GradCheck.gradcheck(in -> Activation.elu(in[0], 0.7), dbl(3, 4)));
        assertTrue(GradCheck.gradcheck(in -> Activation.selu(in[0]), dbl(3, 4)));
        assertTrue(GradCheck.gradcheck(in -> Activation.silu(in[0]), dbl(3, 4)));
        assertTrue(GradCheck.gradcheck(in -> Activation.gelu(in[0], "none"), dbl(3, 4)));
        assertTrue(GradCheck.gradcheck(in -> Activation.gelu(in[0], "tanh"), dbl(3, 4)));
        assertTrue(GradCheck.gradcheck(in -> Activation.softplus(in[0], 2, 3), dbl(3, 4)));
    }

    @Test
    void gradcheckNonContiguousInput() {
        Tensor.manualSeed(2);
        Tensor x = dbl(4, 3);
        assertTrue(GradCheck.gradcheck(in -> Activation.elu(in[0].t(), 1.0), x));
        assertTrue(GradCheck.gradcheck(in -> Activation.gelu(in[0].t(), "none"), x));
    }

    @Test
    void float32MatchesFormulas() {
        Tensor x = Tensor.tensor(-2f, -0.5f, 0f, 0.5f, 3f);
        assertArrayEquals(new float[] {-0.2f, -0.05f, 0f, 0.5f, 3f}, Activation.leakyRelu(x, 0.1).toFloatArray(), 1e-7f);
        float[] elu = Activation.elu(x, 1).toFloatArray();
        assertEquals(Math.expm1(-2), elu[0], 1e-7);
        assertEquals(0.5, elu[3], 0);
        float[] sp = Activation.softplus(x, 1, 20).toFloatArray();
        assertEquals(Math.log1p(Math.exp(3)), sp[4], 1e-6);
        assertEquals(25f, Activation.softplus(Tensor.tensor(25f), 1, 20).item(), 0, "linear above threshold");
    }

    @Test
    void largeFloat32InputsMatchFloat64() {
        Tensor.manualSeed(3);
        Tensor x = Tensor.randn(300, 1000).mul(3).detach().requiresGrad_();
        Tensor x64 = x.detach().toDouble().requiresGrad_();
        Tensor g = Tensor.randn(300, 1000);
        for (int op = 0; op < 4; op++) {
            Tensor y = op == 0 ? Activation.leakyRelu(x, 0.1) : op == 1 ? Activation.elu(x, 0.7)
                    : op == 2 ? Activation.silu(x) : Activation.gelu(x, "tanh");
            Tensor y64 = op == 0 ? Activation.leakyRelu(x64, 0.1) : op == 1 ? Activation.elu(x64, 0.7)
                    : op == 2 ? Activation.silu(x64) : Activation.gelu(x64, "tanh");
            assertArrayEquals(y64.toFloatArray(), y.toFloatArray(), 2e-5f);
            y.backward(g);
            y64.backward(g.toDouble());
            assertArrayEquals(x64.grad().toFloatArray(), x.grad().toFloatArray(), 2e-5f);
            x.setGrad(null);
            x64.setGrad(null);
        }
    }

    @Test
    void eluGradientSurvivesInPlaceChangesOfItsOutput() {
        Tensor x = Tensor.tensor(-1f, 2f).requiresGrad_();
        Tensor y = Activation.elu(x, 1);
        y.mul_(3);
        y.sum().backward();
        assertArrayEquals(new float[] {(float) (3 * Math.exp(-1)), 3f}, x.grad().toFloatArray(), 1e-6f);
    }

    @Test
    void erfMatchesReferenceValues() {
        // Values of erf from Abramowitz and Stegun / mpmath.
        assertEquals(0.0, Activation.erf(0), 0);
        assertEquals(0.1124629160182849, Activation.erf(0.1), 1e-15);
        assertEquals(0.5204998778130465, Activation.erf(0.5), 1e-15);
        assertEquals(0.8427007929497149, Activation.erf(1), 1e-15);
        assertEquals(0.9953222650189527, Activation.erf(2), 1e-15);
        assertEquals(-0.9999779095030014, Activation.erf(-3), 1e-15);
        assertEquals(0.9999999845827421, Activation.erf(4), 1e-15);
        assertEquals(1.0, Activation.erf(7), 1e-16);
    }

    @Test
    void float32Expm1IsAccurateAcrossTheNegativeRange() {
        for (float v = -20f; v <= 0f; v += 0.001f) {
            double exact = Math.expm1(v);
            assertEquals(exact, Activation.expm1(v), 2e-7 * Math.abs(exact) + 1e-12, "at " + v);
        }
        assertEquals(-1e-6f, Activation.expm1(-1e-6f), 1e-12f);
    }

    @Test
    void gradFnNamesFollowPyTorch() {
        Tensor x = Tensor.randn(3).requiresGrad_();
        assertEquals("LeakyReluBackward0", Activation.leakyRelu(x, 0.01).gradFn().name());
        assertEquals("EluBackward0", Activation.selu(x).gradFn().name());
        assertEquals("GeluBackward0", Activation.gelu(x, "tanh").gradFn().name());
        assertEquals("SiluBackward0", Activation.silu(x).gradFn().name());
        assertEquals("SoftplusBackward0", Activation.softplus(x, 1, 20).gradFn().name());
    }

    @Test
    void integerInputIsRejectedLikePyTorch() {
        var e = assertThrows(UnsupportedOperationException.class, () -> Activation.elu(Tensor.tensor(1L), 1));
        assertEquals("\"elu_cpu\" not implemented for 'Long'", e.getMessage());
        e = assertThrows(UnsupportedOperationException.class, () -> SoftmaxOps.softmax(Tensor.tensor(1L), 0));
        assertEquals("\"softmax_lastdim_kernel_impl\" not implemented for 'Long'", e.getMessage());
    }

    @Test
    void badApproximateIsRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> Activation.gelu(Tensor.randn(2), "foo"));
        assertEquals("approximate argument must be either none or tanh.", e.getMessage());
    }
}
