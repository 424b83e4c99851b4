package dev.nnlab.nn;

import dev.nnlab.autograd.NoGrad;
import dev.nnlab.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/** {@code state_dict} and {@code load_state_dict}: the walk over a module tree, its checks and its error text. */
final class StateDicts {
    private StateDicts() { }

    static void save(Module m, Map<String, Tensor> out, String prefix) {
        for (Module.StateDictPreHook h : List.copyOf(m.stateDictPreHooks)) h.apply(m, prefix);
        for (Map.Entry<String, Parameter> e : m.ownParameters().entrySet()) {
            if (e.getValue() != null) out.put(prefix + e.getKey(), e.getValue().detach());
        }
        for (Map.Entry<String, Tensor> e : m.ownBuffers().entrySet()) {
            if (e.getValue() != null && !m.nonPersistent.contains(e.getKey())) out.put(prefix + e.getKey(), e.getValue().detach());
        }
        for (Map.Entry<String, Module> e : m.ownModules().entrySet()) {
            if (e.getValue() != null) save(e.getValue(), out, prefix + e.getKey() + ".");
        }
        for (Module.StateDictPostHook h : List.copyOf(m.stateDictPostHooks)) h.apply(m, out, prefix);
    }

    /** A module with the prefix of its keys. */
    private record Site(String prefix, Module module) { }

    static Module.IncompatibleKeys load(Module root, Map<String, Tensor> stateDict, boolean strict) {
        Map<String, Tensor> sd = new LinkedHashMap<>(stateDict);
        List<Site> sites = new ArrayList<>();
        collect(root, "", sites);
        for (Site s : sites) {
            for (Module.LoadStateDictPreHook h : List.copyOf(s.module().loadPreHooks)) h.apply(s.module(), sd, s.prefix());
        }
        List<String> missing = new ArrayList<>();
        Set<String> unexpected = new LinkedHashSet<>();
        List<String> errors = new ArrayList<>();
        List<Tensor[]> copies = new ArrayList<>();
        for (Site s : sites) {
            Module m = s.module();
            Map<String, Tensor> local = new LinkedHashMap<>();
            for (Map.Entry<String, Parameter> e : m.ownParameters().entrySet()) {
                if (e.getValue() != null) local.put(e.getKey(), e.getValue());
            }
            for (Map.Entry<String, Tensor> e : m.ownBuffers().entrySet()) {
                if (e.getValue() != null && !m.nonPersistent.contains(e.getKey())) local.put(e.getKey(), e.getValue());
            }
            for (Map.Entry<String, Tensor> e : local.entrySet()) {
                String key = s.prefix() + e.getKey();
                Tensor input = sd.get(key);
                if (!sd.containsKey(key)) {
                    missing.add(key);
                } else if (input == null || !Arrays.equals(input.shape(), e.getValue().shape())) {
                    errors.add("size mismatch for " + key + ": copying a param with shape "
                            + (input == null ? "None" : torchSize(input.shape())) + " from checkpoint, the shape in "
                            + "current model is " + torchSize(e.getValue().shape()) + ".");
                } else {
                    copies.add(new Tensor[] {e.getValue(), input});
                }
            }
            for (String key : sd.keySet()) {
                if (!key.startsWith(s.prefix())) continue;
                String rest = key.substring(s.prefix().length());
                int dot = rest.indexOf('.');
                boolean known = dot >= 0 ? m.ownModules().get(rest.substring(0, dot)) != null : local.containsKey(rest);
                if (!known) unexpected.add(key);
            }
        }
        if (strict) {
            if (!unexpected.isEmpty()) errors.add(0, "Unexpected key(s) in state_dict: " + quoted(unexpected) + ". ");
            if (!missing.isEmpty()) errors.add(0, "Missing key(s) in state_dict: " + quoted(missing) + ". ");
        }
        if (!errors.isEmpty()) {
            throw new IllegalStateException("Error(s) in loading state_dict for " + root.getName() + ":\n\t"
                    + String.join("\n\t", errors));
        }
        try (var g = NoGrad.enter()) {
            for (Tensor[] c : copies) c[0].copy_(c[1]);
        }
        Module.IncompatibleKeys keys = new Module.IncompatibleKeys(missing, new ArrayList<>(unexpected));
        for (Site s : sites) {
            for (Module.LoadStateDictPostHook h : List.copyOf(s.module().loadPostHooks)) h.apply(s.module(), keys);
        }
        return keys;
    }

    private static void collect(Module m, String prefix, List<Site> out) {
        out.add(new Site(prefix, m));
        for (Map.Entry<String, Module> e : m.ownModules().entrySet()) {
            if (e.getValue() != null) collect(e.getValue(), prefix + e.getKey() + ".", out);
        }
    }

    private static String quoted(Iterable<String> keys) {
        StringJoiner j = new StringJoiner(", ");
        for (String k : keys) j.add("\"" + k + "\"");
        return j.toString();
    }

    static String torchSize(int[] shape) {
        StringJoiner j = new StringJoiner(", ", "torch.Size([", "])");
        for (int d : shape) j.add(Integer.toString(d));
        return j.toString();
    }
}
