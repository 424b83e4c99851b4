package dev.nnlab.bench;

import dev.nnlab.autograd.NoGrad;
import dev.nnlab.autograd.RemovableHandle;
import dev.nnlab.nn.Dropout;
import dev.nnlab.nn.ELU;
import dev.nnlab.nn.Identity;
import dev.nnlab.nn.LeakyReLU;
import dev.nnlab.nn.Linear;
import dev.nnlab.nn.Module;
import dev.nnlab.nn.ModuleDict;
import dev.nnlab.nn.ModuleList;
import dev.nnlab.nn.ReLU;
import dev.nnlab.nn.Sequential;
import dev.nnlab.nn.Sigmoid;
import dev.nnlab.nn.Tanh;
import dev.nnlab.tensor.Generator;
import dev.nnlab.tensor.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The article's container comparison (section 3.1) done properly. {@link #article} times its three networks, which
 * are different networks (40,300 / 90,600 / 30,861 parameters, and the ModuleDict one runs a single head), so their
 * times measure the work, not the containers; {@link #fair} puts the same layers in a Sequential, a ModuleList loop
 * and a ModuleDict loop, so that only the container differs.
 */
public final class Containers {
    private Containers() { }

    /** The article's Sequential: Linear(100, 200), ReLU, Dropout(0.1), Linear(200, 100), Sigmoid. */
    public static Sequential sequential() {
        return new Sequential(new Linear(100, 200), new ReLU(), new Dropout(0.1), new Linear(200, 100), new Sigmoid());
    }

    /** The article's ModuleList network: four Linear layers, each followed by its own activation. */
    public static final class ComplexNetwork extends Module {
        final ModuleList layers = registerModule("layers", new ModuleList(
                new Linear(100, 150), new Linear(150, 200), new Linear(200, 150), new Linear(150, 100)));
        final ModuleList activations = registerModule("activations", new ModuleList(
                new ReLU(), new LeakyReLU(0.1), new ELU(), new Identity()));

        @Override
        public Tensor forward(Tensor x) {
            for (int i = 0; i < layers.size(); i++) x = activations.get(i).call(layers.get(i).call(x));
            return x;
        }
    }

    /** The article's ModuleDict network; its default head is 'classification', the only one that runs. */
    public static final class MultiHeadNetwork extends Module {
        final ModuleDict heads;

        public MultiHeadNetwork() {
            LinkedHashMap<String, Module> h = new LinkedHashMap<>();
            h.put("classification", new Sequential(new Linear(100, 50), new ReLU(), new Linear(50, 10)));
            h.put("regression", new Sequential(new Linear(100, 50), new ReLU(), new Linear(50, 1)));
            h.put("embedding", new Sequential(new Linear(100, 200), new Tanh()));
            heads = registerModule("heads", new ModuleDict(h));
        }

        @Override
        public Tensor forward(Tensor x) {
            return heads.get("classification").call(x);
        }
    }

    /** Runs the given modules in order from a ModuleList, the way a hand-written forward loops over one. */
    public static final class ListLoop extends Module {
        final ModuleList layers;

        public ListLoop(List<Module> modules) {
            layers = registerModule("layers", new ModuleList(modules.toArray(new Module[0])));
        }

        @Override
        public Tensor forward(Tensor x) {
            for (Module m : layers) x = m.call(x);
            return x;
        }
    }

    /** Runs the given modules in insertion order from a ModuleDict ("m0", "m1", ...). */
    public static final class DictLoop extends Module {
        final ModuleDict layers;

        public DictLoop(List<Module> modules) {
            LinkedHashMap<String, Module> named = new LinkedHashMap<>();
            for (int i = 0; i < modules.size(); i++) named.put("m" + i, modules.get(i));
            layers = registerModule("layers", new ModuleDict(named));
        }

        @Override
        public Tensor forward(Tensor x) {
            for (Module m : layers.values()) x = m.call(x);
            return x;
        }
    }

    /** The article's three networks in train mode on a {@code batch}x100 input, explained in the notes. */
    public static Benchmark article(int batch) {
        checkBatch(batch);
        Module[] nets = {sequential(), new ComplexNetwork(), new MultiHeadNetwork()};
        String[] names = {"Sequential", "ModuleList", "ModuleDict"};
        Benchmark b = new Benchmark("article §3.1 containers, batch " + batch);
        Tensor x = Tensor.randn(new Generator(0), batch, 100);
        List<String> work = new ArrayList<>();
        for (int i = 0; i < nets.length; i++) {
            nets[i].train();
            b.model(names[i], nets[i], x);
            Work w = work(nets[i], x);
            long total = nets[i].numParameters();
            work.add(String.format(Locale.ROOT, "%s %,d parameters%s, %,d multiply-adds per sample", names[i], total,
                    w.params == total ? "" : String.format(Locale.ROOT, " (its forward runs %,d of them)", w.params),
                    w.macs));
        }
        return b.note("The article's loop times 1000 calls once (time.time(), 10 warm-up calls): one sample, no spread;"
                        + " in its six PyTorch runs Sequential took 0.17-0.29 s and ModuleList 0.16-0.35 s, swapping places."
                        + " Here each cell is a median over many runs after a warm-up that waits for the JIT.")
                .note("The three are different networks: " + String.join("; ", work) + ".")
                .note("The ModuleDict net runs only its 'classification' head. Times follow the work, not the container;"
                        + " the fair comparison (Containers.fair, %bench containers --fair) puts the same layers in each.");
    }

    /** The same eight modules (Linear 100-150-200-150-100, each followed by ReLU) held by each container. */
    public static Benchmark fair(int batch) {
        checkBatch(batch);
        List<Module> mods = new ArrayList<>();
        int[] dims = {100, 150, 200, 150, 100};
        for (int i = 0; i + 1 < dims.length; i++) {
            mods.add(new Linear(dims[i], dims[i + 1]));
            mods.add(new ReLU());
        }
        Module seq = new Sequential(mods.toArray(new Module[0]));
        Tensor x = Tensor.randn(new Generator(0), batch, 100);
        long params = seq.numParameters();
        return new Benchmark("same layers in each container, batch " + batch)
                .model("Sequential", seq, x)
                .model("ModuleList loop", new ListLoop(mods), x)
                .model("ModuleDict loop", new DictLoop(mods), x)
                .note(String.format(Locale.ROOT, "All three hold the very same %d modules (%,d parameters, %,d"
                        + " multiply-adds per sample), so their outputs are identical and only the container and its loop"
                        + " differ: the differences are the containers' overhead per call.", mods.size(), params,
                        work(seq, x).macs));
    }

    private static void checkBatch(int batch) {
        if (batch < 1) throw new IllegalArgumentException("batch must be at least 1, got " + batch);
    }

    private record Work(long params, long macs) { }

    /** Parameters and Linear multiply-adds (per sample) of the leaf modules that one no-grad forward really runs. */
    static Work work(Module model, Tensor x) {
        Set<Module> ran = Collections.newSetFromMap(new IdentityHashMap<>());
        List<RemovableHandle> handles = new ArrayList<>();
        try (var g = NoGrad.enter()) {
            for (Module m : model.modules()) {
                if (m.children().isEmpty()) {
                    handles.add(m.registerForwardHook((mod, in, out) -> {
                        ran.add(mod);
                        return null;
                    }));
                }
            }
            model.call(x);
        } finally {
            handles.forEach(RemovableHandle::remove);
        }
        long params = 0, macs = 0;
        for (Module m : ran) {
            params += m.numParameters();
            if (m instanceof Linear l) macs += (long) l.inFeatures * l.outFeatures;
        }
        return new Work(params, macs);
    }
}
