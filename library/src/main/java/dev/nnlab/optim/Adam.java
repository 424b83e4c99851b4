package dev.nnlab.optim;

import dev.nnlab.tensor.DType;
import dev.nnlab.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Adam with bias correction, optional AMSGrad and L2 or decoupled weight decay, like {@code torch.optim.Adam}.
 * State per parameter: {@code step} (a float32 scalar tensor), {@code exp_avg}, {@code exp_avg_sq} and, with
 * AMSGrad, {@code max_exp_avg_sq}.
 */
public final class Adam extends Optimizer {
    public Adam(Iterable<? extends Tensor> params) {
        this(builder(params));
    }

    public Adam(Iterable<? extends Tensor> params, double lr) {
        this(builder(params).lr(lr));
    }

    private Adam(Builder<Adam> b) {
        super(b.groups(), b.defaults());
    }

    public static Builder<Adam> builder(Iterable<? extends Tensor> params) {
        return new Builder<>(single(params), false, Adam::new);
    }

    public static Builder<Adam> builder(List<ParamGroup> groups) {
        return new Builder<>(groups, false, Adam::new);
    }

    /** Options of {@link Adam} and {@link AdamW}, with PyTorch's defaults (lr 1e-3, betas (0.9, 0.999), eps 1e-8). */
    public static final class Builder<T extends Optimizer> {
        private final List<ParamGroup> groups;
        private final Function<Builder<T>, T> make;
        private final boolean decoupled;
        private double lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay;
        private boolean amsgrad, maximize;

        Builder(List<ParamGroup> groups, boolean decoupled, Function<Builder<T>, T> make) {
            this.groups = groups;
            this.decoupled = decoupled;
            this.make = make;
            this.weightDecay = decoupled ? 1e-2 : 0;
        }

        public Builder<T> lr(double v) { lr = v; return this; }
        public Builder<T> betas(double b1, double b2) { beta1 = b1; beta2 = b2; return this; }
        public Builder<T> eps(double v) { eps = v; return this; }
        public Builder<T> weightDecay(double v) { weightDecay = v; return this; }
        public Builder<T> amsgrad(boolean v) { amsgrad = v; return this; }
        public Builder<T> maximize(boolean v) { maximize = v; return this; }

        public T build() { return make.apply(this); }

        List<ParamGroup> groups() { return groups; }

        Map<String, Object> defaults() {
            if (lr < 0) throw new IllegalArgumentException("Invalid learning rate: " + py(lr));
            if (eps < 0) throw new IllegalArgumentException("Invalid epsilon value: " + py(eps));
            if (beta1 < 0 || beta1 >= 1) throw new IllegalArgumentException("Invalid beta parameter at index 0: " + py(beta1));
            if (beta2 < 0 || beta2 >= 1) throw new IllegalArgumentException("Invalid beta parameter at index 1: " + py(beta2));
            if (weightDecay < 0) throw new IllegalArgumentException("Invalid weight_decay value: " + py(weightDecay));
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("lr", lr);
            d.put("betas", List.of(beta1, beta2));
            d.put("eps", eps);
            d.put("weight_decay", weightDecay);
            d.put("amsgrad", amsgrad);
            d.put("maximize", maximize);
            d.put("decoupled_weight_decay", decoupled);
            return d;
        }
    }

    @Override
    protected void update(ParamGroup group) {
        update(this, group);
    }

    /** The update shared with {@link AdamW}, which differs only in its defaults. */
    static void update(Optimizer opt, ParamGroup group) {
        double lr = group.lr(), eps = group.getDouble("eps"), wd = group.getDouble("weight_decay");
        double[] betas = group.getPair("betas");
        boolean amsgrad = group.getBoolean("amsgrad"), maximize = group.getBoolean("maximize");
        boolean decoupled = group.getBoolean("decoupled_weight_decay");
        for (Tensor p : group.params()) {
            Tensor g = p.grad();
            if (g == null) continue;
            Map<String, Object> st = opt.stateOf(p);
            if (!st.containsKey("step")) {
                st.put("step", Tensor.scalar(0));
                st.put("exp_avg", Tensor.zeros(p.dtype(), p.shape()));
                st.put("exp_avg_sq", Tensor.zeros(p.dtype(), p.shape()));
                if (amsgrad) st.put("max_exp_avg_sq", Tensor.zeros(p.dtype(), p.shape()));
            }
            double step = stepCount(st) + 1;
            st.put("step", step(st.get("step"), step));
            Tensor m = (Tensor) st.get("exp_avg"), v = (Tensor) st.get("exp_avg_sq");
            Tensor vmax = amsgrad ? (Tensor) st.get("max_exp_avg_sq") : null;
            if (amsgrad && vmax == null) {
                vmax = Tensor.zeros(p.dtype(), p.shape());
                st.put("max_exp_avg_sq", vmax);
            }
            double bc1 = 1 - Math.pow(betas[0], step), bc2Sqrt = Math.sqrt(1 - Math.pow(betas[1], step));
            double stepSize = lr / bc1;
            if (SGD.fast(p, g, m, v, vmax)) {
                stepFloat(p, g, m, v, vmax, lr, betas, eps, wd, decoupled, maximize, stepSize, bc2Sqrt);
                continue;
            }
            Tensor d = maximize ? g.neg() : g;
            if (wd != 0) {
                if (decoupled) p.mul_(1 - lr * wd);
                else d = d.add(p, wd);
            }
            m.lerp_(d, 1 - betas[0]);
            v.mul_(betas[1]).addcmul_(d, d, 1 - betas[1]);
            Tensor base = v;
            if (vmax != null) {
                vmax.copy_(vmax.maximum(v));
                base = vmax;
            }
            p.addcdiv_(m, base.sqrt().div(bc2Sqrt).add_(eps), -stepSize);
        }
    }

    private static double stepCount(Map<String, Object> st) {
        Object s = st.get("step");
        return s instanceof Tensor ? ((Tensor) s).item() : ((Number) s).doubleValue();
    }

    private static Object step(Object old, double value) {
        if (old instanceof Tensor) {
            Tensor t = (Tensor) old;
            t.fill_(value);
            return t;
        }
        return Tensor.scalar(value);
    }

    private static void stepFloat(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, Tensor maxSq, double lr,
                                  double[] betas, double eps, double wd, boolean decoupled, boolean maximize,
                                  double stepSize, double bc2Sqrt) {
        float[] p = (float[]) param.storage().array(), g = (float[]) grad.storage().array();
        float[] m = (float[]) expAvg.storage().array(), v = (float[]) expAvgSq.storage().array();
        float[] mx = maxSq == null ? null : (float[]) maxSq.storage().array();
        int po = param.storageOffset(), go = grad.storageOffset(), mo = expAvg.storageOffset(), vo = expAvgSq.storageOffset();
        int xo = maxSq == null ? 0 : maxSq.storageOffset();
        float w1 = (float) (1 - betas[0]), b2 = (float) betas[1], c2 = (float) (1 - betas[1]);
        float decay = (float) (1 - lr * wd), wdF = (float) wd, epsF = (float) eps, bc2 = (float) bc2Sqrt;
        float negStep = (float) -stepSize, sign = maximize ? -1f : 1f;
        boolean l2 = wd != 0 && !decoupled, dec = wd != 0 && decoupled, lowWeight = w1 < 0.5f;
        int n = param.numel();
        for (int i = 0; i < n; i++) {
            float pi = p[po + i];
            if (dec) pi = pi * decay;
            float d = sign * g[go + i];
            if (l2) d = d + wdF * pi;
            float mi = m[mo + i];
            mi = lowWeight ? mi + w1 * (d - mi) : d - (d - mi) * (1 - w1);
            m[mo + i] = mi;
            float vi = v[vo + i] * b2 + c2 * d * d;
            v[vo + i] = vi;
            if (mx != null) {
                vi = Math.max(mx[xo + i], vi);
                mx[xo + i] = vi;
            }
            float denom = (float) Math.sqrt(vi) / bc2 + epsF;
            p[po + i] = pi + negStep * mi / denom;
        }
        param.bumpVersion();
        expAvg.bumpVersion();
        expAvgSq.bumpVersion();
        if (maxSq != null) maxSq.bumpVersion();
    }
}
