package dev.nnlab.tensor;

import dev.nnlab.autograd.Node;

import java.util.Arrays;

/** Kernels behind F; use F. Losses: mse, negative log-likelihood (with label smoothing), binary cross-entropy. */
public final class Loss {
    static final int NONE = 0, MEAN = 1, SUM = 2;

    private Loss() { }

    static int reduction(String r) {
        switch (r) {
            case "none": return NONE;
            case "mean": return MEAN;
            case "sum": return SUM;
            default: throw new IllegalArgumentException(r + " is not a valid value for reduction");
        }
    }

    /** Reduces a per-element loss: mean, sum, or itself for "none". */
    public static Tensor reduce(Tensor loss, String reduction) {
        switch (reduction(reduction)) {
            case MEAN: return loss.mean();
            case SUM: return loss.sum();
            default: return loss;
        }
    }

    public static Tensor mseLoss(Tensor a, Tensor b, String reduction) {
        int red = reduction(reduction);
        int[] shape = Arrays.equals(a.shape, b.shape) ? a.shape : Shape.broadcast(a.shape, b.shape);
        Tensor ac = a.expand(shape).detach().contiguous(), bc = b.expand(shape).detach().contiguous();
        int n = Shape.numel(shape);
        DType dtype = Binary.promote(a, b);
        Tensor loss = Tensor.allocate(dtype, shape), dl = Tensor.allocate(dtype, shape);
        for (int i = 0; i < n; i++) {
            double d = ac.storage.get(ac.offset + i) - bc.storage.get(bc.offset + i);
            loss.storage.set(i, d * d);
            dl.storage.set(i, 2 * d);
        }
        return pointwise("MseLossBackward0", red, loss, dl, a, dl, b, -1);
    }

    /**
     * Finishes a loss whose per-element values and derivatives were computed: reduces, and attaches a node that
     * scales {@code dx} (for x) and {@code dt * tSign} (for t) by the incoming gradient.
     */
    private static Tensor pointwise(String name, int red, Tensor loss, Tensor dx, Tensor x, Tensor dt, Tensor t,
                                    double tSign) {
        int n = loss.numel();
        Tensor out = red == NONE ? loss : Tensor.scalar(sum(loss) / (red == MEAN ? n : 1), loss.dtype());
        double scale = red == MEAN ? 1.0 / n : 1;
        Node.attach(name, g -> {
            Tensor up = red == NONE ? g[0] : g[0].mul(scale);
            return new Tensor[] {
                x.requiresGrad() ? up.mul(dx).sumTo(x.shape) : null,
                t != null && t.requiresGrad() && dt != null ? up.mul(dt).mul(tSign).sumTo(t.shape) : null};
        }, out, x, t);
        return out;
    }

    private static double sum(Tensor t) {
        double s = 0;
        for (int i = 0, n = t.numel(); i < n; i++) s += t.storage.get(t.offset + i);
        return s;
    }

    /**
     * The negative log-likelihood of class-index targets, optionally mixed with the uniform distribution
     * ({@code smoothing}); weights per class; targets equal to {@code ignoreIndex} count for nothing.
     */
    public static Tensor nllLoss(Tensor logp, Tensor target, Tensor weight, int ignoreIndex, String reduction,
                                 double smoothing) {
        int red = reduction(reduction);
        if (target.dtype() != DType.INT64) {
            throw new IllegalArgumentException("expected target dtype to be Long or Byte, but got "
                    + (target.dtype() == DType.FLOAT32 ? "Float" : target.dtype() == DType.FLOAT64 ? "Double" : "Bool"));
        }
        if (logp.dim() < 1) throw new IllegalArgumentException("input tensor should be 1D or 2D");
        int n, ch, inner;
        if (logp.dim() == 1) {
            if (target.dim() != 0) {
                throw new IllegalArgumentException("0D or 1D target tensor expected, multi-target not supported");
            }
            n = 1; ch = logp.shape[0]; inner = 1;
        } else {
            if (target.dim() == 0 || target.shape[0] != logp.shape[0]) {
                throw new IllegalArgumentException("Expected input batch_size (" + logp.shape[0]
                        + ") to match target batch_size (" + (target.dim() == 0 ? 0 : target.shape[0]) + ").");
            }
            n = logp.shape[0]; ch = logp.shape[1]; inner = logp.numel() / Math.max(1, n * ch);
            int[] expect = new int[logp.dim() - 1];
            expect[0] = n;
            for (int i = 2; i < logp.dim(); i++) expect[i - 1] = logp.shape[i];
            if (!Arrays.equals(expect, target.shape)) {
                throw new IllegalArgumentException("Expected target size " + Shape.str(expect) + ", got " + Shape.str(target.shape));
            }
        }
        if (weight != null && (weight.dim() != 1 || weight.numel() != ch)) {
            throw new IllegalArgumentException("weight tensor should be defined either for all " + ch
                    + " classes or no classes but got weight tensor of shape: " + Shape.str(weight.shape));
        }
        long[] t = target.toLongArray();
        double[] w = new double[ch];
        for (int k = 0; k < ch; k++) w[k] = weight == null ? 1 : weight.get(k);
        for (long v : t) {
            if (v != ignoreIndex && (v < 0 || v >= ch)) throw new IndexOutOfBoundsException("Target " + v + " is out of bounds.");
        }
        Tensor c = logp.contiguous();
        Tensor perItem = Tensor.allocate(logp.dtype(), target.shape);
        double total = 0, denom = 0;
        for (int b = 0; b < n; b++) {
            for (int q = 0; q < inner; q++) {
                int item = b * inner + q;
                long tv = t[item];
                if (tv == ignoreIndex) continue;
                int base = c.offset + b * ch * inner + q;
                double l = -(1 - smoothing) * w[(int) tv] * c.storage.get(base + (int) tv * inner);
                if (smoothing > 0) {
                    double s = 0;
                    for (int k = 0; k < ch; k++) s += w[k] * c.storage.get(base + k * inner);
                    l -= smoothing / ch * s;
                }
                perItem.storage.set(item, l);
                total += l;
                denom += w[(int) tv];
            }
        }
        Tensor out = red == NONE ? perItem : Tensor.scalar(red == MEAN ? total / denom : total, logp.dtype());
        double scale = red == MEAN ? 1 / denom : 1;
        Node.attach(smoothing > 0 ? "AddBackward0" : "NllLossBackward0", g -> {
            Tensor gc = g[0].contiguous();
            Tensor gi = Tensor.allocate(logp.dtype(), logp.shape);
            for (int b = 0; b < n; b++) {
                for (int q = 0; q < inner; q++) {
                    int item = b * inner + q;
                    long tv = t[item];
                    if (tv == ignoreIndex) continue;
                    double up = (red == NONE ? gc.storage.get(gc.offset + item) : gc.storage.get(gc.offset)) * scale;
                    int base = b * ch * inner + q;
                    int at = base + (int) tv * inner;
                    gi.storage.set(at, gi.storage.get(at) - up * (1 - smoothing) * w[(int) tv]);
                    if (smoothing > 0) {
                        for (int k = 0; k < ch; k++) {
                            int p = base + k * inner;
                            gi.storage.set(p, gi.storage.get(p) - up * smoothing / ch * w[k]);
                        }
                    }
                }
            }
            return new Tensor[] {gi};
        }, out, logp);
        return out;
    }

    /** Binary cross-entropy of probabilities, with logs clamped at -100 like PyTorch. */
    public static Tensor binaryCrossEntropy(Tensor p, Tensor target, Tensor weight, String reduction) {
        int red = reduction(reduction);
        if (!Arrays.equals(p.shape, target.shape)) {
            throw new IllegalArgumentException("Using a target size (torch.Size(" + Shape.str(target.shape) + ")) that is "
                    + "different to the input size (torch.Size(" + Shape.str(p.shape) + ")) is deprecated. Please ensure "
                    + "they have the same size.");
        }
        Tensor pc = p.contiguous(), tc = target.contiguous();
        Tensor wc = weight == null ? null : weight.expand(p.shape).detach().contiguous();
        int n = p.numel();
        for (int i = 0; i < n; i++) {
            double v = pc.storage.get(pc.offset + i);
            if (!(v >= 0 && v <= 1)) throw new IllegalArgumentException("all elements of input should be between 0 and 1");
        }
        Tensor loss = Tensor.allocate(p.dtype(), p.shape), dx = Tensor.allocate(p.dtype(), p.shape);
        Tensor dt = Tensor.allocate(p.dtype(), p.shape);
        for (int i = 0; i < n; i++) {
            double v = pc.storage.get(pc.offset + i), y = tc.storage.get(tc.offset + i);
            double w = wc == null ? 1 : wc.storage.get(wc.offset + i);
            double lp = Math.max(Math.log(v), -100), l1p = Math.max(Math.log1p(-v), -100);
            loss.storage.set(i, -w * (y * lp + (1 - y) * l1p));
            dx.storage.set(i, w * (v - y) / Math.max((1 - v) * v, 1e-12));
            dt.storage.set(i, w * (l1p - lp));
        }
        return pointwise("BinaryCrossEntropyBackward0", red, loss, dx, p, dt, target, 1);
    }

    /** Binary cross-entropy on logits, stable for large |x|; {@code posWeight} weighs positives per class. */
    public static Tensor binaryCrossEntropyWithLogits(Tensor x, Tensor target, Tensor weight, Tensor posWeight,
                                                      String reduction) {
        int red = reduction(reduction);
        if (!Arrays.equals(x.shape, target.shape)) {
            throw new IllegalArgumentException("Target size (torch.Size(" + Shape.str(target.shape) + ")) must be the same "
                    + "as input size (torch.Size(" + Shape.str(x.shape) + "))");
        }
        Tensor xc = x.contiguous(), tc = target.contiguous();
        Tensor wc = weight == null ? null : weight.expand(x.shape).detach().contiguous();
        Tensor pc = posWeight == null ? null : posWeight.expand(x.shape).detach().contiguous();
        int n = x.numel();
        Tensor loss = Tensor.allocate(x.dtype(), x.shape), dx = Tensor.allocate(x.dtype(), x.shape);
        Tensor dt = Tensor.allocate(x.dtype(), x.shape);
        for (int i = 0; i < n; i++) {
            double v = xc.storage.get(xc.offset + i), y = tc.storage.get(tc.offset + i);
            double w = wc == null ? 1 : wc.storage.get(wc.offset + i), pw = pc == null ? 1 : pc.storage.get(pc.offset + i);
            double lw = 1 + (pw - 1) * y;
            double spNeg = Math.log1p(Math.exp(-Math.abs(v))) + Math.max(-v, 0);
            double sigNeg = 1 / (1 + Math.exp(v));
            loss.storage.set(i, w * ((1 - y) * v + lw * spNeg));
            dx.storage.set(i, w * ((1 - y) - lw * sigNeg));
            dt.storage.set(i, w * (-v + (pw - 1) * spNeg));
        }
        return pointwise("BinaryCrossEntropyWithLogitsBackward0", red, loss, dx, x, dt, target, 1);
    }
}
