package dev.nnlab.summary;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnlab.models.CustomModule;
import dev.nnlab.nn.BatchNorm1d;
import dev.nnlab.nn.Conv2d;
import dev.nnlab.nn.Dropout;
import dev.nnlab.nn.Flatten;
import dev.nnlab.nn.Linear;
import dev.nnlab.nn.MaxPool2d;
import dev.nnlab.nn.Module;
import dev.nnlab.nn.ReLU;
import dev.nnlab.nn.Sequential;
import dev.nnlab.tensor.Tensor;
import java.lang.reflect.Field;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Expected counts are worked out by hand in each test from the layer sizes, never taken from nnlab. */
class SummaryTest {
    private static int hookCount(Module m) throws ReflectiveOperationException {
        Field f = Module.class.getDeclaredField("hookCount");
        f.setAccessible(true);
        int n = 0;
        for (Module x : m.modules()) {
            n += f.getInt(x);
        }
        return n;
    }

    @Test
    void articlesCustomModuleHas325ParamsAndTorchinfosMultAdds() {
        ModelStatistics s = Summary.summary(new CustomModule(10, 20, 5), 64, 10);
        assertEquals(10 * 20 + 20 + 20 * 5 + 5, s.totalParams());
        assertEquals(325, s.totalParams());
        assertEquals(325, s.trainableParams());
        // torchinfo: batch x (weight + bias) per Linear
        assertEquals(64L * (10 * 20 + 20) + 64L * (20 * 5 + 5), s.totalMultAdds());
        List<SummaryRow> rows = s.rows();
        assertEquals(3, rows.size());
        assertEquals("CustomModule", rows.get(0).type());
        assertEquals("linear1", rows.get(1).path());
        assertEquals(1, rows.get(1).depth());
        assertArrayEquals(new int[] {64, 10}, rows.get(1).inputShapes().get(0));
        assertArrayEquals(new int[] {64, 20}, rows.get(1).outputShapes().get(0));
        assertArrayEquals(new int[] {10, 20}, rows.get(1).kernelShape());
        assertEquals(220, rows.get(1).params());
        assertEquals(64L * 10 * 4, s.inputBytes());
        assertEquals(325L * 4, s.paramBytes());
        String text = s.toString();
        assertTrue(text.contains("Total params: 325"), text);
        assertTrue(text.contains("├─Linear (linear1)"), text);
    }

    @Test
    void convAndLinearStackMultAddsByHand() {
        Sequential net = new Sequential(new Conv2d(3, 8, 3, 1, 1), new ReLU(), new MaxPool2d(2), new Flatten(),
                new Linear(8 * 4 * 4, 10));
        ModelStatistics s = Summary.summary(net, 2, 3, 8, 8);
        long conv = (8L * 3 * 3 * 3 + 8) * (2 * 8 * 8); // every weight and bias once per output position N*H*W
        long linear = 2L * (128 * 10 + 10);
        assertEquals(conv + linear, s.totalMultAdds());
        assertEquals(8 * 3 * 3 * 3 + 8 + 128 * 10 + 10, s.totalParams());
        SummaryRow c = s.rows().get(1);
        assertArrayEquals(new int[] {2, 8, 8, 8}, c.outputShapes().get(0));
        assertArrayEquals(new int[] {3, 8, 3, 3}, c.kernelShape());
        assertEquals(conv, c.multAdds());
        assertArrayEquals(new int[] {2, 128}, s.rows().get(4).outputShapes().get(0));
    }

    @Test
    void linearMultAddsCountEveryLeadingDimNotOnlyTheBatch() {
        ModelStatistics s = Summary.summary(new Linear(100, 50), 4, 7, 100);
        assertEquals(4L * 7 * (100 * 50 + 50), s.totalMultAdds());
    }

    /** An encoder and decoder that share one weight matrix, and a layer used twice. */
    static final class Tied extends Module {
        final Linear a = registerModule("a", new Linear(8, 8));
        final Linear b = registerModule("b", new Linear(8, 8));
        final Linear twice = registerModule("twice", new Linear(8, 8, false));

        Tied() {
            b.weight = b.registerParameter("weight", a.weight);
        }

        @Override
        public Tensor forward(Tensor x) {
            return twice.call(twice.call(b.call(a.call(x))));
        }
    }

    @Test
    void tiedAndReusedParametersAreCountedOnce() {
        ModelStatistics s = Summary.summary(new Tied(), 3, 8);
        long unique = 8 * 8 + 8 + 8 + 8 * 8; // a.weight (= b.weight), a.bias, b.bias, twice.weight
        assertEquals(unique, s.totalParams());
        assertEquals(unique, s.rows().stream().mapToLong(SummaryRow::params).sum());
        assertEquals(5, s.rows().size());
        assertEquals(8, s.rows().get(2).params()); // b: only its bias is new
        assertEquals(0, s.rows().get(4).params()); // the second call of twice
        // compute is done per call: a, b with biases, then twice twice without
        assertEquals(2 * 3L * (64 + 8) + 2 * 3L * 64, s.totalMultAdds());
    }

    @Test
    void depthLimitFoldsDescendantsIntoTheirAncestor() {
        Sequential net = new Sequential(new Sequential(new Linear(4, 4), new ReLU()), new Linear(4, 2));
        ModelStatistics s = Summary.of(net).input(5, 4).depth(1).run();
        assertEquals(3, s.rows().size());
        assertEquals(20, s.rows().get(1).params());
        assertEquals(5L * 20, s.rows().get(1).multAdds());
        assertEquals(10, s.rows().get(2).params());
        assertEquals(30, s.totalParams());
    }

    @Test
    void savedForBackwardCountsEachKeptTensorOnce() {
        // Linear(4,6) keeps its input [5,4]; ReLU keeps its output [5,6], which is also Linear(6,3)'s input.
        Sequential net = new Sequential(new Linear(4, 6), new ReLU(), new Linear(6, 3));
        ModelStatistics s = Summary.summary(net, 5, 4);
        assertEquals(4L * (5 * 4 + 5 * 6), s.savedForBackwardBytes());
        assertEquals(4L * (5 * 6 + 5 * 6 + 5 * 3), s.forwardBytes());
    }

    @Test
    void dropoutKeepsAMaskOnlyInTraining() {
        Sequential net = new Sequential(new Linear(4, 6), new Dropout(0.5));
        long input = 4L * 5 * 4;
        assertEquals(input + 4L * 5 * 6, Summary.of(net).input(5, 4).mode(Mode.TRAIN).run().savedForBackwardBytes());
        assertEquals(input, Summary.of(net).input(5, 4).mode(Mode.EVAL).run().savedForBackwardBytes());
    }

    @Test
    void forwardThrowingNamesTheLayerAndLeavesNoHooks() throws ReflectiveOperationException {
        Sequential net = new Sequential(new Linear(10, 5), new Linear(6, 2));
        net.train();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Summary.summary(net, 3, 10));
        assertTrue(e.getMessage().contains("in 1 (Linear)"), e.getMessage());
        assertTrue(e.getMessage().contains("mat1 and mat2 shapes cannot be multiplied (3x5 and 6x2)"), e.getMessage());
        assertEquals(0, hookCount(net));
        assertTrue(net.isTraining() && net.get(0).isTraining());
    }

    @Test
    void eachModulesModeIsRestoredAndTrainModeLeavesBuffersAlone() {
        BatchNorm1d bn = new BatchNorm1d(4);
        Dropout drop = new Dropout(0.5);
        Sequential net = new Sequential(new Linear(4, 4), bn, drop);
        net.train();
        drop.eval();
        float[] mean = bn.namedBuffers().get("running_mean").toFloatArray();
        Summary.of(net).input(16, 4).mode(Mode.TRAIN).run();
        assertTrue(net.isTraining() && bn.isTraining());
        assertFalse(drop.isTraining());
        assertArrayEquals(mean, bn.namedBuffers().get("running_mean").toFloatArray());
        Summary.of(net).input(16, 4).run();
        assertTrue(net.isTraining() && bn.isTraining());
        assertFalse(drop.isTraining());
    }

    @Test
    void eachModuleRunsInTheRequestedMode() {
        boolean[] seen = new boolean[2];
        Module probe = new Module() {
            @Override
            public Tensor forward(Tensor x) {
                seen[0] = isTraining();
                seen[1] = dev.nnlab.autograd.GradMode.isEnabled();
                return x;
            }
        };
        Summary.of(probe).input(2).mode(Mode.EVAL).run();
        assertFalse(seen[0]);
        assertFalse(seen[1]);
        Summary.of(probe).input(2).mode(Mode.TRAIN).run();
        assertTrue(seen[0]);
    }

    @Test
    void timesAreMeasuredPerRow() {
        ModelStatistics s = Summary.of(new Sequential(new Linear(8, 8), new ReLU())).input(4, 8).times(3).run();
        assertTrue(s.hasTimes());
        for (SummaryRow r : s.rows()) {
            assertTrue(r.seconds() >= 0 && Double.isFinite(r.seconds()), r.toString());
        }
        assertTrue(s.toString().contains("Time %"));
        assertEquals(12, s.toTable().columnCount());
    }

    @Test
    void chartSharesOfLeafLayersAddUpToTheWholeModel() {
        ModelStatistics s = Summary.summary(new Sequential(new Linear(4, 6), new ReLU(), new Linear(6, 3)), 5, 4);
        var c = s.chart();
        double params = 0;
        double work = 0;
        for (Number n : c.getSeriesMap().get("params").getYData()) {
            params += n.doubleValue();
        }
        for (Number n : c.getSeriesMap().get("mult-adds").getYData()) {
            work += n.doubleValue();
        }
        assertEquals(100, params, 1e-9);
        assertEquals(100, work, 1e-9);
        assertEquals(3, c.getSeriesMap().get("params").getXData().size());
    }

    @Test
    void badInputIsRejected() {
        Linear l = new Linear(2, 2);
        assertThrows(IllegalArgumentException.class, () -> Summary.of(l).run());
        assertThrows(IllegalArgumentException.class, () -> Summary.of(l).input(0, 2));
        assertThrows(IllegalArgumentException.class, () -> Summary.of(l).depth(-1));
        assertThrows(NullPointerException.class, () -> Summary.of(null));
    }
}
