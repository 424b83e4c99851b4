package dev.nnlab.nn;

import dev.nnlab.autograd.NoGrad;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ARTICLE.md §1.2: a forward with an optional depth argument that returns (output, depth). */
class ArticleListing02Test {
    static final class DynamicNetwork extends Module {
        record Out(Tensor output, int depth) { }

        final int maxDepth;
        final ModuleList layers = registerModule("layers", new ModuleList());
        final Parameter gates;

        DynamicNetwork(int maxDepth) {
            this.maxDepth = maxDepth;
            for (int i = 0; i < maxDepth; i++) layers.append(new Sequential(new Linear(10, 20), new ReLU(), new Linear(20, 10)));
            gates = registerParameter("gates", new Parameter(Tensor.randn(maxDepth)));
        }

        @Override
        public Object forward(Object... args) {
            Tensor x = (Tensor) args[0];
            Integer depth = args.length > 1 ? (Integer) args[1] : null;
            if (depth == null) {
                Tensor probs = gates.sigmoid();
                Tensor gumbelNoise = Tensor.randLike(probs).log().neg().log().neg();
                Tensor scores = probs.log().add(gumbelNoise).div(1.0);
                depth = (int) scores.argmax().item() + 1;
            } else {
                depth = Math.min(depth, maxDepth);
            }
            for (int i = 0; i < depth; i++) x = layers.get(i).call(x);
            return new Out(x, depth);
        }
    }

    @Test
    void structureAsPyTorch() {
        DynamicNetwork model = new DynamicNetwork(5);
        assertEquals(2155, model.numParameters());
        assertEquals(NnFacts.<String>model("DynamicNetwork", "repr"), model.toString());
        assertEquals(NnFacts.<List<Object>>model("DynamicNetwork", "state_dict"), new ArrayList<>(model.stateDict().keySet()));
    }

    @Test
    void explicitDepthIsClampedAndOnlyLayersThatRanGetGradients() {
        DynamicNetwork model = new DynamicNetwork(5);
        Tensor input = Tensor.randn(32, 10);
        DynamicNetwork.Out clamped = model.call(input, 9);
        ClassCastException e = org.junit.jupiter.api.Assertions.assertThrows(ClassCastException.class, () -> model.call(input));
        assertEquals("DynamicNetwork returned Out, not a Tensor: call it as `Out r = m.call(new Object[] {x})`", e.getMessage());
        DynamicNetwork.Out sampled = model.call(new Object[] {input});
        assertTrue(sampled.depth() >= 1 && sampled.depth() <= 5);
        assertEquals(5, clamped.depth());
        DynamicNetwork.Out out = model.call(input, 2);
        assertArrayEquals(new int[] {32, 10}, out.output().shape());
        model.zeroGrad();
        out.output().sum().backward();
        assertNull(model.gates.grad(), "the depth is an int: no gradient reaches the gates");
        for (int i = 0; i < 5; i++) {
            Linear first = (Linear) ((Sequential) model.layers.get(i)).get(0);
            if (i < 2) assertNotNull(first.weight.grad(), "layer " + i + " ran");
            else assertNull(first.weight.grad(), "layer " + i + " did not run");
        }
    }

    @Test
    void sampledDepthFollowsSigmoidOverSumAndNeverTrainsTheGates() {
        Tensor.manualSeed(0);
        DynamicNetwork model = new DynamicNetwork(5);
        Tensor input = Tensor.randn(32, 10);
        DynamicNetwork.Out out = model.call(input, null);
        assertTrue(out.depth() >= 1 && out.depth() <= 5);
        out.output().sum().backward();
        assertNull(model.gates.grad());
        int n = 4000;
        int[] counts = new int[5];
        try (var g = NoGrad.enter()) {
            for (int i = 0; i < n; i++) counts[model.<DynamicNetwork.Out>call(input, null).depth() - 1]++;
        }
        double[] p = model.gates.detach().sigmoid().toDoubleArray();
        double sum = 0;
        for (double v : p) sum += v;
        for (int i = 0; i < 5; i++) assertEquals(p[i] / sum, counts[i] / (double) n, 0.03, "depth " + (i + 1));
    }
}
