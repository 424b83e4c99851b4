package dev.nnlab.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import dev.nnlab.progress.Progress;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Runs one {@link Trial} per configuration, one trial per Spark task, and gathers the metrics into a
 * {@link SweepResult}. A trial that throws becomes a row with its error; the other trials go on. An interrupt
 * of the cell cancels the job.
 */
public final class Sweep {
    /** What one trial gave: its metrics, or the error it failed with. */
    public record Outcome(int index, Map<String, Double> metrics, String error, double seconds, String executor)
            implements Serializable {
        public boolean failed() {
            return error != null;
        }
    }

    private Sweep() {
    }

    /** Runs the trials on the cluster; {@code progress} (may be null) hears the count of finished trials. */
    public static SweepResult run(Cluster cluster, List<Config> configs, Trial trial, IntConsumer progress) {
        check(configs, trial);
        CellVariables.check(trial, "the trial", cluster);
        List<Config> shipped = List.copyOf(configs);
        long t0 = System.nanoTime();
        List<Outcome> outcomes = tasks(cluster, "sweep of " + configs.size() + " trials", configs.size(),
                i -> attempt(i, shipped.get(i), trial), progress);
        return new SweepResult(configs, outcomes, (System.nanoTime() - t0) / 1e9, cluster.master());
    }

    /** One task's work, given the task's index. */
    @FunctionalInterface
    interface Task<T> extends Serializable {
        T run(int index) throws Exception;
    }

    /** Runs {@code n} tasks, one per Spark task, and returns their results in index order. */
    static <T> List<T> tasks(Cluster cluster, String description, int n, Task<T> task, IntConsumer progress) {
        List<Integer> indices = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            indices.add(i);
        }
        AtomicInteger done = new AtomicInteger();
        SparkListener listener = new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (end.taskInfo().successful()) {
                    tell(progress, done, n);
                }
            }
        };
        cluster.addListener(listener);
        try {
            List<T> out = cluster.run(description, sc -> {
                JavaRDD<Integer> rdd = sc.parallelize(indices, Math.max(1, n));
                return rdd.map(task::run).collectAsync();
            });
            // the job's result says all n ended; the listener bus may still hold the last task-end events
            while (done.get() < n) {
                tell(progress, done, n);
            }
            return out;
        } finally {
            cluster.removeListener(listener);
        }
    }

    /** Counts one more finished task and tells {@code progress} each count from 1 to n once, in order. */
    private static void tell(IntConsumer progress, AtomicInteger done, int n) {
        synchronized (done) {
            int d = done.incrementAndGet();
            if (progress != null && d <= n) {
                progress.accept(d);
            }
        }
    }

    /** Runs the trials on the cluster with a progress bar (a text line outside a notebook). */
    public static SweepResult run(Cluster cluster, List<Config> configs, Trial trial) {
        check(configs, trial);
        try (Progress bar = Progress.start("sweep of " + configs.size() + " trials", configs.size())) {
            return run(cluster, configs, trial, done -> bar.step());
        }
    }

    /** The same trials one after another in this JVM: the baseline a sweep is measured against. */
    public static SweepResult runHere(List<Config> configs, Trial trial) {
        check(configs, trial);
        long t0 = System.nanoTime();
        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < configs.size(); i++) {
            outcomes.add(attempt(i, configs.get(i), trial));
        }
        return new SweepResult(configs, outcomes, (System.nanoTime() - t0) / 1e9, "this JVM, one after another");
    }

    private static void check(List<Config> configs, Trial trial) {
        if (trial == null) {
            throw new IllegalArgumentException("a sweep needs a trial: (config) -> Map.of(\"loss\", ...)");
        }
        if (configs == null || configs.isEmpty()) {
            throw new IllegalArgumentException("a sweep needs at least one configuration (Config.grid(...) or List.of(Config.of(...)))");
        }
    }

    /**
     * Runs one trial, timed, its error caught. Progress bars of the trial's own (a training loop's) are muted: an
     * executor has no notebook to show them in, and in {@code local[*]} they would pile up in the sweep's cell.
     */
    static Outcome attempt(int index, Config config, Trial trial) {
        long t0 = System.nanoTime();
        String executor = SparkEnv.get() == null ? "driver" : SparkEnv.get().executorId();
        try (Progress.Scope quiet = Progress.mute()) {
            Map<String, Double> metrics = trial.run(config);
            if (metrics == null) {
                throw new IllegalStateException("the trial returned null; return a map of metrics such as Map.of(\"loss\", 0.1)");
            }
            // Map.of's order changes from run to run: such metrics become columns in name order
            Map<String, Double> ordered = metrics instanceof LinkedHashMap || metrics instanceof SortedMap
                    ? metrics : new TreeMap<>(metrics);
            return new Outcome(index, new LinkedHashMap<>(ordered), null, (System.nanoTime() - t0) / 1e9, executor);
        } catch (Throwable e) {
            String why = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            return new Outcome(index, Map.of(), why, (System.nanoTime() - t0) / 1e9, executor);
        }
    }
}
