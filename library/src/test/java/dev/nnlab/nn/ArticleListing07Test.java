package dev.nnlab.nn;

import dev.nnlab.autograd.RemovableHandle;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ARTICLE.md §4.1: the HookManager's captures and its in-place "clipping" through full backward hooks. */
class ArticleListing07Test {
    /** The article's HookManager, line for line. */
    static final class HookManager {
        final Module model;
        final Map<String, Tensor> activations = new LinkedHashMap<>();
        final Map<String, Tensor[]> inputGrads = new LinkedHashMap<>();
        final Map<String, Tensor> outputGrads = new LinkedHashMap<>();
        final List<RemovableHandle> hooks = new ArrayList<>();

        HookManager(Module model) {
            this.model = model;
        }

        void registerForwardHooks() {
            model.namedModules().forEach((name, module) -> {
                if (module instanceof Linear || module instanceof ReLU) {
                    hooks.add(module.registerForwardHook((m, input, output) -> {
                        activations.put(name, ((Tensor) output).detach());
                        return null;
                    }));
                }
            });
        }

        void registerBackwardHooks() {
            model.namedModules().forEach((name, module) -> {
                if (module instanceof Linear) {
                    hooks.add(module.registerFullBackwardHook((m, gradInput, gradOutput) -> {
                        inputGrads.put(name, Arrays.stream(gradInput).map(g -> g == null ? null : g.detach()).toArray(Tensor[]::new));
                        outputGrads.put(name, gradOutput[0] == null ? null : gradOutput[0].detach());
                        return null;
                    }));
                }
            });
        }

        void applyGradientClipping(double maxNorm) {
            for (Module module : model.modules()) {
                if (module instanceof Linear) {
                    hooks.add(module.registerFullBackwardHook((m, gradInput, gradOutput) -> {
                        double total = 0;
                        for (Tensor g : gradInput) if (g != null) total += Math.pow(norm(g.data()), 2);
                        total = Math.sqrt(total);
                        double clipCoef = maxNorm / (total + 1e-6);
                        if (clipCoef < 1) for (Tensor g : gradInput) if (g != null) g.data().mul_(clipCoef);
                        return null;
                    }));
                }
            }
        }

        void removeHooks() {
            hooks.forEach(RemovableHandle::remove);
            hooks.clear();
        }
    }

    /** The article breaks off inside SampleModel; this completion is the reference driver's. */
    static final class SampleModel extends Module {
        final Sequential net = registerModule("net", new Sequential(
                new Linear(10, 20), new ReLU(), new Linear(20, 20), new ReLU(), new Linear(20, 1)));

        @Override
        public Tensor forward(Tensor x) {
            return net.call(x);
        }
    }

    static double norm(Tensor t) {
        return TensorAsserts.norm(t);
    }

    private static Map<String, Tensor> paramGrads(Module model) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        model.namedParameters().forEach((n, p) -> out.put(n, p.grad().clone()));
        return out;
    }

    private static Tensor sumMse(Tensor out, Tensor target) {
        Tensor d = out.sub(target);
        return d.mul(d).sum();
    }

    @Test
    void capturesClippingAndRemoval() {
        Tensor.manualSeed(0);
        SampleModel model = new SampleModel();
        Tensor x = Tensor.randn(32, 10);
        Tensor target = Tensor.randn(32, 1);
        sumMse(model.call(x), target).backward();
        Map<String, Tensor> base = paramGrads(model);
        model.zeroGrad(true);

        Map<String, Double> probe = new LinkedHashMap<>();
        List<RemovableHandle> probes = new ArrayList<>();
        model.namedModules().forEach((name, mod) -> {
            if (mod instanceof Linear) {
                probes.add(mod.registerFullBackwardHook((m, gi, go) -> {
                    probe.put(name, gi[0] == null ? null : norm(gi[0]));
                    return null;
                }));
            }
        });
        HookManager manager = new HookManager(model);
        manager.registerForwardHooks();
        manager.registerBackwardHooks();
        manager.applyGradientClipping(1.0);
        assertEquals(11, manager.hooks.size());

        sumMse(model.call(x), target).backward();

        assertEquals(List.of("net.0", "net.1", "net.2", "net.3", "net.4"), new ArrayList<>(manager.activations.keySet()));
        for (String n : List.of("net.0", "net.1", "net.2", "net.3")) assertArrayEquals(new int[] {32, 20}, manager.activations.get(n).shape());
        assertArrayEquals(new int[] {32, 1}, manager.activations.get("net.4").shape());

        // Backward runs last layer first, as in the article's table.
        assertEquals(List.of("net.4", "net.2", "net.0"), new ArrayList<>(manager.inputGrads.keySet()));
        assertEquals(1, manager.inputGrads.get("net.4").length);
        assertArrayEquals(new int[] {32, 20}, manager.inputGrads.get("net.4")[0].shape());
        assertArrayEquals(new int[] {32, 1}, manager.outputGrads.get("net.4").shape());
        assertArrayEquals(new int[] {32, 20}, manager.inputGrads.get("net.2")[0].shape());
        assertArrayEquals(new int[] {32, 20}, manager.outputGrads.get("net.2").shape());
        assertNull(manager.inputGrads.get("net.0")[0], "x does not require grad");
        assertArrayEquals(new int[] {32, 20}, manager.outputGrads.get("net.0").shape());

        double seen4 = probe.get("net.4");
        assertTrue(seen4 > 1, "the random stream differs from PyTorch's, but the last layer's grad_input must be > 1: " + seen4);
        double factor = 1.0 / (seen4 + 1e-6);
        // The stored detached grad_input shares memory with the tensor the clipping hook scaled afterwards.
        assertEquals(1.0, norm(manager.inputGrads.get("net.4")[0]), 1e-5);
        assertTrue(probe.get("net.2") < 1, "net.2 sees an already scaled gradient");
        assertNull(probe.get("net.0"));

        Map<String, Tensor> hooked = paramGrads(model);
        for (String n : List.of("net.4.weight", "net.4.bias")) TensorAsserts.assertEqual(base.get(n), hooked.get(n), n + " unchanged");
        for (String n : List.of("net.0.weight", "net.0.bias", "net.2.weight", "net.2.bias")) {
            TensorAsserts.assertClose(base.get(n).mul(factor), hooked.get(n), 1e-5, 1e-7, n + " scaled by exactly " + factor);
        }

        manager.removeHooks();
        probes.forEach(RemovableHandle::remove);
        model.zeroGrad(true);
        sumMse(model.call(x), target).backward();
        model.namedParameters().forEach((n, p) -> TensorAsserts.assertEqual(base.get(n), p.grad(), n + " back to baseline"));
        assertNotNull(base.get("net.0.weight"));
    }

    @Test
    void inPlaceReluAfterAHookedLinearGivesTheUnhookedGradients() {
        // PyTorch raises "Output 0 of BackwardHookFunctionBackward is a view and is being modified inplace" here;
        // nnlab's identity nodes are not views, so the hooks run and the gradients are the plain ones.
        Tensor.manualSeed(3);
        Sequential m2 = new Sequential(new Linear(10, 20), new ReLU(true), new Linear(20, 1));
        Tensor x = Tensor.randn(32, 10);
        m2.call(x).sum().backward();
        Map<String, Tensor> plain = paramGrads(m2);
        m2.zeroGrad();
        HookManager manager = new HookManager(m2);
        manager.registerBackwardHooks();
        m2.call(x).sum().backward();
        assertEquals(List.of("2", "0"), new ArrayList<>(manager.inputGrads.keySet()));
        m2.namedParameters().forEach((n, p) -> TensorAsserts.assertClose(plain.get(n), p.grad(), 1e-6, 1e-7, n));
    }
}
