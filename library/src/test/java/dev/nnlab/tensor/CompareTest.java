package dev.nnlab.tensor;

import org.junit.jupiter.api.Test;

import static dev.nnlab.tensor.Grad.check;
import static dev.nnlab.tensor.Grad.randn;
import static dev.nnlab.tensor.Grad.transposed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Comparisons, logic, where and maskedFill. */
class CompareTest {
    private final Tensor a = Tensor.tensor(new float[][] {{1, 2, 3}, {4, 5, 6}});
    private final Tensor row = Tensor.tensor(2f, 5f, 3f);

    @Test
    void comparisonsBroadcastToBool() {
        assertArrayEquals(new boolean[] {false, false, true, false, true, false}, a.eq(row).toBooleanArray());
        assertArrayEquals(new boolean[] {true, true, false, true, false, true}, a.ne(row).toBooleanArray());
        assertArrayEquals(new boolean[] {true, true, false, false, false, false}, a.lt(row).toBooleanArray());
        assertArrayEquals(new boolean[] {true, true, true, false, true, false}, a.le(row).toBooleanArray());
        assertArrayEquals(new boolean[] {false, false, false, true, false, true}, a.gt(row).toBooleanArray());
        assertArrayEquals(new boolean[] {false, false, true, true, true, true}, a.ge(row).toBooleanArray());
        assertArrayEquals(new boolean[] {false, false, true, true, true, true}, a.gt(2.5).toBooleanArray());
        assertArrayEquals(new boolean[] {false, false, true, true, true, true}, a.t().gt(2.5).t().toBooleanArray());
        assertEquals(DType.BOOL, a.eq(row).dtype());
        assertArrayEquals(new int[] {2, 3}, a.eq(row).shape());
        assertArrayEquals(new boolean[] {true, false}, Tensor.tensor(1L, 2L).eq(Tensor.tensor(1f, 2.5f)).toBooleanArray());
        assertArrayEquals(new boolean[] {true, false}, Tensor.tensor(DType.FLOAT64, 1, 2).lt(1.5).toBooleanArray());
        var e = assertThrows(IllegalArgumentException.class, () -> a.eq(Tensor.zeros(2)));
        assertEquals("The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 1", e.getMessage());
    }

    @Test
    void nanNeverCompares() {
        Tensor n = Tensor.tensor(Float.NaN, 1f);
        assertArrayEquals(new boolean[] {false, true}, n.eq(n).toBooleanArray());
        assertArrayEquals(new boolean[] {true, false}, n.ne(n).toBooleanArray());
    }

    @Test
    void logicAndFloatTests() {
        Tensor x = Tensor.tensor(true, false, true), y = Tensor.tensor(true, true, false);
        assertArrayEquals(new boolean[] {true, false, false}, x.logicalAnd(y).toBooleanArray());
        assertArrayEquals(new boolean[] {true, true, true}, x.logicalOr(y).toBooleanArray());
        assertArrayEquals(new boolean[] {false, true, false}, x.logicalNot().toBooleanArray());
        Tensor f = Tensor.tensor(0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 2f);
        assertArrayEquals(new boolean[] {false, true, false, false, false}, f.isnan().toBooleanArray());
        assertArrayEquals(new boolean[] {false, false, true, true, false}, f.isinf().toBooleanArray());
        assertArrayEquals(new boolean[] {true, false, false, false, true}, f.isfinite().toBooleanArray());
        assertArrayEquals(new boolean[] {true, false, false, false, false}, f.logicalNot().toBooleanArray());
        assertArrayEquals(new boolean[] {false, true}, f.toDouble().slice(0, 0, 2).isnan().toBooleanArray());
        assertNull(f.eq(f).gradFn());
    }

    @Test
    void whereValuesAndGrad() {
        Tensor cond = Tensor.tensor(new boolean[][] {{true, false, true}, {false, false, true}});
        Tensor w = Tensor.where(cond, a, Tensor.scalar(-1));
        assertArrayEquals(new float[] {1, -1, 3, -1, -1, 6}, w.toFloatArray());
        Tensor w2 = Tensor.where(cond, row, a);
        assertArrayEquals(new float[] {2, 2, 3, 4, 5, 3}, w2.toFloatArray());
        Tensor x = randn(2, 3), y = randn(3), z = transposed(2, 3);
        check(in -> Tensor.where(cond, in[0], in[1]), x, y);
        check(in -> Tensor.where(cond, in[1], in[0]), z, y);
        assertEquals("WhereBackward0", Tensor.where(cond, x, y).gradFn().name());
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.where(Tensor.tensor(1L, 0L), row, row));
        assertEquals("where expected condition to be a boolean tensor, but got a tensor with dtype Long", e.getMessage());
        assertEquals(DType.FLOAT64, Tensor.where(cond, a, Tensor.zeros(DType.FLOAT64, 3)).dtype());
    }

    @Test
    void maskedFillValuesAndGrad() {
        Tensor mask = Tensor.tensor(true, false, false);
        assertArrayEquals(new float[] {9, 2, 3, 9, 5, 6}, a.maskedFill(mask, 9).toFloatArray());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, a.toFloatArray());
        Tensor x = randn(2, 3);
        check(in -> in[0].maskedFill(mask, 0.5), x);
        check(in -> in[0].maskedFill(mask, 0.5), transposed(2, 3));
        assertEquals("MaskedFillBackward0", x.maskedFill(mask, 0).gradFn().name());
        var e = assertThrows(IllegalArgumentException.class, () -> a.maskedFill(Tensor.tensor(1L, 0L, 1L), 1));
        assertEquals("masked_fill_ only supports boolean masks, but got mask with dtype long int", e.getMessage());
    }

    @Test
    void maskedFillInPlace() {
        Tensor t = a.clone();
        int v = t.version();
        assertSame(t, t.maskedFill_(Tensor.tensor(false, true, false), -1));
        assertArrayEquals(new float[] {1, -1, 3, 4, -1, 6}, t.toFloatArray());
        assertEquals(v + 1, t.version());
        Tensor x = randn(2, 3);
        check(in -> in[0].mul(1).maskedFill_(Tensor.tensor(false, true, false), 2), x);
        assertEquals("MaskedFillBackward0", x.mul(1).maskedFill_(Tensor.tensor(true, true, true), 0).gradFn().name());
        var e = assertThrows(IllegalArgumentException.class, () -> row.clone().maskedFill_(Tensor.tensor(new boolean[][] {{true}, {false}}), 0));
        assertEquals("output with shape [3] doesn't match the broadcast shape [2, 3]", e.getMessage());
        var f = assertThrows(IllegalStateException.class, () -> x.maskedFill_(Tensor.tensor(true, true, true), 0));
        assertEquals("a leaf Variable that requires grad is being used in an in-place operation.", f.getMessage());
    }

    @Test
    void allcloseAndEqual() {
        assertTrue(a.allclose(a.add(1e-7)));
        assertFalse(a.allclose(a.add(1e-3)));
        assertTrue(a.allclose(a.add(1e-3), 1e-2, 0));
        assertTrue(row.allclose(a.select(0, 0).add(Tensor.tensor(1f, 3f, 0f))));
        assertFalse(Tensor.tensor(Float.NaN).allclose(Tensor.tensor(Float.NaN)));
        assertTrue(a.equal(a.clone()));
        assertFalse(a.equal(a.t()));
        assertFalse(a.equal(a.add(1e-3)));
        assertTrue(a.t().equal(a.t().contiguous()));
    }
}
