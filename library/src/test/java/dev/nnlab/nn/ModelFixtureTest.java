package dev.nnlab.nn;

import dev.nnlab.models.CustomModule;
import dev.nnlab.Fixtures;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PyTorch models' weights loaded through {@code loadStateDict}: outputs, losses, parameter gradients, updated running
 * statistics and eval-mode outputs match PyTorch's (fixtures/nn/*.safetensors from fixtures_nn.py).
 */
class ModelFixtureTest {
    static Sequential cnn() {
        return new Sequential(new Conv2d(1, 4, 3, 1, 1, false), new BatchNorm2d(4), new ReLU(), new MaxPool2d(2),
                new Conv2d(4, 8, 3), new ReLU(), new AdaptiveAvgPool2d(1), new Flatten(), new Linear(8, 10));
    }

    static Sequential mlp() {
        return new Sequential(new Linear(10, 32), new LayerNorm(32), new SiLU(), new Linear(32, 16), new LeakyReLU(0.1),
                new Linear(16, 16), new ELU(), new Linear(16, 3));
    }

    /** Listing 3.2's tree with a forward (ArticleListing06Test.HierarchicalModule), as the fixture builds it. */
    private static void check(String name, Module model, Module lossFn) {
        Fixtures.Fixture f = Fixtures.load("nn/" + name);
        Map<String, Tensor> sd = new LinkedHashMap<>();
        f.tensors().forEach((k, v) -> {
            if (k.startsWith("sd.")) sd.put(k.substring(3), v);
        });
        assertEquals(sd.keySet(), model.stateDict().keySet(), name + ": state_dict keys");
        Module.IncompatibleKeys keys = model.loadStateDict(sd);
        assertTrue(keys.missingKeys().isEmpty() && keys.unexpectedKeys().isEmpty());
        Tensor out = model.call(f.tensor("x0"));
        Fixtures.assertClose(f.tensor("out"), out);
        Tensor loss = lossFn.call(new Object[] {out, f.tensor("target")});
        Fixtures.assertClose(f.tensor("loss"), loss);
        loss.backward();
        model.namedParameters().forEach((n, p) -> Fixtures.assertClose(f.tensor("grad." + n), p.grad(), 1e-4, 1e-5));
        model.namedBuffers().forEach((n, b) -> Fixtures.assertClose(f.tensor("after." + n), b));
        model.eval();
        Fixtures.assertClose(f.tensor("out_eval"), model.call(f.tensor("x0")));
    }

    @Test
    void smallCnnWithBatchNorm() {
        check("cnn", cnn(), new CrossEntropyLoss());
    }

    @Test
    void mlpWithLayerNormAndActivations() {
        check("mlp", mlp(), new MSELoss());
    }

    @Test
    void articlesCustomModule() {
        check("custom_module", new CustomModule(10, 20, 5), new L1Loss());
    }

    @Test
    void articlesHierarchicalModule() {
        check("hierarchical", new ArticleListing06Test.HierarchicalModule(1, 2), new MSELoss("sum"));
    }
}
