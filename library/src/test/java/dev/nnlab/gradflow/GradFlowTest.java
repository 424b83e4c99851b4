package dev.nnlab.gradflow;

import dev.nnlab.nn.Linear;
import dev.nnlab.nn.Sequential;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GradFlowTest {
    @Test
    void statisticsOfAHandMadeGradient() {
        Linear l = new Linear(2, 2);
        l.weight.setGrad(Tensor.tensor(new float[][] {{3, -4}, {0, 0}}));
        l.bias.setGrad(Tensor.tensor(1f, Float.NaN));
        GradFlowReport r = GradFlow.report(l).withBiases(true);
        LayerGrad w = r.row("weight");
        assertEquals(1.75, w.meanAbs(), 1e-12);     // (3 + 4 + 0 + 0) / 4
        assertEquals(4, w.maxAbs(), 1e-12);
        assertEquals(5, w.norm(), 1e-12);           // sqrt(9 + 16)
        assertEquals(0.5, w.zeroFraction(), 1e-12);
        assertEquals(0, w.nonFinite());
        assertEquals("[2, 2]", w.shape());
        assertEquals("Linear", w.type());
        LayerGrad b = r.row("bias");
        assertEquals(1, b.nonFinite());
        assertTrue(Double.isNaN(b.meanAbs()));
        assertEquals("1 NaN/Inf", b.note());
    }

    @Test
    void statisticsAgreeWithAnIndependentComputation() {
        Tensor.manualSeed(3);
        Sequential net = Nets.healthy();
        Nets.step(net, null, Tensor.randn(64, 10), Tensor.randn(64, 1));
        GradFlowReport r = GradFlow.report(net).withBiases(true);
        assertEquals(6, r.rows().size());
        for (var e : net.namedParameters().entrySet()) {
            float[] g = e.getValue().grad().toFloatArray();
            double sum = 0, max = 0, sq = 0;
            int zeros = 0;
            for (float v : g) {
                sum += Math.abs((double) v);
                max = Math.max(max, Math.abs((double) v));
                sq += (double) v * v;
                if (v == 0) zeros++;
            }
            LayerGrad row = r.row(e.getKey());
            assertEquals(sum / g.length, row.meanAbs(), 1e-12 * (1 + sum), e.getKey());
            assertEquals(max, row.maxAbs(), 0, e.getKey());
            assertEquals(Math.sqrt(sq), row.norm(), 1e-9 * (1 + Math.sqrt(sq)), e.getKey());
            assertEquals((double) zeros / g.length, row.zeroFraction(), 0, e.getKey());
        }
    }

    @Test
    void weightsByDefaultBiasesOnRequest() {
        Tensor.manualSeed(4);
        Sequential net = Nets.healthy();
        Nets.step(net, null, Tensor.randn(8, 10), Tensor.randn(8, 1));
        GradFlowReport r = GradFlow.report(net);
        assertEquals(List.of("0.weight", "2.weight", "4.weight"), r.rows().stream().map(LayerGrad::name).toList());
        assertEquals(6, r.withBiases(true).rows().size());
        assertEquals(3, r.table().rowCount());
        assertEquals(6, r.withBiases(true).table().rowCount());
    }

    @Test
    void parametersWithoutGradientAreRowsThatSaySo() {
        Tensor.manualSeed(5);
        Nets.Unused m = new Nets.Unused();
        Nets.step(m, null, Tensor.randn(4, 10), Tensor.randn(4, 1));
        GradFlowReport r = GradFlow.report(m);
        LayerGrad u = r.row("unused.weight");
        assertFalse(u.hasGrad());
        assertTrue(Double.isNaN(u.meanAbs()));
        assertEquals("no gradient (not used in forward?)", u.note());
        assertTrue(r.row("used.weight").hasGrad());
        assertTrue(r.toString().contains("unused.weight"), r.toString());
        assertTrue(r.toString().contains("no gradient (not used in forward?)"), r.toString());
    }

    @Test
    void frozenParametersAreRowsButNotFindings() {
        Tensor.manualSeed(6);
        Sequential net = Nets.healthy();
        net.get(0).requiresGrad_(false);
        Nets.step(net, null, Tensor.randn(16, 10), Tensor.randn(16, 1));
        GradFlowReport r = GradFlow.report(net);
        assertEquals("frozen (requires_grad=False)", r.row("0.weight").note());
        assertTrue(r.findings().stream().noneMatch(f -> f.layer().equals("0.weight")), r.findingsText());
    }

    @Test
    void noBackwardYetIsAClearError() {
        Sequential net = Nets.healthy();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> GradFlow.report(net));
        assertEquals("no parameter of Sequential has a gradient yet: run loss.backward() first", e.getMessage());
        net.requiresGrad_(false);
        e = assertThrows(IllegalStateException.class, () -> GradFlow.report(net));
        assertTrue(e.getMessage().contains("frozen"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GradFlow.report(new dev.nnlab.nn.ReLU()));
    }

    @Test
    void thresholdsOutOfRangeAreRejected() {
        Thresholds t = Thresholds.defaults();
        assertEquals("gradflow threshold vanishingOrders must be a positive number of orders of magnitude, got -1.0",
                assertThrows(IllegalArgumentException.class, () -> t.vanishingOrders(-1)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> t.vanishingFloor(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> t.explodingNorm(0));
        assertThrows(IllegalArgumentException.class, () -> t.deadBatch(1.5));
        assertThrows(IllegalArgumentException.class, () -> t.deadUnits(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.ratioRange(-2, -4));
        assertTrue(e.getMessage().contains("ratioHigh"), e.getMessage());
        assertEquals(4, t.vanishingOrders(4).vanishingOrders());
        assertEquals(3, t.vanishingOrders(), "withers leave the original alone");
    }

    @Test
    void printsAsAnAlignedTableThenTheFindings() {
        Tensor.manualSeed(7);
        Sequential net = Nets.healthy();
        Nets.step(net, null, Tensor.randn(64, 10), Tensor.randn(64, 1));
        String s = GradFlow.report(net).toString();
        String[] lines = s.split("\n");
        assertTrue(lines[0].contains("gradient flow"), s);
        assertTrue(lines[1].contains("parameter") && lines[1].contains("mean |grad|") && lines[1].contains("zero grads"), s);
        int header = lines[1].length();
        for (int i = 3; i < 6; i++) assertEquals(header, lines[i].length(), "row " + i + " aligned:\n" + s);
        assertTrue(s.endsWith("No findings: gradients look healthy."), s);
    }
}
