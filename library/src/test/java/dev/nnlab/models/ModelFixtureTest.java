package dev.nnlab.models;

import dev.nnlab.Fixtures;
import dev.nnlab.Fixtures.Fixture;
import dev.nnlab.io.SafeTensors;
import dev.nnlab.nn.BatchNorm2d;
import dev.nnlab.nn.Conv2d;
import dev.nnlab.nn.Flatten;
import dev.nnlab.nn.Linear;
import dev.nnlab.nn.MaxPool2d;
import dev.nnlab.nn.Module;
import dev.nnlab.nn.Parameter;
import dev.nnlab.nn.ReLU;
import dev.nnlab.nn.Sequential;
import dev.nnlab.nn.functional.F;
import dev.nnlab.optim.Adam;
import dev.nnlab.optim.Optimizer;
import dev.nnlab.optim.SGD;
import dev.nnlab.tensor.DType;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whole models against PyTorch ({@code fixtures_models.py}): PyTorch's initial weights are loaded from safetensors,
 * then the output, loss, gradients, buffers and 3 steps of SGD and Adam must match what PyTorch computed.
 */
class ModelFixtureTest {
    static Module build(String name) {
        Map<String, Supplier<Module>> models = Map.of(
                "mlp", () -> new Sequential(new Linear(6, 8), new ReLU(), new Linear(8, 3)),
                "custom", () -> new CustomModule(10, 20, 5),
                "hierarchical", () -> new HierarchicalModule(2, 2),
                "cnn", () -> new Sequential(new Conv2d(1, 4, 3, 1, 1, false), new BatchNorm2d(4), new ReLU(), new MaxPool2d(2),
                        new Flatten(), new Linear(4 * 4 * 4, 3)));
        return models.get(name).get();
    }

    /** The model with PyTorch's initial weights, loaded strictly from {@code <name>_weights.safetensors}. */
    static Module loaded(String name) {
        return load(build(name), name);
    }

    static Module load(Module m, String name) {
        var r = m.loadStateDict(SafeTensors.load(Fixtures.path("models/" + name + "_weights")), true);
        assertTrue(r.missingKeys().isEmpty() && r.unexpectedKeys().isEmpty(), r::toString);
        return m;
    }

    static Tensor loss(Fixture f, Tensor out) {
        Tensor target = f.tensor("target");
        return f.meta("loss").equals("mse") ? F.mseLoss(out, target) : F.crossEntropy(out, target);
    }

    static List<String> list(String csv) {
        return csv.isEmpty() ? List.of() : Arrays.asList(csv.split(","));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mlp", "cnn", "custom", "hierarchical"})
    void keysMatchPyTorch(String name) {
        Fixture f = Fixtures.load("models/" + name + "_case");
        Module m = build(name);
        assertEquals(list(f.meta("state_dict_keys")), List.copyOf(m.stateDict().keySet()));
        assertEquals(list(f.meta("parameters")), List.copyOf(m.namedParameters().keySet()));
        assertEquals(list(f.meta("buffers")), List.copyOf(m.namedBuffers().keySet()));
        assertEquals(Long.parseLong(f.meta("num_parameters")), m.numParameters());
        var file = SafeTensors.load(Fixtures.path("models/" + name + "_weights"));
        assertEquals(new TreeSet<>(file.keySet()), new TreeSet<>(m.stateDict().keySet()));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mlp", "cnn", "custom", "hierarchical"})
    void loadCopiesWeightsExactly(String name) {
        var file = SafeTensors.load(Fixtures.path("models/" + name + "_weights"));
        Module m = loaded(name);
        m.stateDict().forEach((k, v) -> {
            assertEquals(file.get(k).dtype(), v.dtype(), k);
            assertTrue(file.get(k).equal(v), k);
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mlp", "cnn", "custom", "hierarchical"})
    void forwardLossAndGradients(String name) {
        Fixture f = Fixtures.load("models/" + name + "_case");
        Module m = loaded(name);
        Tensor out = m.call(f.tensor("x"));
        Fixtures.assertClose(f.tensor("out"), out);
        Tensor loss = loss(f, out);
        Fixtures.assertClose(f.tensor("loss"), loss);
        loss.backward();
        m.namedParameters().forEach((n, p) -> {
            assertTrue(p.grad() != null, () -> n + " has no gradient");
            Fixtures.assertClose(f.tensor("grad." + n), p.grad());
        });
        m.namedBuffers().forEach((n, b) -> assertClose(f, "buffer." + n, b));
        m.eval();
        Fixtures.assertClose(f.tensor("eval_out"), m.call(f.tensor("x")));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mlp", "cnn", "custom", "hierarchical"})
    void sgdThreeSteps(String name) {
        train(name, "sgd", ps -> SGD.builder(ps).lr(0.1).momentum(0.9).build());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mlp", "cnn", "custom", "hierarchical"})
    void adamThreeSteps(String name) {
        train(name, "adam", ps -> Adam.builder(ps).lr(1e-2).build());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mlp", "cnn", "custom", "hierarchical"})
    void gradientsAccumulateWithoutZeroGrad(String name) {
        Fixture f = Fixtures.load("models/" + name + "_case");
        Module m = loaded(name);
        for (int i = 0; i < 2; i++) loss(f, m.call(f.tensor("x"))).backward();
        m.namedParameters().forEach((n, p) -> Fixtures.assertClose(f.tensor("grad." + n).mul(2), p.grad()));
        m.zeroGrad();
        m.namedParameters().forEach((n, p) -> assertEquals(null, p.grad(), n));
    }

    /** The float64 paths end to end: same results as PyTorch's float32 run, to float32 accuracy. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mlp", "cnn", "custom", "hierarchical"})
    void float64ForwardAndGradients(String name) {
        Fixture f = Fixtures.load("models/" + name + "_case");
        Module m = loaded(name).toDouble();
        Tensor out = m.call(f.tensor("x").toDouble());
        assertEquals(DType.FLOAT64, out.dtype());
        Fixtures.assertClose(f.tensor("out"), out);
        Tensor target = f.tensor("target");
        Tensor loss = f.meta("loss").equals("mse") ? F.mseLoss(out, target.toDouble()) : F.crossEntropy(out, target);
        Fixtures.assertClose(f.tensor("loss"), loss);
        loss.backward();
        m.namedParameters().forEach((n, p) -> {
            assertEquals(DType.FLOAT64, p.grad().dtype(), n);
            Fixtures.assertClose(f.tensor("grad." + n), p.grad());
        });
    }

    /** Three steps on the same batch from PyTorch's initial weights, each recomputing the forward and the loss. */
    private static void train(String name, String prefix, Function<List<Parameter>, Optimizer> make) {
        Fixture f = Fixtures.load("models/" + name + "_case");
        assertEquals("3", f.meta("steps"));
        Module m = build(name);
        // Made before loading, as users often do: loading must copy into the same Parameter objects.
        Optimizer opt = make.apply(m.parameters());
        load(m, name);
        for (int s = 0; s < 3; s++) {
            opt.zeroGrad();
            loss(f, m.call(f.tensor("x"))).backward();
            opt.step();
        }
        m.namedParameters().forEach((n, p) -> Fixtures.assertClose(f.tensor(prefix + "." + n), p));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mlp", "cnn", "custom", "hierarchical"})
    void savedStateDictReloadsIdentically(String name, @TempDir Path dir) {
        Fixture f = Fixtures.load("models/" + name + "_case");
        Module m = loaded(name);
        Path file = dir.resolve(name + ".safetensors");
        SafeTensors.save(m.stateDict(), file);
        Module fresh = build(name);
        fresh.loadStateDict(SafeTensors.load(file), true);
        LinkedHashMap<String, Tensor> a = m.stateDict(), b = fresh.stateDict();
        assertEquals(List.copyOf(a.keySet()), List.copyOf(b.keySet()));
        a.forEach((k, v) -> assertTrue(v.equal(b.get(k)), k));
        m.eval();
        fresh.eval();
        Tensor x = f.tensor("x");
        assertArrayEquals(m.call(x).toDoubleArray(), fresh.call(x).toDoubleArray());
    }

    /** Integer buffers (BatchNorm's num_batches_tracked) must match exactly, float ones within float32 tolerance. */
    private static void assertClose(Fixture f, String key, Tensor actual) {
        Tensor expected = f.tensor(key);
        assertEquals(expected.dtype(), actual.dtype(), key);
        if (expected.isFloatingPoint()) Fixtures.assertClose(expected, actual);
        else assertTrue(expected.equal(actual), () -> key + ": " + actual + " != " + expected);
    }
}
