package dev.nnlab.autograd;

import dev.nnlab.tensor.DType;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Graph building, gradient accumulation, retainGrad, grad mode. */
class AutogradTest {
    private static Tensor leaf(double... v) {
        return Tensor.tensor(DType.FLOAT64, v).requiresGrad_();
    }

    @Test
    void gradientsAccumulateIntoLeavesAcrossBackwards() {
        Tensor x = leaf(1, 2, 3);
        x.mul(x).sum().backward();
        assertArrayEquals(new double[] {2, 4, 6}, x.grad().toDoubleArray());
        x.mul(3).sum().backward();
        assertArrayEquals(new double[] {5, 7, 9}, x.grad().toDoubleArray());
        x.setGrad(null);
        x.sum().backward();
        assertArrayEquals(new double[] {1, 1, 1}, x.grad().toDoubleArray());
    }

    @Test
    void diamondGraphSumsBothPaths() {
        Tensor x = leaf(2);
        Tensor y = x.mul(3);
        y.mul(y).add(y.exp()).sum().backward();
        assertEquals(2 * 6 * 3 + 3 * Math.exp(6), x.grad().item(), 1e-9);
    }

    @Test
    void nonScalarBackwardTakesAGradient() {
        Tensor x = leaf(1, 2);
        x.mul(x).backward(Tensor.tensor(DType.FLOAT64, 10, 100));
        assertArrayEquals(new double[] {20, 400}, x.grad().toDoubleArray());
    }

    @Test
    void retainGradKeepsIntermediateGradients() {
        Tensor x = leaf(1, 2);
        Tensor y = x.mul(2), z = y.mul(y);
        y.retainGrad();
        assertTrue(y.retainsGrad());
        z.sum().backward();
        assertArrayEquals(new double[] {4, 8}, y.grad().toDoubleArray());
        assertNull(z.grad());
        assertArrayEquals(new double[] {8, 16}, x.grad().toDoubleArray());
    }

    @Test
    void retainGradRunsAfterTheTensorsOtherHooksLikePyTorch() {
        Tensor x = leaf(1, 1);
        Tensor y = x.mul(1);
        y.retainGrad();
        y.registerHook(g -> g.mul(2));
        y.sum().backward();
        assertArrayEquals(new double[] {2, 2}, y.grad().toDoubleArray());
        assertArrayEquals(new double[] {2, 2}, x.grad().toDoubleArray());
    }

    @Test
    void fillAndZeroOnAGraphTensorSendZeroGradients() {
        Tensor x = leaf(1, 2);
        Tensor y = x.mul(2);
        y.fill_(3);
        assertEquals("FillBackward2", y.gradFn().name());
        y.mul(x).sum().backward();
        assertArrayEquals(new double[] {3, 3}, x.grad().toDoubleArray());
        Tensor z = x.mul(2).zero_();
        assertEquals("ZeroBackward0", z.gradFn().name());
    }

    @Test
    void inPlaceOnAViewRewritesTheBaseHistoryLikePyTorch() {
        Tensor x = leaf(1, 2, 3);
        Tensor y = x.mul(x);
        Tensor v = y.narrow(0, 1, 2);
        v.mul_(10);
        assertEquals("CopySlices", y.gradFn().name());
        assertEquals("AsStridedBackward0", v.gradFn().name());
        assertArrayEquals(new double[] {1, 40, 90}, y.toDoubleArray());
        y.sum().backward();
        assertArrayEquals(new double[] {2, 40, 60}, x.grad().toDoubleArray());
        x.setGrad(null);
        Tensor z = x.mul(2);
        z.select(0, 0).copy_(Tensor.scalar(7, DType.FLOAT64));
        z.select(0, 2).exp_();
        z.mul(z.select(0, 1)).sum().backward();
        double z2 = Math.exp(6);
        // sum(z * z[1]) = (7 + z1 + e^{2 x2}) z1 with z1 = 2 x1 = 4
        assertArrayEquals(new double[] {0, 2 * (7 + 2 * 4 + z2), 4 * 2 * z2}, x.grad().toDoubleArray(), 1e-9);
    }

    @Test
    void siblingViewsSeeAnInPlaceChangeMadeThroughAnotherView() {
        Tensor x = leaf(1, 2);
        Tensor y = x.mul(1);
        Tensor a = y.narrow(0, 0, 1), b = y.narrow(0, 0, 2);
        a.mul_(3);
        assertEquals("AsStridedBackward0", b.gradFn().name());
        b.sum().backward();
        assertArrayEquals(new double[] {3, 1}, x.grad().toDoubleArray());
        x.setGrad(null);
        Tensor z = x.mul(1);
        Tensor c = z.narrow(0, 1, 1);
        z.mul_(5);
        c.sum().backward();
        assertArrayEquals(new double[] {0, 5}, x.grad().toDoubleArray());
        x.setGrad(null);
        Tensor w = x.mul(1);
        Tensor d = w.narrow(0, 0, 1), e = w.narrow(0, 0, 2);
        d.mul_(2);
        e.mul_(3);
        w.sum().backward();
        assertArrayEquals(new double[] {6, 3}, x.grad().toDoubleArray());
    }

    @Test
    void copyIntoAGraphTensorCutsItsOldHistory() {
        Tensor x = leaf(1, 2);
        Tensor y = x.mul(2);
        y.copy_(Tensor.tensor(DType.FLOAT64, 5, 6));
        y.mul(x).sum().backward();
        assertArrayEquals(new double[] {5, 6}, x.grad().toDoubleArray());
    }

    @Test
    void inPlaceOnViewsPassesGradcheck() {
        Tensor x = Tensor.randn(DType.FLOAT64, 3, 4).requiresGrad_();
        Tensor w = Tensor.randn(DType.FLOAT64, 4).requiresGrad_();
        assertTrue(GradCheck.gradcheck(in -> {
            Tensor y = in[0].mul(1);
            y.select(0, 1).mul_(in[1]);
            y.slice(1, 1, 4, 2).add_(in[1].narrow(0, 0, 2));
            y.narrow(1, 0, 2).sigmoid_();
            return y.mul(y);
        }, x, w));
    }

    @Test
    void noGradKeepsNoGraph() {
        Tensor x = leaf(1, 2);
        Tensor y;
        try (var g = NoGrad.enter()) {
            y = x.mul(2).exp().sum();
            assertFalse(GradMode.isEnabled());
        }
        assertNull(y.gradFn());
        assertFalse(y.requiresGrad());
        assertTrue(GradMode.isEnabled());
        assertEquals("MulBackward0", x.mul(2).gradFn().name());
        var e = assertThrows(IllegalStateException.class, y::backward);
        assertEquals("element 0 of tensors does not require grad and does not have a grad_fn", e.getMessage());
    }

    @Test
    void detachLeavesTheGraphButSharesData() {
        Tensor x = leaf(1, 2);
        Tensor d = x.mul(2).detach();
        assertNull(d.gradFn());
        assertFalse(d.requiresGrad());
        Tensor y = x.mul(x.detach());
        y.sum().backward();
        assertArrayEquals(new double[] {1, 2}, x.grad().toDoubleArray());
    }

    @Test
    void gradFnGraphIsInspectable() {
        Tensor x = leaf(1, 2), w = leaf(3, 4);
        Tensor y = x.mul(w).sum();
        Node sum = y.gradFn();
        assertEquals("SumBackward0", sum.name());
        Node mul = sum.nextFunctions().get(0).node();
        assertEquals("MulBackward0", mul.name());
        assertEquals("AccumulateGrad", mul.nextFunctions().get(0).node().name());
        assertTrue(x.isLeaf());
        assertFalse(y.isLeaf());
    }

    @Test
    void gradcheckCatchesAWrongBackward() {
        Tensor x = Tensor.randn(DType.FLOAT64, 3).requiresGrad_();
        var e = assertThrows(IllegalStateException.class, () -> GradCheck.gradcheck(in -> {
            Tensor out = in[0].detach().mul(in[0].detach());
            Node.attach("WrongSquareBackward", g -> new Tensor[] {g[0].mul(in[0].detach())}, out, in[0]);
            return out;
        }, x));
        assertTrue(e.getMessage().startsWith("Jacobian mismatch for output 0 with respect to input 0"), e.getMessage());
    }
}
