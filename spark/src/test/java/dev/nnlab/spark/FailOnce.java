package dev.nnlab.spark;

import dev.nnlab.nn.Linear;
import dev.nnlab.nn.Module;
import dev.nnlab.tensor.Tensor;
import org.apache.spark.TaskContext;

/** A linear layer whose task of rank 1 fails at its n-th forward in the first attempt of the stage. */
final class FailOnce extends Module {
    final Linear inner;
    private final int failAt;
    private int calls;

    FailOnce(int in, int out, int failAt) {
        inner = registerModule("inner", new Linear(in, out));
        this.failAt = failAt;
    }

    @Override
    public Tensor forward(Tensor x) {
        calls++;
        TaskContext ctx = TaskContext.get();
        if (ctx != null && ctx.stageAttemptNumber() == 0 && ctx.partitionId() == 1 && calls == failAt) {
            throw new IllegalStateException("injected failure at forward " + calls);
        }
        return inner.call(x);
    }
}
