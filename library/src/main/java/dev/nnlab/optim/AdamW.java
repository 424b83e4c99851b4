package dev.nnlab.optim;

import dev.nnlab.tensor.Tensor;

import java.util.List;

/** Adam with decoupled weight decay (default 1e-2), like {@code torch.optim.AdamW}. */
public final class AdamW extends Optimizer {
    public AdamW(Iterable<? extends Tensor> params) {
        this(builder(params));
    }

    public AdamW(Iterable<? extends Tensor> params, double lr) {
        this(builder(params).lr(lr));
    }

    private AdamW(Adam.Builder<AdamW> b) {
        super(b.groups(), b.defaults());
    }

    @Override
    protected void update(ParamGroup group) {
        Adam.update(this, group);
    }

    public static Adam.Builder<AdamW> builder(Iterable<? extends Tensor> params) {
        return new Adam.Builder<>(single(params), true, AdamW::new);
    }

    public static Adam.Builder<AdamW> builder(List<ParamGroup> groups) {
        return new Adam.Builder<>(groups, true, AdamW::new);
    }
}
