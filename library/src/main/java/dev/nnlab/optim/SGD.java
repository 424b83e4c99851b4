package dev.nnlab.optim;

import dev.nnlab.tensor.DType;
import dev.nnlab.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with optional momentum, dampening, Nesterov and weight decay, like
 * {@code torch.optim.SGD}; the first step's momentum buffer is the gradient itself.
 */
public final class SGD extends Optimizer {
    public SGD(Iterable<? extends Tensor> params, double lr) {
        this(builder(params).lr(lr));
    }

    public SGD(List<ParamGroup> groups, double lr) {
        this(builder(groups).lr(lr));
    }

    private SGD(Builder b) {
        super(b.groups, b.defaults());
    }

    public static Builder builder(Iterable<? extends Tensor> params) {
        return new Builder(single(params));
    }

    public static Builder builder(List<ParamGroup> groups) {
        return new Builder(groups);
    }

    /** Options of {@link SGD}, with PyTorch's defaults (lr 1e-3, no momentum). */
    public static final class Builder {
        private final List<ParamGroup> groups;
        private double lr = 1e-3, momentum, dampening, weightDecay;
        private boolean nesterov, maximize;

        private Builder(List<ParamGroup> groups) { this.groups = groups; }

        public Builder lr(double v) { lr = v; return this; }
        public Builder momentum(double v) { momentum = v; return this; }
        public Builder dampening(double v) { dampening = v; return this; }
        public Builder weightDecay(double v) { weightDecay = v; return this; }
        public Builder nesterov(boolean v) { nesterov = v; return this; }
        public Builder maximize(boolean v) { maximize = v; return this; }

        public SGD build() { return new SGD(this); }

        private Map<String, Object> defaults() {
            if (lr < 0) throw new IllegalArgumentException("Invalid learning rate: " + py(lr));
            if (momentum < 0) throw new IllegalArgumentException("Invalid momentum value: " + py(momentum));
            if (weightDecay < 0) throw new IllegalArgumentException("Invalid weight_decay value: " + py(weightDecay));
            if (nesterov && (momentum <= 0 || dampening != 0)) {
                throw new IllegalArgumentException("Nesterov momentum requires a momentum and zero dampening");
            }
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("lr", lr);
            d.put("momentum", momentum);
            d.put("dampening", dampening);
            d.put("weight_decay", weightDecay);
            d.put("nesterov", nesterov);
            d.put("maximize", maximize);
            return d;
        }
    }

    @Override
    protected void update(ParamGroup group) {
        double lr = group.lr(), momentum = group.getDouble("momentum"), dampening = group.getDouble("dampening");
        double wd = group.getDouble("weight_decay");
        boolean nesterov = group.getBoolean("nesterov"), maximize = group.getBoolean("maximize");
        for (Tensor p : group.params()) {
            Tensor g = p.grad();
            if (g == null) continue;
            Map<String, Object> st = momentum != 0 ? stateOf(p) : null;
            Tensor buf = st == null ? null : (Tensor) st.get("momentum_buffer");
            if (fast(p, g, buf, null, null)) {
                if (st != null && buf == null) {
                    buf = Tensor.zeros(p.shape());
                    st.put("momentum_buffer", buf);
                    stepFloat(p, g, buf, true, lr, momentum, dampening, wd, nesterov, maximize);
                } else {
                    stepFloat(p, g, buf, false, lr, momentum, dampening, wd, nesterov, maximize);
                }
                continue;
            }
            Tensor d = maximize ? g.neg() : g;
            if (wd != 0) d = d.add(p, wd);
            if (momentum != 0) {
                if (buf == null) {
                    buf = d.detach().clone();
                    st.put("momentum_buffer", buf);
                } else {
                    buf.mul_(momentum).add_(d, 1 - dampening);
                }
                d = nesterov ? d.add(buf, momentum) : buf;
            }
            p.add_(d, -lr);
        }
    }

    /** Whether the float32 loop applies: every tensor (nulls aside) is float32 and contiguous. */
    static boolean fast(Tensor p, Tensor g, Tensor s0, Tensor s1, Tensor s2) {
        return floats(p) && floats(g) && (s0 == null || floats(s0)) && (s1 == null || floats(s1)) && (s2 == null || floats(s2));
    }

    private static boolean floats(Tensor t) {
        return t.dtype() == DType.FLOAT32 && t.isContiguous();
    }

    private static void stepFloat(Tensor param, Tensor grad, Tensor buffer, boolean first, double lr, double momentum,
                                  double dampening, double wd, boolean nesterov, boolean maximize) {
        float[] p = (float[]) param.storage().array(), g = (float[]) grad.storage().array();
        float[] b = buffer == null ? null : (float[]) buffer.storage().array();
        int po = param.storageOffset(), go = grad.storageOffset(), bo = buffer == null ? 0 : buffer.storageOffset();
        float wdF = (float) wd, m = (float) momentum, keep = (float) (1 - dampening), step = (float) -lr;
        float sign = maximize ? -1f : 1f;
        int n = param.numel();
        for (int i = 0; i < n; i++) {
            float d = sign * g[go + i];
            if (wd != 0) d = d + wdF * p[po + i];
            if (b != null) {
                float bi = first ? d : b[bo + i] * m + keep * d;
                b[bo + i] = bi;
                d = nesterov ? d + m * bi : bi;
            }
            p[po + i] = p[po + i] + step * d;
        }
        param.bumpVersion();
        if (buffer != null) buffer.bumpVersion();
    }
}
