package dev.nnlab.tensor;

import dev.nnlab.autograd.GradCheck;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PadTest {
    private static Tensor dbl(int... shape) {
        return Tensor.randn(DType.FLOAT64, shape).detach().requiresGrad_();
    }

    @Test
    void constantPadsTrailingDimsFirst() {
        Tensor x = Tensor.tensor(new float[][] {{1, 2}, {3, 4}});
        Tensor y = Pad.pad(x, new int[] {1, 0, 0, 1}, "constant", 9);
        assertArrayEquals(new int[] {3, 3}, y.shape());
        assertArrayEquals(new float[] {9, 1, 2, 9, 3, 4, 9, 9, 9}, y.toFloatArray());
        assertArrayEquals(new float[] {2, 4}, Pad.pad(x, new int[] {-1, 0}, "constant", 0).toFloatArray());
    }

    @Test
    void reflectReplicateCircular() {
        Tensor x = Tensor.tensor(1f, 2f, 3f).reshape(1, 3);
        assertArrayEquals(new float[] {3, 2, 1, 2, 3, 2}, Pad.pad(x, new int[] {2, 1}, "reflect", 0).toFloatArray());
        assertArrayEquals(new float[] {1, 1, 1, 2, 3, 3}, Pad.pad(x, new int[] {2, 1}, "replicate", 0).toFloatArray());
        assertArrayEquals(new float[] {2, 3, 1, 2, 3, 1}, Pad.pad(x, new int[] {2, 1}, "circular", 0).toFloatArray());
    }

    @Test
    void gradcheckEachMode() {
        Tensor.manualSeed(50);
        assertTrue(GradCheck.gradcheck(in -> Pad.pad(in[0], new int[] {1, 2, -1, 1}, "constant", 0.5), dbl(2, 3, 4)));
        assertTrue(GradCheck.gradcheck(in -> Pad.pad(in[0], new int[] {2, 1, 1, 2}, "reflect", 0), dbl(1, 2, 3, 4)));
        assertTrue(GradCheck.gradcheck(in -> Pad.pad(in[0], new int[] {2, 1}, "replicate", 0), dbl(2, 3)));
        Tensor x = dbl(4, 3);
        assertTrue(GradCheck.gradcheck(in -> Pad.pad(in[0].t(), new int[] {1, 1}, "circular", 0), x));
    }

    @Test
    void misuseGetsPyTorchErrors() {
        var e = assertThrows(IllegalArgumentException.class, () -> Pad.pad(Tensor.randn(3, 4), new int[] {1}, "constant", 0));
        assertEquals("Padding length must be divisible by 2", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Pad.pad(Tensor.randn(3, 4), new int[] {1, 1, 1, 1, 1, 1}, "constant", 0));
        assertEquals("Padding length should be less than or equal to two times the input dimension but got padding "
                + "length 6 and input of dimension 2", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Pad.pad(Tensor.randn(1, 2, 3), new int[] {3, 3}, "reflect", 0));
        assertEquals("Argument #4: Padding size should be less than the corresponding input dimension, but got: padding "
                + "(3, 3) at dimension 2 of input [1, 2, 3]", e.getMessage());
    }

    @Test
    void gradFnNames() {
        Tensor x = Tensor.randn(1, 2, 3).requiresGrad_();
        assertEquals("ConstantPadNdBackward0", Pad.pad(x, new int[] {1, 1}, "constant", 0).gradFn().name());
        assertEquals("ReflectionPad1DBackward0", Pad.pad(x, new int[] {1, 1}, "reflect", 0).gradFn().name());
    }
}
