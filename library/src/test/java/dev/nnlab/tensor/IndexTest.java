package dev.nnlab.tensor;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.nnlab.tensor.Grad.check;
import static dev.nnlab.tensor.Grad.randn;
import static dev.nnlab.tensor.Grad.transposed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Indexing, gather, cat/stack/split/chunk: values, views, gradchecks and PyTorch's errors. */
class IndexTest {
    private final Tensor m = Tensor.arange(12).reshape(3, 4).toFloat();

    @Test
    void indexByInt64() {
        Tensor r = m.index(Tensor.tensor(2L, 0L, -1L));
        assertArrayEquals(new int[] {3, 4}, r.shape());
        assertArrayEquals(new float[] {8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11}, r.toFloatArray());
        assertArrayEquals(new int[] {2, 2, 4}, m.index(Tensor.tensor(new long[][] {{0, 1}, {1, 2}})).shape());
        Tensor x = randn(3, 4);
        check(in -> in[0].index(Tensor.tensor(2L, 0L, 2L)), x);
        check(in -> in[0].index(Tensor.tensor(new long[][] {{1}, {1}})), transposed(3, 4));
        assertEquals("IndexBackward0", x.index(Tensor.tensor(0L)).gradFn().name());
        var e = assertThrows(IndexOutOfBoundsException.class, () -> Tensor.zeros(3).index(Tensor.tensor(5L)));
        assertEquals("index 5 is out of bounds for dimension 0 with size 3", e.getMessage());
        var f = assertThrows(IllegalArgumentException.class, () -> m.index(Tensor.tensor(0f)));
        assertEquals("tensors used as indices must be long, int, byte or bool tensors", f.getMessage());
    }

    @Test
    void indexByBoolMask() {
        Tensor mask = Tensor.tensor(true, false, true);
        assertArrayEquals(new float[] {0, 1, 2, 3, 8, 9, 10, 11}, m.index(mask).toFloatArray());
        Tensor full = m.gt(6);
        Tensor sel = m.index(full);
        assertArrayEquals(new int[] {5}, sel.shape());
        assertArrayEquals(new float[] {7, 8, 9, 10, 11}, sel.toFloatArray());
        Tensor x = randn(3, 4);
        check(in -> in[0].index(mask), x);
        check(in -> in[0].index(in[0].detach().gt(0)), x);
        var e = assertThrows(IndexOutOfBoundsException.class, () -> Tensor.zeros(3, 2).index(Tensor.tensor(true, false)));
        assertEquals("The shape of the mask [2] at index 0 does not match the shape of the indexed tensor [3, 2] at index 0",
                e.getMessage());
    }

    @Test
    void indexSelectAndMaskedSelect() {
        assertArrayEquals(new float[] {3, 1, 7, 5, 11, 9}, m.indexSelect(1, Tensor.tensor(3L, 1L)).toFloatArray());
        Tensor x = randn(3, 4);
        check(in -> in[0].indexSelect(1, Tensor.tensor(3L, 1L, 3L)), x);
        check(in -> in[0].indexSelect(0, Tensor.tensor(2L)), transposed(3, 4));
        assertEquals("IndexSelectBackward0", x.indexSelect(0, Tensor.tensor(0L)).gradFn().name());
        var e = assertThrows(IndexOutOfBoundsException.class, () -> Tensor.zeros(3).indexSelect(0, Tensor.tensor(5L)));
        assertEquals("index out of range in self", e.getMessage());
        e = assertThrows(IndexOutOfBoundsException.class, () -> Tensor.zeros(3).indexSelect(0, Tensor.tensor(new long[][] {{0}})));
        assertEquals("index_select(): Index is supposed to be a vector", e.getMessage());

        Tensor rowMask = Tensor.tensor(true, false, false, true);
        assertArrayEquals(new float[] {0, 3, 4, 7, 8, 11}, m.maskedSelect(rowMask).toFloatArray());
        check(in -> in[0].maskedSelect(rowMask), x);
        check(in -> in[0].maskedSelect(Tensor.tensor(new boolean[][] {{true}, {false}})), randn(4));
        assertEquals("MaskedSelectBackward0", x.maskedSelect(rowMask).gradFn().name());
        var f = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(3).maskedSelect(Tensor.tensor(1L, 0L, 1L)));
        assertEquals("masked_select: expected BoolTensor for mask", f.getMessage());
    }

    @Test
    void gather() {
        Tensor idx = Tensor.tensor(new long[][] {{3, 0}, {1, 1}, {2, 0}});
        assertArrayEquals(new float[] {3, 0, 5, 5, 10, 8}, m.gather(1, idx).toFloatArray());
        assertArrayEquals(new float[] {4, 1, 6, 3}, m.gather(0, Tensor.tensor(new long[][] {{1, 0, 1, 0}})).toFloatArray());
        Tensor x = randn(3, 4);
        check(in -> in[0].gather(1, idx), x);
        check(in -> in[0].gather(0, Tensor.tensor(new long[][] {{2, 2, 0, 1}})), transposed(3, 4));
        assertEquals("GatherBackward0", x.gather(1, idx).gradFn().name());
        var e = assertThrows(IndexOutOfBoundsException.class, () -> Tensor.zeros(3, 3).gather(1, Tensor.tensor(new long[][] {{5}})));
        assertEquals("index 5 is out of bounds for dimension 1 with size 3", e.getMessage());
        var f = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(3, 3).gather(1, Tensor.tensor(5L)));
        assertEquals("Index tensor must have the same number of dimensions as input tensor", f.getMessage());
    }

    @Test
    void catAndStack() {
        Tensor a = Tensor.tensor(new float[][] {{1, 2}, {3, 4}}), b = Tensor.tensor(new float[][] {{5}, {6}});
        assertArrayEquals(new float[] {1, 2, 5, 3, 4, 6}, Tensor.cat(1, a, b).toFloatArray());
        assertArrayEquals(new float[] {1, 2, 3, 4, 1, 3, 2, 4}, Tensor.cat(0, a, a.t()).toFloatArray());
        assertArrayEquals(new float[] {1, 2, 3, 4}, Tensor.cat(0, Tensor.zeros(0), a).toFloatArray());
        assertEquals(DType.FLOAT64, Tensor.cat(0, a, a.toDouble()).dtype());
        Tensor x = randn(2, 3), y = randn(1, 3), z = transposed(2, 3);
        check(in -> Tensor.cat(0, in[0], in[1], in[2]), x, y, z);
        check(in -> Tensor.cat(-1, in[0], in[1]), x, z);
        assertEquals("CatBackward0", Tensor.cat(0, x, y).gradFn().name());
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.cat(List.of(), 0));
        assertEquals("torch.cat(): expected a non-empty list of Tensors", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.cat(1, Tensor.zeros(2, 2), Tensor.zeros(3, 3)));
        assertEquals("Sizes of tensors must match except in dimension 1. Expected size 2 but got size 3 for tensor number 1 "
                + "in the list.", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.cat(0, Tensor.zeros(2, 2), Tensor.zeros(2)));
        assertEquals("Tensors must have same number of dimensions: got 2 and 1", e.getMessage());

        Tensor s = Tensor.stack(1, a, a.t());
        assertArrayEquals(new int[] {2, 2, 2}, s.shape());
        assertArrayEquals(new float[] {1, 2, 1, 3, 3, 4, 2, 4}, s.toFloatArray());
        check(in -> Tensor.stack(0, in[0], in[1]), x, z);
        check(in -> Tensor.stack(-1, in[0], in[1]), x, z);
        assertEquals("StackBackward0", Tensor.stack(0, x, z).gradFn().name());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.stack(List.of(), 0));
        assertEquals("stack expects a non-empty TensorList", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.stack(0, Tensor.zeros(2, 3), Tensor.zeros(2, 2)));
        assertEquals("stack expects each tensor to be equal size, but got [2, 3] at entry 0 and [2, 2] at entry 1", e.getMessage());
    }

    @Test
    void splitAndChunkAreViews() {
        List<Tensor> parts = m.split(3, 1);
        assertEquals(2, parts.size());
        assertArrayEquals(new int[] {3, 3}, parts.get(0).shape());
        assertArrayEquals(new float[] {3, 7, 11}, parts.get(1).toFloatArray());
        for (Tensor p : parts) assertTrue(p.sharesStorageWith(m));
        List<Tensor> bySizes = m.split(new int[] {1, 2}, 0);
        assertArrayEquals(new float[] {4, 5, 6, 7, 8, 9, 10, 11}, bySizes.get(1).toFloatArray());
        List<Tensor> chunks = Tensor.arange(5).chunk(3, 0);
        assertEquals(3, chunks.size());
        assertArrayEquals(new long[] {4}, chunks.get(2).toLongArray());
        Tensor x = randn(3, 4);
        check(in -> weighted(in[0].split(3, 1)), x);
        check(in -> weighted(in[0].split(new int[] {2, 0, 1}, 0)), x);
        check(in -> weighted(in[0].chunk(2, 0)), transposed(3, 4));
        check(in -> in[0].split(2, 1).get(1), x);
        assertEquals("SplitBackward0", x.split(2, 0).get(0).gradFn().name());
        assertEquals("SplitWithSizesBackward0", x.split(new int[] {1, 2}, 0).get(0).gradFn().name());
        assertEquals("SplitBackward0", x.chunk(2, 0).get(1).gradFn().name());
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(3).split(new int[] {1, 1}, 0));
        assertEquals("split_with_sizes expects split_sizes to sum exactly to 3 (input tensor's size at dimension 0), but got "
                + "split_sizes=[1, 1]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(3).chunk(0, 0));
        assertEquals("chunk expects `chunks` to be greater than 0, got: 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(3).split(0, 0));
        assertEquals("split_size can only be 0 if dimension size is 0, but got dimension size of 3", e.getMessage());
    }

    /** Concatenates the pieces, each scaled by a different factor, so every piece's gradient is checked. */
    private static Tensor weighted(List<Tensor> parts) {
        Tensor[] scaled = new Tensor[parts.size()];
        for (int i = 0; i < scaled.length; i++) scaled[i] = parts.get(i).mul(i + 1).flatten();
        return Tensor.cat(0, scaled);
    }
}
