package dev.nnlab.spark;

import dev.nnlab.bench.Containers;
import dev.nnlab.nn.Linear;
import dev.nnlab.nn.Module;
import dev.nnlab.nn.ReLU;
import dev.nnlab.nn.Sequential;
import dev.nnlab.nn.functional.F;
import dev.nnlab.optim.SGD;
import dev.nnlab.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code ./nnlab bench --spark}: the embedded session's start-up, the per-step all-reduce of data-parallel
 * training for the article's models and a 1M-parameter MLP on two executors, and a sweep's throughput on two
 * executors against the same trials run one after another in this JVM.
 */
public final class Bench {
    private Bench() {
    }

    public static void main(String[] args) {
        String cluster = args.length > 0 ? args[0] : "local-cluster[2,1,1024]";
        long t0 = System.nanoTime();
        try (Cluster local = Cluster.local()) {
            System.out.printf("embedded local[*] session start-up: %.2f s%n", (System.nanoTime() - t0) / 1e9);
        }
        try (Cluster c = Cluster.start(cluster)) {
            System.out.printf("%s start-up (executors registered): %.2f s%n%n", cluster, c.startSeconds());
            System.out.printf("%-30s %10s %10s %16s %10s%n", "data-parallel, 2 workers, batch 128", "params", "step ms",
                    "of it all-reduce", "job s");
            allReduce(c, "Sequential (article 3.1)", Containers::sequential, 100, 100);
            allReduce(c, "ComplexNetwork (ModuleList)", Containers.ComplexNetwork::new, 100, 100);
            allReduce(c, "MultiHeadNetwork (ModuleDict)", Containers.MultiHeadNetwork::new, 100, 10);
            allReduce(c, "MLP 1M", () -> new Sequential(new Linear(512, 1024), new ReLU(), new Linear(1024, 512)), 512, 512);
            sweep(c);
        }
    }

    private static void allReduce(Cluster c, String name, DataParallel.ModelFactory f, int in, int out) {
        Tensor.manualSeed(0);
        Tensor x = Tensor.randn(128, in);
        Module probe = f.create();
        Tensor y = probe.call(Tensor.randn(1, in)).shape()[1] == out ? Tensor.randn(128, out) : null;
        if (y == null) {
            throw new IllegalStateException(name + " does not map " + in + " to " + out);
        }
        DataParallel.Result r = DataParallel.of(f).loss((o, t) -> F.mseLoss(o, t))
                .optimizer(ps -> SGD.builder(ps).lr(0.01).build()).workers(2).steps(40).fit(c, x, y);
        System.out.printf("%-30s %10d %10.3f %16.3f %10.2f%n", name, probe.numParameters(), r.stepMillis(),
                r.allReduceMillis(), r.jobSeconds());
    }

    private static void sweep(Cluster c) {
        List<Config> configs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            configs.add(Config.of("seed", i, "hidden", 64));
        }
        Trial trial = cfg -> {
            Tensor.manualSeed(cfg.getInt("seed"));
            Module m = new Sequential(new Linear(32, cfg.getInt("hidden")), new ReLU(), new Linear(cfg.getInt("hidden"), 1));
            Tensor x = Tensor.randn(256, 32);
            Tensor y = x.narrow(1, 0, 1);
            SGD opt = SGD.builder(m.parameters()).lr(0.05).build();
            double loss = 0;
            for (int s = 0; s < 400; s++) {
                opt.zeroGrad();
                Tensor l = F.mseLoss(m.call(x), y);
                l.backward();
                opt.step();
                loss = l.item();
            }
            return Map.of("loss", loss);
        };
        Sweep.run(c, configs.subList(0, 2), trial);
        SweepResult spread = Sweep.run(c, configs, trial);
        SweepResult here = Sweep.runHere(configs, trial);
        System.out.printf("%nsweep of %d trials: %.1f trials/min on %s, %.1f trials/min one after another here (%.2fx)%n",
                configs.size(), spread.trialsPerMinute(), c.master(), here.trialsPerMinute(),
                spread.trialsPerMinute() / here.trialsPerMinute());
    }
}
