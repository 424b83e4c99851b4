package dev.nnlab.autograd;

import dev.nnlab.tensor.DType;
import dev.nnlab.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/** The sink of a leaf tensor that requires grad: runs its hooks, then adds the gradient into {@code .grad}. */
public final class AccumulateGrad extends Node {
    private final Tensor leaf;
    final List<TensorHook> postAccumulateHooks = new ArrayList<>(0);

    public AccumulateGrad(Tensor leaf) {
        super("AccumulateGrad", new Edge[0], new int[][] {leaf.shape()}, new DType[] {leaf.dtype()}, null);
        this.leaf = leaf;
    }

    public Tensor variable() {
        return leaf;
    }

    /** Runs after the gradient was accumulated into the leaf; its result is ignored. */
    public RemovableHandle registerPostAccumulateHook(TensorHook hook) {
        postAccumulateHooks.add(hook);
        return new RemovableHandle(() -> postAccumulateHooks.remove(hook));
    }

    @Override
    Tensor[] run(Tensor[] gradOutputs) {
        Tensor g = gradOutputs[0];
        if (g != null) {
            Tensor old = leaf.grad();
            if (old == null) leaf.setGrad(g.detach().clone());
            else old.add_(g);
            for (TensorHook hook : List.copyOf(postAccumulateHooks)) hook.apply(leaf);
        }
        return new Tensor[0];
    }

    @Override
    void release() { }
}
