package dev.nnlab.gradflow;

import dev.nnlab.nn.Sequential;
import dev.nnlab.optim.SGD;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DiagnosticsTest {
    private static <F extends Finding> List<F> of(Class<F> type, List<Finding> findings) {
        return findings.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Test
    void aTwentyLayerSigmoidMlpVanishes() {
        Tensor.manualSeed(11);
        Sequential net = Nets.deepSigmoid(20);
        Nets.step(net, null, Tensor.randn(64, 10), Tensor.randn(64, 1));
        GradFlowReport r = GradFlow.report(net);
        List<Finding.Vanishing> v = of(Finding.Vanishing.class, r.findings());
        assertTrue(v.stream().anyMatch(f -> f.layer().equals("0.weight")), r.findingsText());
        Finding.Vanishing first = v.get(0);
        assertEquals("0.weight", first.layer());
        double largest = r.rows().stream().mapToDouble(LayerGrad::meanAbs).max().orElseThrow();
        assertEquals(largest, first.largest(), 0);
        assertTrue(first.orders() > 3, "orders " + first.orders());
        assertTrue(first.message().startsWith("vanishing gradient: 0.weight has mean |grad| "), first.message());
        assertTrue(first.message().contains(String.format(java.util.Locale.ROOT, "%.1f orders of magnitude below ",
                first.orders())), first.message());
        assertTrue(of(Finding.Vanishing.class, r.findings()).stream().noneMatch(f -> f.layer().equals("40.weight")));
        // the user's thresholds: 20 orders and no floor let the same gradients pass
        GradFlowReport lenient = r.withThresholds(Thresholds.defaults().vanishingOrders(20).vanishingFloor(0));
        assertTrue(of(Finding.Vanishing.class, lenient.findings()).isEmpty(), lenient.findingsText());
    }

    @Test
    void aReluNetWhoseFirstBiasIsMinusEightIsDead() {
        Tensor.manualSeed(12);
        Sequential net = Nets.deadRelu();
        try (GradFlowWatch w = GradFlow.watch(net, 1)) {
            Nets.step(net, null, Tensor.randn(64, 10), Tensor.randn(64, 1));
            GradFlowReport r = w.latest();
            List<Finding.Dead> dead = of(Finding.Dead.class, r.findings());
            // the second ReLU then sees a constant input: its units with a negative bias die too
            assertTrue(dead.size() >= 1, r.findingsText());
            assertEquals("1", dead.get(0).layer());
            assertEquals(32, dead.get(0).dead());
            assertEquals(32, dead.get(0).units());
            assertEquals("dead units: 1 (ReLU) has 32 of 32 units (100%) zero for more than 99% of the batch.",
                    dead.get(0).message());
            // every unit dead: the first layer's weight gets only zero gradients
            assertEquals(1.0, r.row("0.weight").zeroFraction(), 0);
            // a report of the watched model after that backward has the dead units too
            GradFlowReport now = GradFlow.report(net);
            assertEquals(0, now.step());
            assertEquals(dead, of(Finding.Dead.class, now.findings()));
        }
    }

    @Test
    void anUnusedLayerHasNoGradient() {
        Tensor.manualSeed(13);
        Nets.Unused m = new Nets.Unused();
        Nets.step(m, null, Tensor.randn(16, 10), Tensor.randn(16, 1));
        List<Finding> f = GradFlow.report(m).findings();
        assertEquals(List.of(new Finding.Missing("unused.weight", "Linear")), f);
        assertEquals("missing gradient: unused.weight (Linear) requires grad but got none; is it used in forward?",
                f.get(0).message());
        assertEquals(2, of(Finding.Missing.class, GradFlow.report(m).withBiases(true).findings()).size());
    }

    @Test
    void aHugeLearningRateExplodes() {
        Tensor.manualSeed(14);
        Sequential net = Nets.healthy();
        SGD opt = new SGD(net.parameters(), 1e3);
        Tensor x = Tensor.randn(64, 10), y = Tensor.randn(64, 1);
        try (GradFlowWatch w = GradFlow.watch(net, 1)) {
            for (int i = 0; i < 4; i++) Nets.step(net, opt, x, y);
            GradFlowHistory h = w.history();
            assertEquals(4, h.size());
            List<Finding.UpdateRatio> ratio = of(Finding.UpdateRatio.class, h.reports().get(0).findings());
            assertTrue(!ratio.isEmpty() && ratio.get(0).log10Ratio() > -2, h.reports().get(0).findingsText());
            assertTrue(ratio.get(0).message().contains("above -2.00: updates are too large"), ratio.get(0).message());
            List<Finding.Exploding> boom = of(Finding.Exploding.class, h.latest().findings());
            assertTrue(!boom.isEmpty(), h.latest().toString());
            Finding.Exploding e = boom.get(0);
            assertTrue(e.nonFinite() > 0 || e.norm() > 1e3, e.message());
            assertTrue(e.message().startsWith("exploding gradient: " + e.layer() + " has "), e.message());
        }
    }

    @Test
    void aHealthyModelGivesNoFindings() {
        Tensor.manualSeed(15);
        Sequential net = Nets.healthy();
        SGD opt = new SGD(net.parameters(), 0.02);
        Tensor x = Tensor.randn(64, 10), y = Tensor.randn(64, 1);
        try (GradFlowWatch w = GradFlow.watch(net, 1)) {
            for (int i = 0; i < 5; i++) Nets.step(net, opt, x, y);
            for (GradFlowReport r : w.history().reports()) {
                assertEquals(List.of(), r.findings(), r.toString());
                assertTrue(r.rows().stream().allMatch(g -> !Double.isNaN(g.updateRatio())), r.toString());
                assertEquals(2, r.activations().size());
            }
        }
        assertTrue(GradFlow.report(net).isHealthy(), GradFlow.report(net).toString());
    }
}
