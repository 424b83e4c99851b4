package dev.nnlab.nn;

import dev.nnlab.autograd.NoGrad;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ARTICLE.md §3.2: a recursive module tree, and add_module on its leaves' Sequentials. */
class ArticleListing06Test {
    static final class HierarchicalModule extends Module {
        final int depth;
        final int width;
        ModuleList childrenModules;
        Linear combineLayer;
        Sequential leafLayer;

        HierarchicalModule(int depth, int width) {
            this.depth = depth;
            this.width = width;
            if (depth > 0) {
                childrenModules = registerModule("children_modules", new ModuleList());
                for (int i = 0; i < width; i++) childrenModules.append(new HierarchicalModule(depth - 1, width));
                combineLayer = registerModule("combine_layer", new Linear(width * 10, 10));
            } else {
                leafLayer = registerModule("leaf_layer", new Sequential(new Linear(10, 20), new ReLU(), new Linear(20, 10)));
            }
        }

        HierarchicalModule() {
            this(3, 5);
        }

        @Override
        public Tensor forward(Tensor x) {
            if (depth > 0) {
                List<Tensor> childOutputs = new ArrayList<>();
                for (Module child : childrenModules) childOutputs.add(child.call(x));
                Tensor combined = Tensor.cat(childOutputs, -1);
                return combineLayer.call(combined);
            }
            return leafLayer.call(x);
        }

        void applyToAll(Consumer<Module> func) {
            func.accept(this);
            if (depth > 0) for (Module child : childrenModules) ((HierarchicalModule) child).applyToAll(func);
        }
    }

    static void addDropout(Module module) {
        if (module instanceof HierarchicalModule h && h.leafLayer != null) h.leafLayer.addModule("dropout", new Dropout(0.1));
    }

    private static List<HierarchicalModule> nodes(Module root) {
        List<HierarchicalModule> out = new ArrayList<>();
        for (Module m : root.modules()) if (m instanceof HierarchicalModule h) out.add(h);
        return out;
    }

    private static long dropouts(Module root) {
        return root.modules().stream().filter(m -> m instanceof Dropout).count();
    }

    @Test
    void treeShapeAndCounts() {
        HierarchicalModule model = new HierarchicalModule(3, 2);
        assertEquals(4910, model.numParameters());
        assertEquals((long) NnFacts.<Long>model("Hierarchical32", "numel"), model.numParameters());
        assertEquals(69560, new HierarchicalModule().numParameters());
        assertEquals((long) NnFacts.<Long>model("Hierarchical35", "numel"), new HierarchicalModule().numParameters());
        List<HierarchicalModule> nodes = nodes(model);
        long leaves = nodes.stream().filter(h -> h.depth == 0).count();
        assertEquals(15, nodes.size());
        assertEquals(8, leaves);
    }

    @Test
    void addDropoutAppendsAFourthEntryAndASecondPassReplacesIt() {
        HierarchicalModule model = new HierarchicalModule(3, 2);
        model.applyToAll(ArticleListing06Test::addDropout);
        assertEquals(4910, model.numParameters(), "Dropout has no parameters");
        assertEquals(8, dropouts(model));
        Sequential leaf = nodes(model).stream().filter(h -> h.depth == 0).findFirst().orElseThrow().leafLayer;
        assertEquals(List.of("0", "1", "2", "dropout"), new ArrayList<>(leaf.namedChildren().keySet()));
        assertTrue(leaf.get(3) instanceof Dropout);
        Module firstDropout = leaf.get(3);
        model.applyToAll(ArticleListing06Test::addDropout);
        assertEquals(8, dropouts(model), "replaced, not duplicated");
        assertEquals(4, leaf.size());
        assertFalse(firstDropout == leaf.get(3));
        List<String> visited = new ArrayList<>();
        model.apply(m -> visited.add(m.getName()));
        assertEquals(69, visited.size(), "nn.Module.apply visits every submodule");

        HierarchicalModule small = new HierarchicalModule(1, 2);
        small.applyToAll(ArticleListing06Test::addDropout);
        small.applyToAll(ArticleListing06Test::addDropout);
        assertEquals(NnFacts.<String>model("Hierarchical12Dropout", "repr"), small.toString());
        assertEquals(NnFacts.<List<Object>>model("Hierarchical12Dropout", "state_dict"), new ArrayList<>(small.stateDict().keySet()));
    }

    @Test
    void theAddedDropoutRunsOnEachLeafsOutput() {
        Tensor.manualSeed(0);
        HierarchicalModule model = new HierarchicalModule(3, 2);
        model.applyToAll(ArticleListing06Test::addDropout);
        Sequential leaf = nodes(model).stream().filter(h -> h.depth == 0).findFirst().orElseThrow().leafLayer;
        try (var g = NoGrad.enter()) {
            double[] out = leaf.call(Tensor.randn(1000, 10)).toDoubleArray();
            long zeros = java.util.Arrays.stream(out).filter(v -> v == 0).count();
            assertEquals(0.1, zeros / (double) out.length, 0.02, "about 10% of a leaf's outputs are zeroed");
            leaf.eval();
            double[] evalOut = leaf.call(Tensor.randn(1000, 10)).toDoubleArray();
            assertEquals(0, java.util.Arrays.stream(evalOut).filter(v -> v == 0).count());
        }
    }

    @Test
    void evalOutputIsUnchangedTrainOutputsDiffer() {
        Tensor.manualSeed(0);
        HierarchicalModule model = new HierarchicalModule(3, 2);
        Tensor x = Tensor.randn(4, 10);
        try (var g = NoGrad.enter()) {
            model.eval();
            Tensor before = model.call(x);
            model.train();
            model.applyToAll(ArticleListing06Test::addDropout);
            model.eval();
            TensorAsserts.assertClose(before, model.call(x), 1e-6, 1e-7, "eval output unchanged");
            model.train();
            assertFalse(TensorAsserts.equal(model.call(x), model.call(x)), "training forwards differ");
        }
    }
}
