package dev.nnlab.autograd;

import dev.nnlab.tensor.DType;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Misuse of autograd gets PyTorch's error text; anomaly mode names the failing backward and its forward. */
class AutogradErrorTest {
    private static Tensor leaf(double... v) {
        return Tensor.tensor(DType.FLOAT32, v).requiresGrad_();
    }

    @Test
    void backwardTwiceThroughAFreedGraph() {
        Tensor x = leaf(1, 2);
        Tensor y = x.exp().sum();
        y.backward();
        var e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().startsWith("Trying to backward through the graph a second time (or directly access "
                + "saved tensors after they have already been freed)."), e.getMessage());
    }

    @Test
    void retainGraphAllowsASecondBackward() {
        Tensor x = leaf(1, 2);
        Tensor y = x.exp().sum();
        y.backward(null, true);
        y.backward();
        assertArrayEquals(new float[] {(float) (2 * Math.E), (float) (2 * Math.exp(2))}, x.grad().toFloatArray(), 1e-5f);
    }

    @Test
    void savedOutputModifiedInPlace() {
        Tensor x = leaf(1, 1, 1);
        Tensor y = x.exp();
        y.add_(1);
        var e = assertThrows(IllegalStateException.class, () -> y.sum().backward());
        assertEquals("one of the variables needed for gradient computation has been modified by an inplace operation: "
                + "[torch.FloatTensor [3]], which is output 0 of Exp, is at version 1; expected version 0 instead. Hint: "
                + "enable anomaly detection to find the operation that failed to compute its gradient, with "
                + "AnomalyMode.detectAnomaly().", e.getMessage());
    }

    @Test
    void savedInputModifiedInPlace() {
        Tensor x = leaf(1, 1, 1);
        Tensor a = x.mul(1), b = a.mul(a);
        a.add_(1);
        var e = assertThrows(IllegalStateException.class, () -> b.sum().backward());
        assertTrue(e.getMessage().startsWith("one of the variables needed for gradient computation has been modified by "
                + "an inplace operation: [torch.FloatTensor [3]], which is output 0 of Add, is at version 1; expected "
                + "version 0 instead."), e.getMessage());
        Tensor w = Tensor.ones(3), c = x.mul(w);
        w.add_(1);
        var f = assertThrows(IllegalStateException.class, () -> c.sum().backward());
        assertTrue(f.getMessage().contains("[torch.FloatTensor [3]] is at version 1; expected version 0 instead."),
                f.getMessage());
    }

    @Test
    void nonScalarWithoutGradient() {
        Tensor x = leaf(1, 2);
        var e = assertThrows(IllegalStateException.class, () -> x.mul(2).backward());
        assertEquals("grad can be implicitly created only for scalar outputs", e.getMessage());
    }

    @Test
    void leafInPlace() {
        Tensor x = leaf(1, 2);
        var e = assertThrows(IllegalStateException.class, () -> x.add_(1));
        assertEquals("a leaf Variable that requires grad is being used in an in-place operation.", e.getMessage());
        assertArrayEquals(new float[] {1, 2}, x.toFloatArray());
        assertEquals(0, x.version());
        try (var g = NoGrad.enter()) {
            x.add_(1);
        }
        assertArrayEquals(new float[] {2, 3}, x.toFloatArray());
    }

    @Test
    void inPlaceOnAViewOfALeafOrOfAGraphTensor() {
        Tensor x = leaf(1, 2);
        var e = assertThrows(IllegalStateException.class, () -> x.narrow(0, 0, 1).add_(1));
        assertEquals("a view of a leaf Variable that requires grad is being used in an in-place operation.", e.getMessage());
        assertArrayEquals(new float[] {1, 2}, x.toFloatArray());
        Tensor y = x.mul(1);
        Tensor v;
        try (var g = NoGrad.enter()) {
            v = y.select(0, 0);
        }
        var f = assertThrows(IllegalStateException.class, () -> v.mul_(2));
        assertTrue(f.getMessage().startsWith("A view was created in no_grad mode and is being modified inplace with grad "
                + "mode enabled."), f.getMessage());
        assertArrayEquals(new float[] {1, 2}, y.toFloatArray());
        try (var g = NoGrad.enter()) {
            x.narrow(0, 0, 1).add_(1);
        }
        assertArrayEquals(new float[] {2, 2}, x.toFloatArray());
        Tensor plain = Tensor.zeros(3);
        plain.narrow(0, 1, 2).fill_(5);
        assertArrayEquals(new float[] {0, 5, 5}, plain.toFloatArray());
    }

    @Test
    void matmulShapeMismatch() {
        Tensor a = Tensor.randn(64, 100).requiresGrad_(), b = Tensor.randn(50, 10);
        var e = assertThrows(IllegalArgumentException.class, () -> a.matmul(b));
        assertEquals("mat1 and mat2 shapes cannot be multiplied (64x100 and 50x10)", e.getMessage());
    }

    @Test
    void anomalyModeNamesTheBackwardThatMadeNaNAndCarriesTheForwardTrace() {
        Tensor x = Tensor.zeros(1).requiresGrad_();
        IllegalStateException e;
        try (var a = AnomalyMode.detectAnomaly()) {
            Tensor y = x.sqrt().mul(0).sum();
            e = assertThrows(IllegalStateException.class, y::backward);
        }
        assertEquals("Function 'SqrtBackward0' returned nan values in its 0th output.", e.getMessage());
        assertEquals(1, e.getSuppressed().length);
        Throwable forward = e.getSuppressed()[0];
        assertTrue(forward.getMessage().contains("Traceback of forward call"), forward.getMessage());
        assertTrue(Arrays.stream(forward.getStackTrace()).anyMatch(f -> f.getMethodName().startsWith("anomalyMode")),
                "forward trace should include the test's forward call");
        assertTrue(!AnomalyMode.isEnabled());
        Tensor z = x.sqrt().mul(0).sum();
        z.backward();
        assertNotNull(x.grad());
        assertTrue(Double.isNaN(x.grad().item()));
    }
}
