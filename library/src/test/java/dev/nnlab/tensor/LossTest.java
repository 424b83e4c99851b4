package dev.nnlab.tensor;

import dev.nnlab.autograd.GradCheck;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LossTest {
    private static Tensor dbl(int... shape) {
        return Tensor.randn(DType.FLOAT64, shape).detach().requiresGrad_();
    }

    private static Tensor probs(int... shape) {
        return Tensor.rand(shape).toDouble().mul(0.8).add(0.1).detach().requiresGrad_();
    }

    @Test
    void gradcheckMseWithBroadcastAndEveryReduction() {
        Tensor.manualSeed(60);
        for (String r : new String[] {"none", "mean", "sum"}) {
            assertTrue(GradCheck.gradcheck(in -> Loss.mseLoss(in[0], in[1], r), dbl(3, 4), dbl(3, 4)));
        }
        assertTrue(GradCheck.gradcheck(in -> Loss.mseLoss(in[0], in[1], "mean"), dbl(3, 4), dbl(4)));
    }

    @Test
    void gradcheckNllWithWeightIgnoreSmoothingAndSpatialDims() {
        Tensor.manualSeed(61);
        Tensor t = Tensor.tensor(0L, 3L, 1L, 1L, 2L);
        Tensor w = Tensor.tensor(DType.FLOAT64, 0.5, 1.0, 2.0, 1.5);
        for (String r : new String[] {"none", "mean", "sum"}) {
            assertTrue(GradCheck.gradcheck(in -> Loss.nllLoss(in[0], t, w, 1, r, 0), dbl(5, 4)));
            assertTrue(GradCheck.gradcheck(in -> Loss.nllLoss(in[0], t, w, 1, r, 0.2), dbl(5, 4)));
        }
        Tensor spatial = Tensor.tensor(new long[][] {{0, 2, 1}, {1, 1, 0}});
        assertTrue(GradCheck.gradcheck(in -> Loss.nllLoss(in[0], spatial, null, -100, "mean", 0.1), dbl(2, 3, 3)));
        assertTrue(GradCheck.gradcheck(in -> Loss.nllLoss(in[0], Tensor.scalar(2, DType.INT64), null, -100, "mean", 0), dbl(4)));
    }

    @Test
    void nllValuesByHand() {
        Tensor logp = Tensor.tensor(new double[][] {{-1, -2, -3}, {-0.5, -1.5, -2.5}});
        Tensor t = Tensor.tensor(2L, 0L);
        assertEquals((3 + 0.5) / 2, Loss.nllLoss(logp, t, null, -100, "mean", 0).item(), 1e-6);
        Tensor w = Tensor.tensor(2f, 1f, 4f);
        assertEquals((4 * 3 + 2 * 0.5) / 6, Loss.nllLoss(logp, t, w, -100, "mean", 0).item(), 1e-6);
        assertEquals(0.5, Loss.nllLoss(logp, t, null, 2, "mean", 0).item(), 1e-6);
        // smoothing 0.3 over 3 classes: 0.7 * nll + 0.1 * sum of -logp.
        assertEquals(0.7 * 3 + 0.1 * 6, Loss.nllLoss(logp, t, null, -100, "none", 0.3).get(0), 1e-6);
        assertTrue(Double.isNaN(Loss.nllLoss(logp, Tensor.tensor(-100L, -100L), null, -100, "mean", 0).item()));
    }

    @Test
    void gradcheckBinaryCrossEntropies() {
        Tensor.manualSeed(62);
        Tensor w = Tensor.rand(3).toDouble();
        for (String r : new String[] {"none", "mean", "sum"}) {
            assertTrue(GradCheck.gradcheck(in -> Loss.binaryCrossEntropy(in[0], in[1], w, r), probs(2, 3), probs(2, 3)));
            assertTrue(GradCheck.gradcheck(in -> Loss.binaryCrossEntropyWithLogits(in[0], in[1], w, in[2].detach(), r),
                    dbl(2, 3), probs(2, 3), Tensor.rand(3).toDouble().add(0.5)));
        }
    }

    @Test
    void bceWithLogitsIsStableForLargeLogits() {
        Tensor x = Tensor.tensor(DType.FLOAT64, 200, -200), t = Tensor.tensor(DType.FLOAT64, 0, 1);
        assertEquals(200, Loss.binaryCrossEntropyWithLogits(x, t, null, null, "mean").item(), 1e-9);
        // log(p) is clamped at -100, as in PyTorch.
        assertEquals(100, Loss.binaryCrossEntropy(Tensor.tensor(DType.FLOAT64, 0), Tensor.tensor(DType.FLOAT64, 1),
                null, "sum").item(), 0);
    }

    @Test
    void gradFnNames() {
        Tensor x = Tensor.rand(3).requiresGrad_();
        assertEquals("MseLossBackward0", Loss.mseLoss(x, Tensor.zeros(3), "mean").gradFn().name());
        assertEquals("BinaryCrossEntropyBackward0", Loss.binaryCrossEntropy(x, Tensor.zeros(3), null, "mean").gradFn().name());
        assertEquals("BinaryCrossEntropyWithLogitsBackward0",
                Loss.binaryCrossEntropyWithLogits(x, Tensor.zeros(3), null, null, "mean").gradFn().name());
        Tensor lp = Tensor.randn(2, 3).requiresGrad_();
        assertEquals("NllLossBackward0", Loss.nllLoss(lp, Tensor.tensor(0L, 1L), null, -100, "mean", 0).gradFn().name());
    }

    @Test
    void misuseGetsPyTorchErrors() {
        Tensor lp = Tensor.randn(3, 5);
        var e = assertThrows(IndexOutOfBoundsException.class,
                () -> Loss.nllLoss(lp, Tensor.tensor(1L, 2L, 7L), null, -100, "mean", 0));
        assertEquals("Target 7 is out of bounds.", e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class,
                () -> Loss.nllLoss(lp, Tensor.tensor(1L, 2L), null, -100, "mean", 0));
        assertEquals("Expected input batch_size (3) to match target batch_size (2).", e2.getMessage());
        e2 = assertThrows(IllegalArgumentException.class,
                () -> Loss.nllLoss(lp, Tensor.tensor(1f, 2f, 3f), null, -100, "mean", 0));
        assertEquals("expected target dtype to be Long or Byte, but got Float", e2.getMessage());
        e2 = assertThrows(IllegalArgumentException.class,
                () -> Loss.nllLoss(lp, Tensor.tensor(1L, 2L, 3L), Tensor.ones(3), -100, "mean", 0));
        assertEquals("weight tensor should be defined either for all 5 classes or no classes but got weight tensor of "
                + "shape: [3]", e2.getMessage());
        e2 = assertThrows(IllegalArgumentException.class, () -> Loss.mseLoss(lp, lp, "foo"));
        assertEquals("foo is not a valid value for reduction", e2.getMessage());
        e2 = assertThrows(IllegalArgumentException.class, () -> Loss.mseLoss(Tensor.randn(3), Tensor.randn(4), "mean"));
        assertEquals("The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 0", e2.getMessage());
        e2 = assertThrows(IllegalArgumentException.class,
                () -> Loss.binaryCrossEntropy(Tensor.rand(3), Tensor.rand(3, 1), null, "mean"));
        assertEquals("Using a target size (torch.Size([3, 1])) that is different to the input size (torch.Size([3])) is "
                + "deprecated. Please ensure they have the same size.", e2.getMessage());
        e2 = assertThrows(IllegalArgumentException.class,
                () -> Loss.binaryCrossEntropy(Tensor.tensor(1.5f), Tensor.tensor(1f), null, "mean"));
        assertEquals("all elements of input should be between 0 and 1", e2.getMessage());
        e2 = assertThrows(IllegalArgumentException.class,
                () -> Loss.binaryCrossEntropyWithLogits(Tensor.rand(3), Tensor.rand(3, 1), null, null, "mean"));
        assertEquals("Target size (torch.Size([3, 1])) must be the same as input size (torch.Size([3]))", e2.getMessage());
    }
}
