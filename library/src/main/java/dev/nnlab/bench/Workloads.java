package dev.nnlab.bench;

import dev.nnlab.bench.Containers.ComplexNetwork;
import dev.nnlab.bench.Containers.MultiHeadNetwork;
import dev.nnlab.hooks.Recorder;
import dev.nnlab.nn.BatchNorm2d;
import dev.nnlab.nn.Conv2d;
import dev.nnlab.nn.Flatten;
import dev.nnlab.nn.Linear;
import dev.nnlab.nn.MaxPool2d;
import dev.nnlab.nn.Module;
import dev.nnlab.nn.ReLU;
import dev.nnlab.nn.Sequential;
import dev.nnlab.nn.functional.F;
import dev.nnlab.optim.SGD;
import dev.nnlab.tensor.Tensor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.nnlab.bench.Containers.sequential;

/**
 * The benchmark rows, built exactly as PyTorch's anchor ({@code scripts/torch_bench.py}) builds them: the
 * article's three container networks (section 3.1) on a 64x100 batch in three modes, and large sgemm.
 */
public final class Workloads {
    private Workloads() { }

    /** A named, timed statement; {@code flops} per run (0 when not meaningful) gives a GFLOPS figure. */
    public record Workload(String name, String mode, Runnable body, double flops) { }

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
        for (BenchMode mode : BenchMode.values()) rows.add(new Workload(name, mode.key(), mode.statement(m, x), 0));
    }
}
