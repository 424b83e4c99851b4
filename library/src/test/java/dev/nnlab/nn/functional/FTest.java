package dev.nnlab.nn.functional;

import dev.nnlab.autograd.GradCheck;
import dev.nnlab.tensor.DType;
import dev.nnlab.tensor.Generator;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** F's compositions and argument handling; the kernels have their own tests in dev.nnlab.tensor. */
class FTest {
    private static Tensor dbl(int... shape) {
        return Tensor.randn(DType.FLOAT64, shape).detach().requiresGrad_();
    }

    @Test
    void gradcheckCrossEntropyThroughLogSoftmax() {
        Tensor.manualSeed(70);
        Tensor t = Tensor.tensor(2L, 0L, 3L);
        Tensor w = Tensor.tensor(DType.FLOAT64, 1, 2, 0.5, 1);
        assertTrue(GradCheck.gradcheck(in -> F.crossEntropy(in[0], t), dbl(3, 4)));
        assertTrue(GradCheck.gradcheck(in -> F.crossEntropy(in[0], t, w, 0, "mean", 0.1), dbl(3, 4)));
        Tensor probs = F.softmax(Tensor.randn(DType.FLOAT64, 3, 4), 1);
        assertTrue(GradCheck.gradcheck(in -> F.crossEntropy(in[0], probs, w, -100, "mean", 0.2), dbl(3, 4)));
    }

    @Test
    void gradcheckCompositions() {
        Tensor.manualSeed(71);
        assertTrue(GradCheck.gradcheck(in -> F.l1Loss(in[0], in[1]), dbl(3, 4), dbl(3, 4)));
        assertTrue(GradCheck.gradcheck(in -> F.normalize(in[0], 2, 1), dbl(3, 4)));
        assertTrue(GradCheck.gradcheck(in -> F.normalize(in[0], 3, 0), dbl(3, 4)));
        assertTrue(GradCheck.gradcheck(in -> F.cosineSimilarity(in[0], in[1], 1), dbl(3, 4), dbl(3, 4)));
        assertTrue(GradCheck.gradcheck(in -> F.bilinear(in[0], in[1], in[2], in[3]), dbl(2, 3), dbl(2, 4), dbl(5, 3, 4), dbl(5)));
        assertTrue(GradCheck.gradcheck(in -> F.gelu(in[0], "tanh"), dbl(6)));
    }

    @Test
    void gradcheckCoreActivationsThroughF() {
        Tensor.manualSeed(73);
        assertTrue(GradCheck.gradcheck(in -> F.relu(in[0]), dbl(3, 4)));
        assertTrue(GradCheck.gradcheck(in -> F.sigmoid(in[0]), dbl(3, 4)));
        assertTrue(GradCheck.gradcheck(in -> F.tanh(in[0]), dbl(3, 4)));
        assertTrue(GradCheck.gradcheck(in -> F.relu_(in[0].mul(1.0)), dbl(3, 4)));
        assertTrue(GradCheck.gradcheck(in -> F.softplus(in[0].mul(10), 1, 5), dbl(3, 4)));
    }

    @Test
    void zeroVectorsGetFiniteGradientsLikePyTorch() {
        Tensor x = Tensor.zeros(1, 3).requiresGrad_();
        F.normalize(x).sum().backward();
        assertArrayEquals(new float[] {1e12f, 1e12f, 1e12f}, x.grad().toFloatArray(), 1e6f);
        Tensor z = Tensor.zeros(1, 3).requiresGrad_();
        F.cosineSimilarity(z, Tensor.ones(1, 3), 1).sum().backward();
        assertArrayEquals(new float[] {5.7735e7f, 5.7735e7f, 5.7735e7f}, z.grad().toFloatArray(), 1e3f);
    }

    @Test
    void crossEntropyOfUniformLogitsIsLogC() {
        Tensor logits = Tensor.zeros(4, 10);
        assertEquals(Math.log(10), F.crossEntropy(logits, Tensor.tensor(1L, 2L, 3L, 9L)).item(), 1e-6);
        assertEquals(Math.log(10), F.crossEntropy(Tensor.zeros(10), Tensor.scalar(3, DType.INT64)).item(), 1e-6);
    }

    @Test
    void crossEntropyErrorsAreNllLossErrors() {
        var e = assertThrows(IndexOutOfBoundsException.class,
                () -> F.crossEntropy(Tensor.randn(3, 5), Tensor.tensor(1L, 2L, 7L)));
        assertEquals("Target 7 is out of bounds.", e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class,
                () -> F.crossEntropy(Tensor.randn(3, 5), Tensor.tensor(0f, 1f, 2f)));
        assertEquals("expected target dtype to be Long or Byte, but got Float", e2.getMessage());
        e2 = assertThrows(IllegalArgumentException.class,
                () -> F.crossEntropy(Tensor.randn(3, 5), Tensor.tensor(0L, 1L, 2L), null, -100, "mean", 1.5));
        assertEquals("label_smoothing must be between 0.0 and 1.0. Got: 1.5", e2.getMessage());
    }

    @Test
    void shortOverloadsUsePyTorchDefaults() {
        Tensor.manualSeed(72);
        Tensor x = Tensor.randn(1, 2, 6, 6), w = Tensor.randn(3, 2, 3, 3);
        assertArrayEquals(F.conv2d(x, w, null, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, 1).toFloatArray(),
                F.conv2d(x, w, null).toFloatArray());
        assertArrayEquals(new int[] {1, 2, 3, 3}, F.maxPool2d(x, 2).shape());
        assertArrayEquals(F.conv2d(x, w, null, new int[] {2, 2}, new int[] {1, 1}, new int[] {1, 1}, 1).toFloatArray(),
                F.conv2d(x, w, null, 2, 1).toFloatArray());
        assertArrayEquals(F.maxPool2d(x, new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1}).toFloatArray(),
                F.maxPool2d(x, 3, 2, 1).toFloatArray());
        assertArrayEquals(new int[] {1, 2, 1, 1}, F.adaptiveAvgPool2d(x, 1).shape());
        assertArrayEquals(F.layerNorm(x, new int[] {6}, null, null, 1e-5).toFloatArray(), F.layerNorm(x, new int[] {6}).toFloatArray());
        assertArrayEquals(F.softplus(x, 1, 20).toFloatArray(), F.softplus(x).toFloatArray());
        assertArrayEquals(F.leakyRelu(x, 0.01).toFloatArray(), F.leakyRelu(x).toFloatArray());
        Tensor a = F.dropout(x, 0.5, true, new Generator(3)), b = F.dropout(x, 0.5, true, new Generator(3));
        assertArrayEquals(a.toFloatArray(), b.toFloatArray());
        assertArrayEquals(new int[] {1, 2, 6, 6}, F.gumbelSoftmax(x, 1, true, 1).shape());
    }

    @Test
    void linearDelegatesToTensorLinear() {
        Tensor x = Tensor.randn(4, 3), w = Tensor.randn(2, 3), b = Tensor.randn(2);
        assertArrayEquals(Tensor.linear(x, w, b).toFloatArray(), F.linear(x, w, b).toFloatArray());
    }
}
