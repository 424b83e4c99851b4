package dev.nnlab.gradflow;

import dev.nnlab.nn.Linear;
import dev.nnlab.nn.Sequential;
import dev.nnlab.optim.SGD;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GradFlowWatchTest {
    /**
     * For loss = sum(x W^T + b) the gradient is the same every step: dW[j][i] = sum_b x[b][i], db[j] = batch.
     * So after s SGD steps W_s = W_0 - s lr g, which gives the update ratio and the distance in closed form.
     */
    @Test
    void updateRatioAndDistanceMatchSgdInClosedForm() {
        Tensor.manualSeed(21);
        Linear l = new Linear(3, 2);
        double lr = 0.01;
        SGD opt = new SGD(l.parameters(), lr);
        Tensor x = Tensor.randn(5, 3);
        float[] xs = x.toFloatArray();
        double[] g = new double[3];
        for (int b = 0; b < 5; b++) for (int i = 0; i < 3; i++) g[i] += xs[b * 3 + i];
        double[] w0 = toDouble(l.weight.toFloatArray());
        try (GradFlowWatch w = GradFlow.watch(l, 2)) {
            for (int s = 0; s < 5; s++) {
                opt.zeroGrad();
                l.call(x).sum().backward();
                opt.step();
            }
            GradFlowHistory h = w.history();
            assertArrayEquals(new long[] {0, 2, 4}, h.steps());
            double gNormSq = 0, gAbs = 0;
            for (double v : g) {
                gNormSq += 2 * v * v;
                gAbs += 2 * Math.abs(v);
            }
            for (GradFlowReport r : h.reports()) {
                long s = r.step();
                double wAbs = 0;
                for (int j = 0; j < 2; j++) for (int i = 0; i < 3; i++) wAbs += Math.abs(w0[j * 3 + i] - s * lr * g[i]);
                LayerGrad row = r.row("weight");
                assertEquals(Math.log10(lr * gAbs / wAbs), row.updateRatio(), 1e-4, "ratio at step " + s);
                assertEquals((s + 1) * lr * Math.sqrt(gNormSq), row.distance(), 1e-5, "distance at step " + s);
                assertEquals(gAbs / 6, row.meanAbs(), 1e-5);
            }
        }
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }

    @Test
    void theLoopIsUnchangedAndStopRemovesEveryHook() {
        Tensor.manualSeed(22);
        Sequential a = Nets.healthy();
        Sequential b = Nets.healthy();
        b.loadStateDict(a.stateDict());
        SGD oa = new SGD(a.parameters(), 0.05), ob = new SGD(b.parameters(), 0.05);
        Tensor x = Tensor.randn(16, 10), y = Tensor.randn(16, 1);
        GradFlowWatch w = GradFlow.watch(a, 3);
        assertSame(w, GradFlow.watching(a));
        for (int i = 0; i < 7; i++) {
            Tensor la = Nets.step(a, oa, x, y), lb = Nets.step(b, ob, x, y);
            assertEquals(lb.item(), la.item(), 0, "watched and unwatched models train alike");
        }
        assertEquals(7, w.steps());
        GradFlowHistory h = w.stop();
        assertArrayEquals(new long[] {0, 3, 6}, h.steps());
        assertFalse(w.isActive());
        assertNull(GradFlow.watching(a));
        Nets.step(a, oa, x, y);
        assertEquals(7, w.steps(), "no hook counts steps after stop");
        assertEquals(3, w.history().size());
        w.stop();
        GradFlow.watch(a, 1).stop();
    }

    @Test
    void evaluationForwardsAreNotSteps() {
        Tensor.manualSeed(23);
        Sequential net = Nets.healthy();
        try (GradFlowWatch w = GradFlow.watch(net, 1)) {
            Nets.step(net, null, Tensor.randn(4, 10), Tensor.randn(4, 1));
            try (var ng = dev.nnlab.autograd.NoGrad.enter()) {
                net.call(Tensor.randn(4, 10));
            }
            assertEquals(1, w.steps());
        }
    }

    @Test
    void historyIsBoundedAndListenersSeeEachRecord() {
        Tensor.manualSeed(24);
        Sequential net = Nets.healthy();
        SGD opt = new SGD(net.parameters(), 0.01);
        List<Long> seen = new ArrayList<>();
        try (GradFlowWatch w = GradFlow.watch(net, 1, 4, Thresholds.defaults())) {
            w.onRecord(r -> seen.add(r.step()));
            for (int i = 0; i < 10; i++) Nets.step(net, opt, Tensor.randn(8, 10), Tensor.randn(8, 1));
            assertArrayEquals(new long[] {6, 7, 8, 9}, w.history().steps());
        }
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), seen, "each record once, right after its step");
    }

    @Test
    void badArgumentsAreClearErrorsAndAttachNothing() {
        Sequential net = Nets.healthy();
        assertEquals("every must be a number of steps >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> GradFlow.watch(net, 0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> GradFlow.watch(net, 1, 0, Thresholds.defaults()));
        assertThrows(IllegalArgumentException.class, () -> GradFlow.watch(new dev.nnlab.nn.ReLU(), 1));
        assertNull(GradFlow.watching(net));
        try (GradFlowWatch w = GradFlow.watch(net, 5)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> GradFlow.watch(net, 2));
            assertEquals("Sequential is already watched (every 5 steps); stop() that watch first", e.getMessage());
            assertNull(w.latest(), "nothing recorded before the first backward");
            assertTrue(w.history().isEmpty());
        }
    }

    @Test
    void unusedParametersAreMissingInTheWatchToo() {
        Tensor.manualSeed(25);
        Nets.Unused m = new Nets.Unused();
        try (GradFlowWatch w = GradFlow.watch(m, 1)) {
            Nets.step(m, null, Tensor.randn(4, 10), Tensor.randn(4, 1));
            assertEquals(List.of(new Finding.Missing("unused.weight", "Linear")), w.latest().findings());
        }
    }
}
