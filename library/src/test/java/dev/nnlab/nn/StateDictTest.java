package dev.nnlab.nn;

import dev.nnlab.tensor.DType;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** stateDict/loadStateDict: keys, round trips, atomic strict failures, PyTorch's error text, hooks. */
class StateDictTest {
    private static Sequential model() {
        return new Sequential(new Linear(4, 4), new ReLU());
    }

    private static Map<String, double[]> snapshot(Module m) {
        Map<String, double[]> out = new LinkedHashMap<>();
        m.stateDict().forEach((k, v) -> out.put(k, v.toDoubleArray()));
        return out;
    }

    private static void assertUnchanged(Map<String, double[]> before, Module m) {
        Map<String, double[]> after = snapshot(m);
        assertEquals(before.keySet(), after.keySet());
        before.forEach((k, v) -> assertTrue(java.util.Arrays.equals(v, after.get(k)), k + " untouched"));
    }

    @Test
    void roundTripCopiesIntoTheSameTensors() {
        Sequential a = model();
        Sequential b = model();
        Parameter w = (Parameter) b.getParameter("0.weight");
        Module.IncompatibleKeys keys = b.loadStateDict(a.stateDict());
        assertTrue(keys.missingKeys().isEmpty() && keys.unexpectedKeys().isEmpty());
        assertEquals(NnFacts.get("errors", "all_matched_repr"), keys.toString());
        assertSame(w, b.getParameter("0.weight"), "identity preserved");
        assertSame(w, ((Linear) b.get(0)).weight);
        TensorAsserts.assertEqual(a.getParameter("0.weight"), w, "copied");
        assertTrue(w.requiresGrad() && w.isLeaf() && w.gradFn() == null);
    }

    @Test
    void stateDictValuesAreDetachedAndShareData() {
        Linear l = new Linear(2, 2);
        Tensor w = l.stateDict().get("weight");
        assertFalse(w.requiresGrad());
        assertTrue(w.sharesStorageWith(l.weight));
        assertEquals(List.of("p.weight", "p.bias"), new ArrayList<>(l.stateDict("p.").keySet()));
    }

    @Test
    void nonPersistentBuffersAreLeftOut() {
        Linear l = new Linear(2, 2);
        l.registerBuffer("kept", Tensor.zeros(1));
        l.registerBuffer("scratch", Tensor.zeros(1), false);
        assertEquals(List.of("weight", "bias", "kept"), new ArrayList<>(l.stateDict().keySet()));
        assertEquals(List.of("kept", "scratch"), new ArrayList<>(l.namedBuffers().keySet()));
    }

    @Test
    void strictFailureThrowsPyTorchsTextAndLeavesModelUntouched() {
        Sequential seq = model();
        Map<String, double[]> before = snapshot(seq);
        LinkedHashMap<String, Tensor> sd = model().stateDict();
        sd.remove("0.bias");
        sd.put("extra", Tensor.zeros(1));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> seq.loadStateDict(sd));
        assertEquals(NnFacts.get("errors", "load_missing_unexpected"), e.getMessage());
        assertUnchanged(before, seq);

        Module.IncompatibleKeys keys = seq.loadStateDict(sd, false);
        assertEquals(List.of("0.bias"), keys.missingKeys());
        assertEquals(List.of("extra"), keys.unexpectedKeys());
        assertEquals(NnFacts.<Map<String, Object>>get("errors", "non_strict_result").get("repr"), keys.toString());
        TensorAsserts.assertEqual(sd.get("0.weight"), seq.getParameter("0.weight"), "non-strict loads what matches");
    }

    @Test
    void shapeMismatchThrowsEvenWhenNotStrictAndCopiesNothing() {
        Sequential seq = model();
        Map<String, double[]> before = snapshot(seq);
        LinkedHashMap<String, Tensor> sd = new Sequential(new Linear(4, 3), new ReLU()).stateDict();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> seq.loadStateDict(sd));
        assertEquals(NnFacts.get("errors", "load_size_mismatch"), e.getMessage());
        assertUnchanged(before, seq);
        LinkedHashMap<String, Tensor> mixed = model().stateDict();
        mixed.put("0.bias", Tensor.zeros(3));
        assertThrows(IllegalStateException.class, () -> seq.loadStateDict(mixed, false));
        assertUnchanged(before, seq);
    }

    @Test
    void loadConvertsDtypeIntoTheExistingTensor() {
        Linear l = new Linear(2, 2);
        Linear d = new Linear(2, 2);
        d.toDouble();
        l.loadStateDict(d.stateDict());
        assertEquals(DType.FLOAT32, l.weight.dtype());
        TensorAsserts.assertClose(d.weight.detach(), l.weight.detach().toDouble(), 1e-7, 0, "values");
    }

    @Test
    void tiedWeightsAppearUnderBothKeysAndLoadBoth() {
        Linear shared = new Linear(3, 3);
        Sequential seq = new Sequential(shared, shared);
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias"), new ArrayList<>(seq.stateDict().keySet()));
        seq.loadStateDict(new Sequential(shared, shared).stateDict());
    }

    @Test
    void stateDictHooks() {
        Linear l = new Linear(2, 2);
        List<String> log = new ArrayList<>();
        l.registerStateDictPreHook((m, prefix) -> log.add("pre:" + prefix));
        var post = l.registerStateDictPostHook((m, sd, prefix) -> sd.put(prefix + "version", Tensor.scalar(2)));
        Sequential seq = new Sequential(l);
        assertEquals(List.of("0.weight", "0.bias", "0.version"), new ArrayList<>(seq.stateDict().keySet()));
        assertEquals(List.of("pre:0."), log);
        post.remove();
        assertEquals(List.of("0.weight", "0.bias"), new ArrayList<>(seq.stateDict().keySet()));

        // A load pre-hook renames old checkpoint keys; a post hook sees the result.
        Linear target = new Linear(2, 2);
        target.registerLoadStateDictPreHook((m, sd, prefix) -> {
            if (sd.containsKey(prefix + "w")) sd.put(prefix + "weight", sd.remove(prefix + "w"));
        });
        List<Module.IncompatibleKeys> seen = new ArrayList<>();
        target.registerLoadStateDictPostHook((m, keys) -> seen.add(keys));
        Map<String, Tensor> old = new LinkedHashMap<>();
        old.put("w", l.weight.detach());
        old.put("bias", l.bias.detach());
        target.loadStateDict(old);
        TensorAsserts.assertEqual(l.weight, target.weight, "renamed key loaded");
        assertEquals(1, seen.size());
        assertTrue(old.containsKey("w"), "the caller's map is not edited");
    }
}
