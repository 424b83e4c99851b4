package dev.nnlab.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnlab.nn.Linear;
import dev.nnlab.nn.Module;
import dev.nnlab.nn.Sequential;
import dev.nnlab.nn.Tanh;
import dev.nnlab.nn.functional.F;
import dev.nnlab.optim.SGD;
import dev.nnlab.tensor.Tensor;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataParallelTest {
    private static final Tensor X;
    private static final Tensor Y;

    static {
        Tensor.manualSeed(7);
        X = Tensor.randn(64, 8);
        Y = X.narrow(1, 0, 1).mul(Tensor.tensor(2f)).add(X.narrow(1, 3, 1).tanh());
    }

    private static DataParallel mlp(int workers, int steps) {
        return DataParallel.of(() -> new Sequential(new Linear(8, 16), new Tanh(), new Linear(16, 1)))
                .loss((out, y) -> F.mseLoss(out, y))
                .optimizer(ps -> SGD.builder(ps).lr(0.1).momentum(0.9).build())
                .workers(workers).steps(steps);
    }

    @Test
    void twoWorkersReachTheWeightsOfOneProcessOnTheFullBatch() {
        Tensor.manualSeed(1);
        DataParallel.Result dp = mlp(2, 25).fit(TestCluster.get(), X, Y);
        Tensor.manualSeed(1);
        DataParallel.Result one = mlp(1, 25).fitHere(X, Y);
        double diff = maxDiff(dp.model(), one.model());
        assertTrue(diff < 2e-5, "weights differ by " + diff);
        assertEquals(one.losses()[24], dp.losses()[24], 1e-5);
        assertTrue(dp.losses()[24] < dp.losses()[0] / 2, "training did not learn: " + dp);

        // the check can fail: training on one shard alone (no gradient exchange) ends elsewhere
        Tensor.manualSeed(1);
        DataParallel.Result half = mlp(1, 25).fitHere(X.narrow(0, 0, 32), Y.narrow(0, 0, 32));
        assertTrue(maxDiff(half.model(), one.model()) > 1e-3);
    }

    @Test
    void aFailedTaskResumesFromTheCheckpointAndLosesNothing(@TempDir Path dir) {
        DataParallel.ModelFactory factory = () -> new FailOnce(8, 1, 13);
        Tensor.manualSeed(3);
        DataParallel.Result dp = DataParallel.of(factory).loss((o, y) -> F.mseLoss(o, y))
                .optimizer(ps -> SGD.builder(ps).lr(0.05).momentum(0.9).build()).workers(2).steps(20)
                .checkpoint(dir, 5).fit(TestCluster.get(), X, Y);
        assertEquals(10, dp.resumedFrom(), "the retried stage should resume from step 10's checkpoint: " + dp);
        Tensor.manualSeed(3);
        DataParallel.Result one = DataParallel.of(() -> new FailOnce(8, 1, Integer.MAX_VALUE))
                .loss((o, y) -> F.mseLoss(o, y)).optimizer(ps -> SGD.builder(ps).lr(0.05).momentum(0.9).build())
                .workers(1).steps(20).fitHere(X, Y);
        double diff = maxDiff(dp.model(), one.model());
        assertTrue(diff < 2e-5, "resumed weights differ by " + diff);
        for (int s = 0; s < 20; s++) {
            assertEquals(one.losses()[s], dp.losses()[s], 1e-5, "loss of step " + s);
        }
    }

    @Test
    void tooFewSlotsFailsAtOnceSayingHowManyAreNeeded() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> mlp(3, 2).fit(TestCluster.get(), X, Y));
        assertTrue(e.getMessage().contains("needs 3 task slots at once"), e.getMessage());
        assertTrue(e.getMessage().contains("has 2"), e.getMessage());
    }

    @Test
    void badInputIsRefusedBeforeAnyJob() {
        assertThrows(IllegalArgumentException.class, () -> mlp(2, 2).fit(TestCluster.get(), X, Y.narrow(0, 0, 10)));
        assertThrows(IllegalStateException.class, () -> DataParallel.of(() -> new Linear(8, 1)).fitHere(X, Y));
        assertThrows(IllegalArgumentException.class, () -> mlp(0, 2));
    }

    static double maxDiff(Module a, Module b) {
        double d = 0;
        Map<String, Tensor> sb = b.stateDict();
        for (Map.Entry<String, Tensor> e : a.stateDict().entrySet()) {
            float[] x = e.getValue().toFloatArray();
            float[] y = sb.get(e.getKey()).toFloatArray();
            for (int i = 0; i < x.length; i++) {
                d = Math.max(d, Math.abs(x[i] - y[i]));
            }
        }
        return d;
    }
}
