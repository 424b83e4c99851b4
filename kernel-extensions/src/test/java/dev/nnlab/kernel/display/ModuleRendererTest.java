package dev.nnlab.kernel.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnlab.nn.Linear;
import dev.nnlab.nn.Module;
import dev.nnlab.nn.ReLU;
import dev.nnlab.nn.Sequential;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

class ModuleRendererTest {
    /** Two places hold the same Linear, as a tied layer does. */
    static final class Tied extends Module {
        final Linear shared = registerModule("encoder", new Linear(4, 4));
        final Linear again = registerModule("decoder", shared);

        @Override
        public Tensor forward(Tensor x) {
            return again.call(shared.call(x));
        }
    }

    @Test
    void treeHasEachNodesCountAndTheTotal() {
        Sequential s = new Sequential(new Linear(100, 200), new ReLU(), new Linear(200, 100));
        String h = ModuleRenderer.html(s);
        int first = 100 * 200 + 200;
        int second = 200 * 100 + 100;
        assertTrue(h.contains("<b>Sequential</b> · " + String.format("%,d", first + second) + " params"), h);
        assertTrue(h.contains("(0): <b>Linear</b>(in_features=100, out_features=200, bias=True) · "
                + String.format("%,d", first) + " params"), h);
        assertTrue(h.contains("(1): <b>ReLU</b>() · 0 params"), h);
        assertTrue(h.contains("weight [200, 100], bias [200]"), h);
        assertTrue(h.contains("Total params: " + String.format("%,d", first + second)), h);
        assertTrue(h.contains("<details open>"), h);
    }

    @Test
    void aSharedModuleIsExpandedAndCountedOnce() {
        Tied t = new Tied();
        String h = ModuleRenderer.html(t);
        assertTrue(h.contains("Total params: " + (4 * 4 + 4) + "</b>"), h);
        assertTrue(h.contains("(decoder): <b>Linear</b> <i>shared with encoder, counted once</i>"), h);
    }

    @Test
    void frozenParametersAreNonTrainable() {
        Linear l = new Linear(3, 2);
        l.bias.requiresGrad_(false);
        String h = ModuleRenderer.html(l);
        assertTrue(h.contains("trainable 6 · non-trainable 2"), h);
        assertTrue(h.contains("bias [2] (frozen)"), h);
    }

    @Test
    void manyChildrenAreCounted() {
        Module[] layers = new Module[ModuleRenderer.MAX_CHILDREN + 50];
        for (int i = 0; i < layers.length; i++) {
            layers[i] = new ReLU();
        }
        String h = ModuleRenderer.html(new Sequential(layers));
        assertTrue(h.contains("… 50 more children"), h.substring(h.length() - 300));
        assertEquals(ModuleRenderer.MAX_CHILDREN, h.split("<b>ReLU</b>", -1).length - 1);
    }
}
