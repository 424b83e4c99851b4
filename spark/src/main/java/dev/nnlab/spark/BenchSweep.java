package dev.nnlab.spark;

import dev.nnlab.bench.BenchMode;
import dev.nnlab.bench.Benchmark;
import dev.nnlab.bench.Compare;
import dev.nnlab.bench.Measurement;
import dev.nnlab.progress.Progress;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.IntConsumer;

/**
 * A benchmark timed on a cluster's executors: one trial per model and mode, each a Spark task that builds the
 * benchmark there and times its cell with the library's {@link dev.nnlab.bench.Timer}, as {@link Benchmark#run}
 * times it on one machine. The result is the same {@link Compare} (table and chart) and a sweep table saying where
 * each cell was timed. {@code %bench ... --spark} runs this.
 *
 * <pre>{@code BenchSweep.run(cluster, () -> Containers.article(64)).compare()}</pre>
 */
public final class BenchSweep {
    /**
     * Builds the benchmark, models and all: once on the driver to list its cells, and in every trial on an executor.
     * Models are made here, not read from cell variables, which are null on executors.
     */
    @FunctionalInterface
    public interface Recipe extends Serializable {
        Benchmark create();
    }

    /** One trial's outcome and, unless it failed, its measurement. */
    record Timed(Sweep.Outcome outcome, Measurement measurement) implements Serializable { }

    private final Compare compare;
    private final SweepResult sweep;

    private BenchSweep(Compare compare, SweepResult sweep) {
        this.compare = compare;
        this.sweep = sweep;
    }

    /** Times the recipe's models on the cluster, with a progress bar of the trials. */
    public static BenchSweep run(Cluster cluster, Recipe recipe) {
        Benchmark b = plan(cluster, recipe);
        int n = b.names().size() * b.modeList().size();
        try (Progress bar = Progress.start("benchmark on " + cluster.master() + ", " + n + " trials", n)) {
            return run(cluster, recipe, b, done -> bar.step());
        }
    }

    /** Times the recipe's models on the cluster; {@code progress} (may be null) hears the count of finished trials. */
    public static BenchSweep run(Cluster cluster, Recipe recipe, IntConsumer progress) {
        return run(cluster, recipe, plan(cluster, recipe), progress);
    }

    private static Benchmark plan(Cluster cluster, Recipe recipe) {
        if (cluster == null) {
            throw new IllegalArgumentException("a benchmark sweep needs a cluster: Cluster.start(...) or Cluster.local()");
        }
        if (recipe == null) {
            throw new IllegalArgumentException("a benchmark sweep needs a recipe: () -> Containers.article(64)");
        }
        CellVariables.check(recipe, "the benchmark", "Build the models in the benchmark itself (new Net(32), or a"
                + " method that returns one): with %bench --spark, name expressions that make them, such as"
                + " %bench \"new Net(32)\" --input 64,32 --spark.", cluster);
        Benchmark b = recipe.create();
        if (b == null) {
            throw new IllegalArgumentException("the benchmark recipe returned null; return a Benchmark");
        }
        if (b.names().isEmpty()) {
            throw new IllegalArgumentException("the benchmark has no models: add one with model(name, m)");
        }
        return b;
    }

    private static BenchSweep run(Cluster cluster, Recipe recipe, Benchmark b, IntConsumer progress) {
        List<Config> configs = new ArrayList<>();
        for (String name : b.names()) {
            for (BenchMode m : b.modeList()) {
                configs.add(Config.of("model", name, "mode", m.key()));
            }
        }
        List<Config> shipped = List.copyOf(configs);
        long t0 = System.nanoTime();
        List<Timed> timed = Sweep.tasks(cluster, "benchmark of " + configs.size() + " cells", configs.size(),
                i -> measure(i, shipped.get(i), recipe), progress);
        List<Sweep.Outcome> outcomes = new ArrayList<>();
        List<Measurement> ms = new ArrayList<>();
        List<String> notes = new ArrayList<>(b.notes());
        TreeSet<String> executors = new TreeSet<>();
        for (Timed t : timed) {
            outcomes.add(t.outcome());
            executors.add(t.outcome().executor());
            if (t.measurement() != null) {
                ms.add(t.measurement());
            } else {
                Config c = configs.get(t.outcome().index());
                notes.add(c.getString("model") + " " + c.getString("mode") + " failed on executor "
                        + t.outcome().executor() + ": " + t.outcome().error());
            }
        }
        SweepResult sweep = new SweepResult(configs, outcomes, (System.nanoTime() - t0) / 1e9, cluster.master());
        if (ms.isEmpty()) {
            throw new IllegalStateException("every cell of the benchmark failed; the first: "
                    + outcomes.get(0).error());
        }
        notes.add(String.format("Timed on Spark (%s): one task per model and mode, %d tasks on executor%s %s,"
                        + " spark.task.cpus=%d; each cell timed on its executor by the library's Timer.",
                cluster.master(), configs.size(), executors.size() == 1 ? "" : "s", String.join(", ", executors),
                cluster.taskCpus()));
        return new BenchSweep(new Compare(b.title(), ms, notes), sweep);
    }

    /** On an executor: builds the benchmark and times one cell, its failure caught as a sweep row. */
    private static Timed measure(int index, Config config, Recipe recipe) {
        Measurement[] m = new Measurement[1];
        Sweep.Outcome o = Sweep.attempt(index, config, c -> {
            m[0] = recipe.create().measure(c.getString("model"), BenchMode.of(c.getString("mode")));
            return metrics(m[0]);
        });
        return new Timed(o, o.failed() ? null : m[0]);
    }

    private static Map<String, Double> metrics(Measurement m) {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("median (ms)", m.median() * 1e3);
        out.put("iqr (ms)", m.iqr() * 1e3);
        out.put("runs", (double) m.runs());
        out.put("loops", (double) m.loops());
        out.put("threads", (double) m.threads());
        return out;
    }

    /** The measurements as {@link Benchmark#run} shows them: a row per model, a column per mode. */
    public Compare compare() {
        return compare;
    }

    /** The trials: model and mode, median, IQR, runs, loops and BLAS threads, then seconds, executor and error. */
    public SweepResult sweep() {
        return sweep;
    }

    @Override
    public String toString() {
        return compare.toString();
    }
}
