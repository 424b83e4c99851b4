package dev.nnlab.tensor;

import dev.nnlab.autograd.GradCheck;
import org.junit.jupiter.api.Test;

import static dev.nnlab.tensor.Grad.check;
import static dev.nnlab.tensor.Grad.randn;
import static dev.nnlab.tensor.Grad.transposed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** float64 gradchecks of views and copies; views must share storage. */
class ViewGradTest {
    @Test
    void reshapes() {
        Tensor x = randn(2, 3, 4);
        check(in -> in[0].view(6, 4), x);
        check(in -> in[0].view(-1), x);
        check(in -> in[0].reshape(4, -1), x);
        check(in -> in[0].flatten(), x);
        check(in -> in[0].flatten(1, 2), x);
        check(in -> in[0].unflatten(2, 2, 2), x);
        check(in -> in[0].reshape(3, 8).mul(in[0].reshape(3, 8)), x);
    }

    @Test
    void reshapeOfNonContiguous() {
        Tensor x = transposed(3, 4);
        check(in -> in[0].reshape(12), x);
        check(in -> in[0].flatten(), x);
        check(in -> in[0].contiguous(), x);
    }

    @Test
    void transposesAndPermutes() {
        Tensor x = randn(2, 3, 4);
        check(in -> in[0].transpose(0, 2), x);
        check(in -> in[0].permute(2, 0, 1), x);
        check(in -> in[0].permute(1, 2, 0).contiguous().mul(2), x);
        check(in -> in[0].select(0, 1).t(), x);
        check(in -> in[0].mT(), x);
    }

    @Test
    void expandSqueezeUnsqueeze() {
        Tensor x = randn(3, 1);
        check(in -> in[0].expand(2, 3, 4), x);
        check(in -> in[0].expand(-1, 5).mul(in[0]), x);
        check(in -> in[0].squeeze(), x);
        check(in -> in[0].squeeze(1), x);
        check(in -> in[0].unsqueeze(0).unsqueeze(-1), x);
    }

    @Test
    void narrowSliceSelect() {
        Tensor x = randn(4, 5);
        check(in -> in[0].narrow(1, 1, 3), x);
        check(in -> in[0].slice(0, 0, 4, 2), x);
        check(in -> in[0].slice(1, -3, 5), x);
        check(in -> in[0].select(1, -1), x);
        check(in -> in[0].select(0, 2).mul(in[0].select(0, 1)), x);
        Tensor t = transposed(4, 5);
        check(in -> in[0].narrow(0, 1, 2).slice(1, 1, 5, 3), t);
    }

    @Test
    void clonesAndDtypeConversion() {
        Tensor x = randn(2, 3);
        check(in -> in[0].clone(), x);
        check(in -> in[0].clone().mul_(in[0]), x);
        assertSame(x, x.to(DType.FLOAT64));
        assertTrue(GradCheck.gradcheck(in -> in[0].to(DType.FLOAT32).to(DType.FLOAT64), 1e-3, 1e-4, 1e-3, x));
        Tensor f = x.to(DType.FLOAT32);
        assertEquals("ToCopyBackward0", f.gradFn().name());
        f.sum().backward();
        assertEquals(DType.FLOAT64, x.grad().dtype());
    }

    @Test
    void viewsShareStorageAndGradFnNames() {
        Tensor x = randn(2, 3);
        Tensor[] views = {x.view(3, 2), x.t(), x.transpose(0, 1), x.permute(1, 0), x.unsqueeze(0).expand(2, 2, 3),
            x.unsqueeze(1), x.narrow(1, 0, 2), x.select(0, 1), x.slice(1, 0, 3, 2)};
        for (Tensor v : views) assertTrue(v.sharesStorageWith(x));
        assertEquals("ViewBackward0", x.view(6).gradFn().name());
        assertEquals("TransposeBackward0", x.t().gradFn().name());
        assertEquals("PermuteBackward0", x.permute(1, 0).gradFn().name());
        assertEquals("ExpandBackward0", x.expand(4, 2, 3).gradFn().name());
        assertEquals("UnsqueezeBackward0", x.unsqueeze(0).gradFn().name());
        assertEquals("SqueezeBackward1", x.unsqueeze(0).squeeze(0).gradFn().name());
        assertEquals("SliceBackward0", x.narrow(1, 0, 2).gradFn().name());
        assertEquals("SelectBackward0", x.select(0, 0).gradFn().name());
        assertEquals("CloneBackward0", x.clone().gradFn().name());
    }
}
