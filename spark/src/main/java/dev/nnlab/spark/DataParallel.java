package dev.nnlab.spark;

import dev.nnlab.nn.Module;
import dev.nnlab.nn.Parameter;
import dev.nnlab.optim.Optimizer;
import dev.nnlab.tensor.Tensor;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.api.java.JavaRDD;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

/**
 * Synchronous data-parallel SGD: N barrier tasks, each training a copy of the model on its shard, summing
 * gradients over a socket ring every step (see {@link Ring}). Each shard's mean-loss gradient is weighted by
 * its share of the rows, so N workers reach the weights that one process training on the full batch reaches,
 * to float rounding. With a checkpoint folder, rank 0 saves every K steps, and a retried stage (Spark restarts
 * a barrier stage whole after a task failure) resumes from the newest checkpoint.
 */
public final class DataParallel {
    /** Builds the model on each worker; the driver's initial weights are then loaded into it. */
    @FunctionalInterface
    public interface ModelFactory extends Serializable {
        Module create();
    }

    /** The training loss of one batch, a scalar mean. */
    @FunctionalInterface
    public interface Loss extends Serializable {
        Tensor apply(Tensor output, Tensor target);
    }

    /** Makes the optimizer for a worker's copy of the parameters. */
    @FunctionalInterface
    public interface OptimizerFactory extends Serializable {
        Optimizer create(List<Parameter> parameters);
    }

    /**
     * What training gave: the driver's model with the final weights, the loss per step, the job's wall time,
     * and rank 0's time per step with the all-reduce's part of it.
     */
    public record Result(Module model, double[] losses, int workers, int resumedFrom, double jobSeconds,
            double stepMillis, double allReduceMillis) {
        @Override
        public String toString() {
            return String.format("DataParallel(workers=%d, steps=%d, final loss=%.6g, job %.2f s, %.3f ms/step of which"
                    + " all-reduce %.3f ms%s)", workers, losses.length, losses[losses.length - 1], jobSeconds, stepMillis,
                    allReduceMillis, resumedFrom > 0 ? ", resumed from step " + resumedFrom : "");
        }
    }

    record Plan(ModelFactory factory, Loss loss, OptimizerFactory optimizer, LinkedHashMap<String, Blob> initial,
            int steps, String checkpointDir, int checkpointEvery, int rows) implements Serializable { }

    record Shard(int rank, Blob x, Blob y) implements Serializable { }

    record Outcome(LinkedHashMap<String, Blob> weights, double[] losses, int resumedFrom, long nanos, long reduceNanos)
            implements Serializable { }

    private final ModelFactory factory;
    private Loss loss;
    private OptimizerFactory optimizer;
    private int workers = 2;
    private int steps = 10;
    private Path checkpointDir;
    private int checkpointEvery;

    private DataParallel(ModelFactory factory) {
        this.factory = factory;
    }

    public static DataParallel of(ModelFactory factory) {
        if (factory == null) {
            throw new IllegalArgumentException("DataParallel.of needs a model factory, such as () -> new Linear(10, 1)");
        }
        return new DataParallel(factory);
    }

    public DataParallel loss(Loss l) {
        loss = l;
        return this;
    }

    public DataParallel optimizer(OptimizerFactory o) {
        optimizer = o;
        return this;
    }

    public DataParallel workers(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("workers must be at least 1, got " + n);
        }
        workers = n;
        return this;
    }

    public DataParallel steps(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("steps must be at least 1, got " + n);
        }
        steps = n;
        return this;
    }

    /** Saves every {@code every} steps into {@code dir}, a folder every executor can read and write. */
    public DataParallel checkpoint(Path dir, int every) {
        if (every < 1) {
            throw new IllegalArgumentException("checkpoint every must be at least 1 step, got " + every);
        }
        checkpointDir = dir.toAbsolutePath();
        checkpointEvery = every;
        return this;
    }

    /** Trains on the cluster: rows of {@code x} and {@code y} are split into {@link #workers} contiguous shards. */
    public Result fit(Cluster cluster, Tensor x, Tensor y) {
        Module model = prepare(x, y);
        if (workers > cluster.slots()) {
            throw new IllegalStateException("data-parallel training with " + workers + " workers needs " + workers
                    + " task slots at once (a barrier stage), but " + cluster.master() + " has " + cluster.slots()
                    + " (spark.task.cpus=" + cluster.taskCpus() + "); use workers(" + cluster.slots() + ") or a bigger cluster");
        }
        for (Object fn : new Object[] {factory, loss, optimizer}) {
            CellVariables.check(fn, "the " + (fn == factory ? "model factory" : fn == loss ? "loss" : "optimizer factory"), cluster);
        }
        Plan plan = plan(model, x);
        List<Shard> shards = shards(x, y);
        long t0 = System.nanoTime();
        ClassTag<Outcome> tag = ClassTag$.MODULE$.apply(Outcome.class);
        List<Outcome> out = cluster.run("data-parallel training on " + workers + " workers", sc ->
                // the shuffle makes the barrier stage a ShuffleMapStage, which Spark retries whole after a failure
                new JavaRDD<>(sc.parallelize(shards, workers).rdd().barrier()
                        .mapPartitions(new TrainShard(plan), false, tag), tag).repartition(1).collectAsync());
        return finish(model, out.get(0), System.nanoTime() - t0);
    }

    /** The same training in this JVM on the whole batch: the reference that {@link #fit} must equal. */
    public Result fitHere(Tensor x, Tensor y) {
        Module model = prepare(x, y);
        Plan plan = plan(model, x);
        long t0 = System.nanoTime();
        Outcome o;
        try {
            o = loop(plan, Blob.of(x).tensor(), Blob.of(y).tensor(), 1, null, 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return finish(model, o, System.nanoTime() - t0);
    }

    private Module prepare(Tensor x, Tensor y) {
        if (loss == null || optimizer == null) {
            throw new IllegalStateException("set .loss((out, y) -> F.mseLoss(out, y)) and .optimizer(ps -> new SGD(ps, 0.1)) first");
        }
        if (x.dim() == 0 || y.dim() == 0 || x.size(0) != y.size(0)) {
            throw new IllegalArgumentException("x and y need the same number of rows (dim 0), got "
                    + java.util.Arrays.toString(x.shape()) + " and " + java.util.Arrays.toString(y.shape()));
        }
        if (x.size(0) < workers) {
            throw new IllegalArgumentException(x.size(0) + " rows cannot be split among " + workers + " workers");
        }
        return factory.create();
    }

    private Plan plan(Module model, Tensor x) {
        return new Plan(factory, loss, optimizer, Blob.of(model.stateDict()), steps,
                checkpointDir == null ? null : checkpointDir.toString(), checkpointEvery, x.size(0));
    }

    private List<Shard> shards(Tensor x, Tensor y) {
        List<Shard> out = new ArrayList<>();
        int rows = x.size(0);
        for (int r = 0; r < workers; r++) {
            int from = (int) ((long) rows * r / workers);
            int to = (int) ((long) rows * (r + 1) / workers);
            out.add(new Shard(r, Blob.of(x.narrow(0, from, to - from)), Blob.of(y.narrow(0, from, to - from))));
        }
        return out;
    }

    private Result finish(Module model, Outcome o, long nanos) {
        model.loadStateDict(Blob.tensors(o.weights()), true);
        int done = Math.max(1, o.losses().length - o.resumedFrom());
        return new Result(model, o.losses(), workers, o.resumedFrom(), nanos / 1e9, o.nanos() / 1e6 / done,
                o.reduceNanos() / 1e6 / done);
    }

    /** The barrier task: one shard in, rank 0's outcome out (Spark's Scala API, as JavaRDD has no barrier()). */
    private static final class TrainShard extends AbstractFunction1<scala.collection.Iterator<Shard>,
            scala.collection.Iterator<Outcome>> implements Serializable {
        private final Plan plan;

        TrainShard(Plan plan) {
            this.plan = plan;
        }

        @Override
        public scala.collection.Iterator<Outcome> apply(scala.collection.Iterator<Shard> shards) {
            try {
                return CollectionConverters.asScala(train(plan, shards.next()));
            } catch (IOException e) {
                throw new UncheckedIOException("the gradient ring failed: " + e.getMessage(), e);
            }
        }
    }

    private static Iterator<Outcome> train(Plan plan, Shard shard) throws IOException {
        BarrierTaskContext ctx = BarrierTaskContext.get();
        try (Ring ring = Ring.connect(ctx)) {
            int start = 0;
            if (plan.checkpointDir() != null) {
                String latest = ctx.allGather(String.valueOf(ring.rank() == 0 ? Checkpoint.latest(Path.of(plan.checkpointDir())) : -1))[0];
                start = Integer.parseInt(latest);
            }
            Tensor x = shard.x().tensor();
            Outcome o = loop(plan, x, shard.y().tensor(), (double) x.size(0) / plan.rows(), ring, start);
            return ring.rank() == 0 ? List.of(o).iterator() : Collections.emptyIterator();
        }
    }

    /** The training steps of one worker; {@code share} weighs its mean loss by its part of the rows. */
    private static Outcome loop(Plan plan, Tensor x, Tensor y, double share, Ring ring, int start) throws IOException {
        Module m = plan.factory().create();
        m.loadStateDict(Blob.tensors(plan.initial()), true);
        m.train();
        List<Parameter> ps = m.parameters();
        Optimizer opt = plan.optimizer().create(ps);
        double[] losses = new double[plan.steps()];
        Path dir = plan.checkpointDir() == null ? null : Path.of(plan.checkpointDir());
        if (start > 0) {
            Checkpoint c = Checkpoint.load(dir, start);
            c.restore(m, opt);
            System.arraycopy(c.losses(), 0, losses, 0, start);
        }
        int total = 0;
        for (Parameter p : ps) {
            total += p.numel();
        }
        float[] flat = new float[total + 1];
        long t0 = System.nanoTime();
        long reduce = 0;
        for (int step = start; step < plan.steps(); step++) {
            opt.zeroGrad();
            Tensor l = plan.loss().apply(m.call(x), y);
            l.backward();
            int off = 0;
            for (Parameter p : ps) {
                int n = p.numel();
                if (p.grad() == null) {
                    java.util.Arrays.fill(flat, off, off + n, 0f);
                } else {
                    float[] g = p.grad().toFloatArray();
                    for (int i = 0; i < n; i++) {
                        flat[off + i] = (float) (g[i] * share);
                    }
                }
                off += n;
            }
            flat[total] = (float) (l.item() * share);
            long r0 = System.nanoTime();
            if (ring != null) {
                ring.allReduce(flat);
            }
            reduce += System.nanoTime() - r0;
            off = 0;
            for (Parameter p : ps) {
                int n = p.numel();
                p.setGrad(Tensor.tensor(java.util.Arrays.copyOfRange(flat, off, off + n)).reshape(p.shape()).to(p.dtype()));
                off += n;
            }
            opt.step();
            losses[step] = flat[total];
            if (dir != null && (step + 1) % plan.checkpointEvery() == 0 && (ring == null || ring.rank() == 0)) {
                Checkpoint.of(step + 1, m, opt, losses).save(dir);
            }
        }
        return new Outcome(Blob.of(m.stateDict()), losses, start, System.nanoTime() - t0, reduce);
    }
}
