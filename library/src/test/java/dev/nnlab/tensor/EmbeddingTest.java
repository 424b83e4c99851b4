package dev.nnlab.tensor;

import dev.nnlab.autograd.GradCheck;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddingTest {
    @Test
    void gradcheckEmbeddingWithRepeatsAndPadding() {
        Tensor.manualSeed(40);
        Tensor idx = Tensor.tensor(new long[][] {{0, 2, 2}, {3, 1, 0}});
        assertTrue(GradCheck.gradcheck(in -> EmbeddingOps.embedding(idx, in[0], null),
                Tensor.randn(DType.FLOAT64, 4, 3).detach().requiresGrad_()));
        // With a padding index the lookup is no longer the function's true derivative, by design; check it is
        // the derivative on the other rows by squaring (row 2 gets zero, the rest the usual 2 * w).
        Tensor w = Tensor.randn(DType.FLOAT64, 4, 3).detach().requiresGrad_();
        Tensor y = EmbeddingOps.embedding(idx, w, 2);
        y.mul(y).sum().backward();
        double[] g = w.grad().toDoubleArray(), wv = w.toDoubleArray();
        int[] uses = {2, 1, 0, 1};
        for (int r = 0; r < 4; r++) {
            for (int j = 0; j < 3; j++) assertEquals(2 * uses[r] * wv[r * 3 + j], g[r * 3 + j], 1e-12);
        }
    }

    @Test
    void paddingRowGetsNoGradientAndShapeAppendsDim() {
        Tensor w = Tensor.randn(5, 2).requiresGrad_();
        Tensor idx = Tensor.tensor(new long[][] {{1, 2}, {2, 4}});
        Tensor y = EmbeddingOps.embedding(idx, w, 2);
        assertArrayEquals(new int[] {2, 2, 2}, y.shape());
        assertEquals(w.get(4, 1), y.get(1, 1, 1));
        assertEquals("EmbeddingBackward0", y.gradFn().name());
        y.sum().backward();
        assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0, 0, 0, 1, 1}, w.grad().toFloatArray());
        Tensor w2 = Tensor.randn(5, 2).requiresGrad_();
        EmbeddingOps.embedding(idx, w2, -3).sum().backward();
        assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0, 0, 0, 1, 1}, w2.grad().toFloatArray());
    }

    @Test
    void misuseGetsPyTorchErrors() {
        var e = assertThrows(IndexOutOfBoundsException.class,
                () -> EmbeddingOps.embedding(Tensor.tensor(5L), Tensor.randn(3, 4), null));
        assertEquals("index out of range in self", e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class,
                () -> EmbeddingOps.embedding(Tensor.tensor(1f), Tensor.randn(3, 4), null));
        assertEquals("Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; "
                + "but got torch.FloatTensor instead (while checking arguments for embedding)", e2.getMessage());
        e2 = assertThrows(IllegalArgumentException.class, () -> EmbeddingOps.oneHot(Tensor.tensor(3L), 2));
        assertEquals("Class values must be smaller than num_classes.", e2.getMessage());
    }

    @Test
    void oneHotIsInt64AndInfersClasses() {
        Tensor y = EmbeddingOps.oneHot(Tensor.tensor(0L, 2L, 1L), -1);
        assertEquals(DType.INT64, y.dtype());
        assertArrayEquals(new long[] {1, 0, 0, 0, 0, 1, 0, 1, 0}, y.toLongArray());
        assertArrayEquals(new int[] {2, 1, 4}, EmbeddingOps.oneHot(Tensor.tensor(new long[][] {{3}, {0}}), 4).shape());
    }
}
