package dev.nnlab.tensor;

import dev.nnlab.autograd.GradMode;
import dev.nnlab.autograd.Node;

/** Kernels behind F; use F. Dropout: zero with probability p, scale the rest by 1/(1-p). */
public final class DropoutOps {
    private DropoutOps() { }

    public static Tensor dropout(Tensor x, double p, boolean training, Generator gen) {
        if (p < 0 || p > 1 || Double.isNaN(p)) {
            throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + p);
        }
        if (!training || p == 0 || x.numel() == 0) return x;
        if (!x.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("result type Float can't be cast to the desired output type Long");
        }
        boolean record = GradMode.isEnabled() && x.requiresGrad();
        Tensor c = x.dense();
        int n = x.numel();
        Tensor out = Tensor.allocate(x.dtype(), x.shape);
        Tensor mask = record ? Tensor.allocate(x.dtype(), x.shape) : out;
        if (x.dtype() == DType.FLOAT32) {
            float[] m = mask.floats(), o = out.floats(), a = c.floats();
            if (p == 1) java.util.Arrays.fill(m, 0f);
            else gen.fillMask(m, 0, n, p, (float) (1.0 / (1.0 - p)));
            for (int i = 0; i < n; i++) o[i] = a[i] * m[i];
        } else {
            double scale = p == 1 ? 0 : 1.0 / (1.0 - p);
            for (int i = 0; i < n; i++) mask.storage.set(i, gen.nextDouble() < p ? 0 : scale);
            for (int i = 0; i < n; i++) out.storage.set(i, c.storage.get(i) * mask.storage.get(i));
        }
        if (record) Node.attach("MulBackward0", g -> new Tensor[] {maskGrad(g[0], mask)}, out, x);
        return out;
    }

    private static Tensor maskGrad(Tensor g, Tensor mask) {
        if (g.dtype() != DType.FLOAT32 || mask.dtype() != DType.FLOAT32) return g.mul(mask);
        Tensor gc = g.dense();
        Tensor r = Tensor.allocate(DType.FLOAT32, mask.shape);
        float[] a = gc.floats(), m = mask.floats(), o = r.floats();
        for (int i = 0, n = o.length; i < n; i++) o[i] = a[i] * m[i];
        return r;
    }
}
