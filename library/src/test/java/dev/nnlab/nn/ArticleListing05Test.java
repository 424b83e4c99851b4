package dev.nnlab.nn;

import dev.nnlab.autograd.NoGrad;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** ARTICLE.md §3.1: Sequential vs ModuleList vs ModuleDict, with a layer mask and a head name as arguments. */
class ArticleListing05Test {
    static Sequential testSequential() {
        return new Sequential(new Linear(100, 200), new ReLU(), new Dropout(0.1), new Linear(200, 100), new Sigmoid());
    }

    static final class ComplexNetwork extends Module {
        final ModuleList layers = registerModule("layers", new ModuleList(
                new Linear(100, 150), new Linear(150, 200), new Linear(200, 150), new Linear(150, 100)));
        final ModuleList activations = registerModule("activations", new ModuleList(
                new ReLU(), new LeakyReLU(0.1), new ELU(), new Identity()));

        @Override
        @SuppressWarnings("unchecked")
        public Object forward(Object... args) {
            Tensor x = (Tensor) args[0];
            List<Boolean> layerMask = args.length > 1 ? (List<Boolean>) args[1] : Collections.nCopies(layers.size(), true);
            for (int i = 0; i < layers.size() && i < layerMask.size(); i++) {
                if (layerMask.get(i)) x = activations.get(i).call(layers.get(i).call(x));
            }
            return x;
        }
    }

    static final class MultiHeadNetwork extends Module {
        final ModuleDict heads = registerModule("heads", new ModuleDict());

        MultiHeadNetwork() {
            heads.put("classification", new Sequential(new Linear(100, 50), new ReLU(), new Linear(50, 10)));
            heads.put("regression", new Sequential(new Linear(100, 50), new ReLU(), new Linear(50, 1)));
            heads.put("embedding", new Sequential(new Linear(100, 200), new Tanh()));
        }

        @Override
        public Object forward(Object... args) {
            String headType = args.length > 1 ? (String) args[1] : "classification";
            return heads.get(headType).call((Tensor) args[0]);
        }
    }

    @Test
    void theThreeNetworksAreDifferentNetworks() {
        Tensor x = Tensor.randn(64, 100);
        Module[] nets = {testSequential(), new ComplexNetwork(), new MultiHeadNetwork()};
        String[] names = {"Sequential31", "ComplexNetwork", "MultiHeadNetwork"};
        long[] counts = {40300, 90600, 30861};
        int[][] shapes = {{64, 100}, {64, 100}, {64, 10}};
        for (int i = 0; i < nets.length; i++) {
            assertEquals(counts[i], nets[i].numParameters());
            assertEquals((long) NnFacts.<Long>model(names[i], "numel"), nets[i].numParameters());
            assertEquals(NnFacts.<String>model(names[i], "repr"), nets[i].toString());
            assertArrayEquals(shapes[i], nets[i].<Tensor>call(x).shape());
        }
    }

    @Test
    void onlyTheDefaultHeadRuns() {
        MultiHeadNetwork md = new MultiHeadNetwork();
        assertEquals(5560, md.heads.get("classification").numParameters());
        Tensor x = Tensor.randn(64, 100);
        assertArrayEquals(new int[] {64, 10}, md.<Tensor>call(x, "classification").shape());
        assertArrayEquals(new int[] {64, 1}, md.<Tensor>call(x, "regression").shape());
        assertArrayEquals(new int[] {64, 200}, md.<Tensor>call(x, "embedding").shape());
    }

    @Test
    void theLayerMaskCannotSkipLayers() {
        ComplexNetwork ml = new ComplexNetwork();
        Tensor x = Tensor.randn(64, 100);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ml.call(x, List.of(true, false, true, true)));
        assertEquals("mat1 and mat2 shapes cannot be multiplied (64x150 and 200x150)", e.getMessage());
    }

    @Test
    void likeForLikeContainersGiveIdenticalOutputs() {
        int[] dims = {100, 150, 200, 150, 100};
        List<Module> mods = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            mods.add(new Linear(dims[i], dims[i + 1]));
            mods.add(new ReLU());
        }
        Sequential seq = new Sequential(mods.toArray(new Module[0]));
        ModuleList list = new ModuleList(mods);
        LinkedHashMap<String, Module> named = new LinkedHashMap<>();
        for (int i = 0; i < mods.size(); i++) named.put("m" + i, mods.get(i));
        ModuleDict dict = new ModuleDict(named);
        Tensor x = Tensor.randn(64, 100);
        try (var g = NoGrad.enter()) {
            Tensor a = seq.call(x);
            Tensor b = x;
            for (Module m : list) b = m.call(b);
            Tensor c = x;
            for (Map.Entry<String, Module> e : dict.items()) c = e.getValue().call(c);
            TensorAsserts.assertEqual(a, b, "ModuleList");
            TensorAsserts.assertEqual(a, c, "ModuleDict");
        }
    }
}
