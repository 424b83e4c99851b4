package dev.nnlab.bench;

import dev.nnlab.autograd.NoGrad;
import dev.nnlab.hooks.Recorder;
import dev.nnlab.nn.BatchNorm2d;
import dev.nnlab.nn.Conv2d;
import dev.nnlab.nn.Dropout;
import dev.nnlab.nn.ELU;
import dev.nnlab.nn.Flatten;
import dev.nnlab.nn.Identity;
import dev.nnlab.nn.LeakyReLU;
import dev.nnlab.nn.Linear;
import dev.nnlab.nn.MaxPool2d;
import dev.nnlab.nn.Module;
import dev.nnlab.nn.ModuleDict;
import dev.nnlab.nn.ModuleList;
import dev.nnlab.nn.ReLU;
import dev.nnlab.nn.Sequential;
import dev.nnlab.nn.Sigmoid;
import dev.nnlab.nn.Tanh;
import dev.nnlab.nn.functional.F;
import dev.nnlab.optim.SGD;
import dev.nnlab.tensor.Tensor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark rows, built exactly as PyTorch's anchor ({@code scripts/torch_bench.py}) builds them: the
 * article's three container networks (section 3.1) on a 64x100 batch in three modes, and large sgemm.
 */
public final class Workloads {
    private Workloads() { }

    /** A named, timed statement; {@code flops} per run (0 when not meaningful) gives a GFLOPS figure. */
    public record Workload(String name, String mode, Runnable body, double flops) { }

    /** The article's Sequential: Linear(100, 200), ReLU, Dropout(0.1), Linear(200, 100), Sigmoid. */
    public static Module sequential() {
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

    /** A small CNN for 28x28 images: two conv blocks (the first with BatchNorm) and a linear classifier. */
    public static Module smallCnn() {
        return cnn(8, 16);
    }

    /** The small CNN with {@code c1} and {@code c2} channels in its two conv blocks. */
    public static Module cnn(int c1, int c2) {
        return new Sequential(new Conv2d(1, c1, 3, 1, 1), new BatchNorm2d(c1), new ReLU(), new MaxPool2d(2),
                new Conv2d(c1, c2, 3, 1, 1), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(c2 * 7 * 7, 10));
    }

    public static List<Workload> all() {
        Tensor.manualSeed(0);
        Tensor x = Tensor.randn(64, 100);
        List<Workload> rows = new ArrayList<>();
        addContainer(rows, "Sequential", sequential(), x);
        addContainer(rows, "ModuleList", new ComplexNetwork(), x);
        addContainer(rows, "ModuleDict", new MultiHeadNetwork(), x);
        rows.add(hookedSequential(x));
        rows.add(statsSequential(x));
        rows.add(cnnTrainStep("CNN", smallCnn()));
        rows.add(cnnTrainStep("CNN32", cnn(32, 32)));
        for (int n : new int[] {256, 1024}) {
            Tensor a = Tensor.randn(n, n), b = Tensor.randn(n, n);
            rows.add(new Workload("sgemm " + n, "fwd", () -> a.mm(b), 2.0 * n * n * n));
        }
        return rows;
    }

    /** The article's activation recorder (section 4.1): a forward hook on every layer keeps {@code output.detach()}. */
    private static Workload hookedSequential(Tensor x) {
        Module m = sequential();
        Map<String, Tensor> activations = new HashMap<>();
        for (var child : m.namedChildren().entrySet()) {
            String name = child.getKey();
            child.getValue().registerForwardHook((mod, in, out) -> {
                activations.put(name, ((Tensor) out).detach());
                return null;
            });
        }
        return new Workload("Sequential+hooks", "fwd", () -> m.call(x), 0);
    }

    /** A statistics {@link Recorder} on every layer of the Sequential in train mode (PyTorch's row: the same stats). */
    private static Workload statsSequential(Tensor x) {
        Module m = sequential();
        m.train();
        Recorder.on(m).attach();
        return new Workload("Sequential+stats", "fwd", () -> m.call(x), 0);
    }

    private static Workload cnnTrainStep(String name, Module cnn) {
        SGD opt = SGD.builder(cnn.parameters()).lr(0.01).momentum(0.9).build();
        Tensor images = Tensor.randn(64, 1, 28, 28), labels = Tensor.randint(0, 10, 64);
        return new Workload(name, "train", () -> {
            opt.zeroGrad();
            F.crossEntropy(cnn.call(images), labels).backward();
            opt.step();
        }, 0);
    }

    private static void addContainer(List<Workload> rows, String name, Module m, Tensor x) {
        m.train();
        rows.add(new Workload(name, "fwd", () -> m.call(x), 0));
        rows.add(new Workload(name, "nograd", () -> {
            try (var g = NoGrad.enter()) {
                m.call(x);
            }
        }, 0));
        rows.add(new Workload(name, "fwdbwd", () -> {
            m.zeroGrad(true);
            m.call(x).sum().backward();
        }, 0));
    }
}
