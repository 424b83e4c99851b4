package dev.nnlab.tensor;

import org.junit.jupiter.api.Test;

import static dev.nnlab.tensor.Grad.check;
import static dev.nnlab.tensor.Grad.randn;
import static dev.nnlab.tensor.Grad.transposed;
import static dev.nnlab.tensor.Grad.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** float64 gradchecks of the element-wise ops, with broadcasting and non-contiguous inputs. */
class PointwiseGradTest {
    @Test
    void addSubMulDivBroadcast() {
        Tensor a = randn(2, 3), b = randn(3), c = randn(2, 1);
        check(in -> in[0].add(in[1]), a, b);
        check(in -> in[0].sub(in[1]), a, c);
        check(in -> in[0].mul(in[1]), c, b);
        check(in -> in[0].add(in[1], 2.5), a, b);
        Tensor d = uniform(0.5, 2, 3);
        check(in -> in[0].div(in[1]), a, d);
        check(in -> in[1].div(in[0]), d, c);
    }

    @Test
    void binaryOnTransposedInputs() {
        Tensor a = transposed(3, 4), b = randn(3, 4);
        check(in -> in[0].mul(in[1]).add(in[0]), a, b);
        check(in -> in[1].sub(in[0]).div(in[1].abs().add(1)), a, b);
    }

    @Test
    void scalarOperands() {
        Tensor a = randn(2, 3);
        check(in -> in[0].add(1.5), a);
        check(in -> in[0].sub(0.5), a);
        check(in -> in[0].rsub(2), a);
        check(in -> in[0].mul(-3), a);
        check(in -> in[0].div(4), a);
        Tensor p = uniform(0.5, 2, 2, 3);
        check(in -> in[0].rdiv(2), p);
        check(in -> in[0].pow(3), a);
        check(in -> in[0].pow(2), a);
        check(in -> in[0].pow(-1.5), p);
        check(in -> in[0].pow(0.5), p);
    }

    @Test
    void powTensorExponent() {
        Tensor base = uniform(0.5, 2, 2, 3), exp = randn(3);
        check(in -> in[0].pow(in[1]), base, exp);
    }

    @Test
    void maximumMinimum() {
        Tensor a = randn(2, 3), b = randn(3);
        check(in -> in[0].maximum(in[1]), a, b);
        check(in -> in[0].minimum(in[1]), a, b);
    }

    @Test
    void maximumSplitsTiesLikePyTorch() {
        Tensor a = Tensor.tensor(DType.FLOAT64, 1, 2).requiresGrad_(), b = Tensor.tensor(DType.FLOAT64, 1, 3).requiresGrad_();
        a.maximum(b).sum().backward();
        assertArrayEquals(new double[] {0.5, 0}, a.grad().toDoubleArray());
        assertArrayEquals(new double[] {0.5, 1}, b.grad().toDoubleArray());
    }

    @Test
    void unaryEverywhereDifferentiable() {
        Tensor x = randn(3, 4);
        check(in -> in[0].neg(), x);
        check(in -> in[0].exp(), x);
        check(in -> in[0].expm1(), x);
        check(in -> in[0].sin(), x);
        check(in -> in[0].cos(), x);
        check(in -> in[0].sigmoid(), x);
        check(in -> in[0].tanh(), x);
        check(in -> in[0].square(), x);
    }

    @Test
    void unaryOnPositiveDomain() {
        Tensor x = uniform(0.2, 3, 3, 4);
        check(in -> in[0].log(), x);
        check(in -> in[0].log1p(), x);
        check(in -> in[0].sqrt(), x);
        check(in -> in[0].rsqrt(), x);
        check(in -> in[0].reciprocal(), x);
    }

    @Test
    void unaryWithKinksAwayFromTheKink() {
        Tensor x = awayFrom(randn(3, 4), 0, 0.05);
        check(in -> in[0].abs(), x);
        check(in -> in[0].relu(), x);
        check(in -> in[0].sign(), x);
        Tensor y = awayFrom(awayFrom(randn(3, 4), -0.5, 0.05), 0.5, 0.05);
        check(in -> in[0].clamp(-0.5, 0.5), y);
        check(in -> in[0].clampMin(-0.5), y);
        check(in -> in[0].clampMax(0.5), y);
    }

    @Test
    void unaryOnTransposedInput() {
        Tensor x = transposed(3, 4);
        check(in -> in[0].exp(), x);
        check(in -> in[0].tanh().mul(in[0].sigmoid()), x);
        check(in -> in[0].clamp(-0.3, 0.3), x);
        check(in -> in[0].pow(3), x);
    }

    @Test
    void inPlaceOpsOnNonLeaves() {
        Tensor a = randn(2, 3), b = uniform(0.5, 2, 3);
        check(in -> in[0].mul(1).add_(in[1]), a, b);
        check(in -> in[0].mul(1).sub_(in[1]), a, b);
        check(in -> in[0].mul(1).mul_(in[1]), a, b);
        check(in -> in[0].mul(1).div_(in[1]), a, b);
        check(in -> in[0].mul(1).exp_(), a);
        check(in -> in[0].mul(1).tanh_(), a);
        check(in -> in[0].mul(1).sigmoid_(), a);
    }

    @Test
    void compositeInPlaceOpsAndCopy() {
        Tensor a = randn(2, 3), b = randn(3), c = uniform(0.5, 2, 2, 3);
        check(in -> in[0].mul(1).addcmul_(in[1], in[2], 0.5), a, b, c);
        check(in -> in[0].mul(1).addcdiv_(in[1], in[2], -2), a, b, c);
        check(in -> in[0].mul(1).lerp_(in[1], 0.3), a, c);
        check(in -> in[0].mul(1).copy_(in[1]), a, b);
        check(in -> in[0].mul(2).copy_(in[1]).mul(in[0]), a, b);
    }

    @Test
    void gradFnNames() {
        Tensor a = randn(2), b = randn(2);
        assertEquals("AddBackward0", a.add(b).gradFn().name());
        assertEquals("MulBackward0", a.mul(b).gradFn().name());
        assertEquals("ExpBackward0", a.exp().gradFn().name());
        assertEquals("ClampBackward1", a.clamp(0, 1).gradFn().name());
        assertEquals("MaximumBackward0", a.maximum(b).gradFn().name());
    }

    /** Moves values within {@code margin} of {@code point} away from it, keeping the tensor a leaf. */
    static Tensor awayFrom(Tensor x, double point, double margin) {
        double[] v = x.toDoubleArray();
        for (int i = 0; i < v.length; i++) {
            if (Math.abs(v[i] - point) < margin) v[i] = point + (v[i] >= point ? margin : -margin) * 2;
        }
        return Tensor.fromFlat(v, x.shape()).requiresGrad_();
    }
}
