package dev.nnlab.tensor;

import dev.nnlab.autograd.Node;

/** Matrix products through BLAS (OpenBLAS via JNI when installed, pure Java otherwise). */
final class Linalg {
    /** Multiply-adds from which a float32 product splits over the two cores (quiet machine: 64^3 3.5 vs 5.0 us). */
    static final long SPLIT_MNK = 1 << 18;
    /** The fewest rows or columns each core gets. */
    static final int MIN_SIDE = 8;

    private Linalg() { }

    /**
     * {@code out[i] = sum over r rows of a[off + row * cols + i]}, as a BLAS matrix-vector product with ones: the
     * loop in Java would not vectorize (its two arrays are read at different offsets).
     */
    static void sumRows(float[] a, int off, int rows, int cols, float[] out) {
        float[] ones = new float[rows];
        java.util.Arrays.fill(ones, 1f);
        Blas.IMPL.sgemv("N", cols, rows, 1f, a, off, cols, ones, 0, 1, 0f, out, 0, 1);
    }

    static Tensor mm(Tensor a, Tensor b) {
        if (a.dim() != 2) throw new IllegalArgumentException("self must be a matrix");
        if (b.dim() != 2) throw new IllegalArgumentException("mat2 must be a matrix");
        checkInner(a, b);
        Tensor out = gemm(a, b, null);
        Node n = Node.attach("MmBackward0", g -> new Tensor[] {
            a.requiresGrad() ? g[0].mm(b.t()) : null,
            b.requiresGrad() ? a.t().mm(g[0]) : null}, out, a, b);
        if (n != null) n.save(a, b);
        return out;
    }

    private static void checkInner(Tensor a, Tensor b) {
        if (a.shape[a.dim() - 1] != b.shape[b.dim() - 2]) {
            throw new IllegalArgumentException("mat1 and mat2 shapes cannot be multiplied (" + a.shape[0] + "x"
                    + a.shape[1] + " and " + b.shape[b.dim() - 2] + "x" + b.shape[b.dim() - 1] + ")");
        }
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException("expected m1 and m2 to have the same dtype, but got: "
                    + a.dtype().toString().replace("torch.", "") + " != " + b.dtype().toString().replace("torch.", ""));
        }
    }

    /** {@code x @ w.T + bias} for x of any rank >= 1; one fused node for 2-D x (AddmmBackward0). */
    static Tensor linear(Tensor x, Tensor w, Tensor bias) {
        if (x.dim() != 2) {
            if (x.dim() == 0) throw new IllegalArgumentException("linear: input must have at least one dimension");
            int[] lead = java.util.Arrays.copyOf(x.shape, x.dim() - 1);
            Tensor flat = x.reshape(-1, x.shape[x.dim() - 1]);
            Tensor y = linear(flat, w, bias);
            int[] shape = java.util.Arrays.copyOf(lead, lead.length + 1);
            shape[lead.length] = w.shape[0];
            return y.reshape(shape);
        }
        if (w.dim() != 2 || x.shape[1] != w.shape[1]) {
            throw new IllegalArgumentException("mat1 and mat2 shapes cannot be multiplied (" + x.shape[0] + "x" + x.shape[1]
                    + " and " + (w.dim() == 2 ? w.shape[1] + "x" + w.shape[0] : Shape.cross(w.shape)) + ")");
        }
        if (x.dtype() != w.dtype()) {
            throw new IllegalArgumentException("mat1 and mat2 must have the same dtype, but got "
                    + x.dtype().toString().replace("torch.", "") + " and " + w.dtype().toString().replace("torch.", ""));
        }
        if (bias != null && (bias.dim() != 1 || bias.shape[0] != w.shape[0])) {
            throw new IllegalArgumentException("The size of tensor a (" + w.shape[0] + ") must match the size of tensor b ("
                    + bias.shape[bias.dim() - 1] + ") at non-singleton dimension 1");
        }
        Tensor wt = View.alias(w, new int[] {w.shape[1], w.shape[0]}, new int[] {w.stride[1], w.stride[0]}, w.offset);
        Tensor out = gemm(x, wt, bias);
        Node n = Node.attach(bias != null ? "AddmmBackward0" : "MmBackward0", g -> linearBackward(g[0], x, w, bias),
                new Tensor[] {out}, x, w, bias);
        if (n != null) n.save(x, w);
        return out;
    }

    /**
     * The input and weight gradients of {@code x @ w.T + bias}: independent products of equal size, one per core
     * when they are big enough to split (each then runs whole, on one OpenBLAS thread).
     */
    private static Tensor[] linearBackward(Tensor grad, Tensor x, Tensor w, Tensor bias) {
        Tensor[] r = new Tensor[3];
        // once here rather than in each product (sum().backward() sends an expanded, stride-0 gradient)
        Tensor g = grad.contiguous();
        boolean needX = x.requiresGrad(), needW = w.requiresGrad();
        long mnk = (long) g.shape[0] * g.shape[1] * x.shape[1];
        Runnable gx = () -> r[0] = gemm(g, w.detach(), null), gw = () -> r[1] = gemm(g.t(), x.detach(), null);
        if (needX && needW && mnk >= SPLIT_MNK && mnk < Blas.THREADED_MNK) {
            Parallel.both(Parallel.count(2, mnk), gx, gw);
        } else {
            if (needX) gx.run();
            if (needW) gw.run();
        }
        if (bias != null && bias.requiresGrad()) r[2] = g.sum(0);
        return r;
    }

    /** {@code a @ b (+ bias broadcast over rows)} for 2-D a, b, outside autograd. */
    static Tensor gemm(Tensor a, Tensor b, Tensor bias) {
        int m = a.shape[0], k = a.shape[1], n = b.shape[1];
        long mnk = (long) m * n * k;
        boolean split = mnk >= SPLIT_MNK && mnk < Blas.THREADED_MNK && Math.max(m, n) >= 2 * MIN_SIDE
                && Parallel.count(2, mnk) == 2;
        return gemm(a, b, bias, split);
    }

    /**
     * {@link #gemm(Tensor, Tensor, Tensor)}; {@code split} (float32 only) splits the longer side of the output over
     * the two cores, whatever the size (the tests check any shape that way).
     */
    static Tensor gemm(Tensor a, Tensor b, Tensor bias, boolean split) {
        int m = a.shape[0], k = a.shape[1], n = b.shape[1];
        DType dtype = a.dtype();
        Tensor out = Tensor.allocate(dtype, m, n);
        if (bias != null) {
            Tensor bc = bias.contiguous();
            for (int i = 0; i < m; i++) System.arraycopy(bc.storage.array(), bc.offset, out.storage.array(), i * n, n);
        }
        if (m == 0 || n == 0) return out;
        if (k == 0) return out;
        float beta = bias != null ? 1f : 0f;
        if (dtype == DType.FLOAT32 || dtype == DType.FLOAT64) {
            Operand pa = Operand.of(a), pb = Operand.of(b);
            // Row-major C = A B is column-major C^T = B^T A^T: pass b first.
            if (dtype == DType.FLOAT32) {
                sgemm(pa, pb, m, n, k, beta, out.floats(), split);
            } else {
                Blas.dgemm(pb.trans, pa.trans, n, m, k, 1.0, (double[]) pb.t.storage.array(), pb.t.offset, pb.ld,
                        (double[]) pa.t.storage.array(), pa.t.offset, pa.ld, beta, (double[]) out.storage.array(), 0, n);
            }
            return out;
        }
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = out.storage.get(i * n + j);
                for (int p = 0; p < k; p++) s += a.get(i, p) * b.get(p, j);
                out.storage.set(i * n + j, s);
            }
        }
        return out;
    }

    /**
     * Row-major {@code out = a b + beta out} in float32, in one call or ({@code split}) as two halves of the longer
     * side of {@code out}, one per core (one OpenBLAS thread each). Products from {@link #SPLIT_MNK} to
     * {@link Blas#THREADED_MNK} multiply-adds (a batch-64 Linear up to 384^3) split: on a quiet machine that beat
     * OpenBLAS's own two threads at every size measured (64x150x200 20.9 us vs 32.8, one thread 40.9).
     */
    private static void sgemm(Operand pa, Operand pb, int m, int n, int k, float beta, float[] out, boolean split) {
        boolean cols = n >= m;
        int side = cols ? n : m;
        if (!split || side < 2) {
            Blas.sgemm(pb.trans, pa.trans, n, m, k, 1f, pb.t.floats(), pb.t.offset, pb.ld, pa.t.floats(), pa.t.offset,
                    pa.ld, beta, out, 0, n);
            return;
        }
        // Row-major C = A B is column-major C^T = B^T A^T: b goes first; its columns are C's columns.
        Parallel.parts(side, 2, (part, from, to) -> {
            if (cols) {
                Blas.sgemm(pb.trans, pa.trans, to - from, m, k, 1f, pb.t.floats(), pb.col(from), pb.ld, pa.t.floats(),
                        pa.t.offset, pa.ld, beta, out, from, n);
            } else {
                Blas.sgemm(pb.trans, pa.trans, n, to - from, k, 1f, pb.t.floats(), pb.t.offset, pb.ld, pa.t.floats(),
                        pa.row(from), pa.ld, beta, out, from * n, n);
            }
        });
    }

    /** A 2-D operand as BLAS sees it: row-major contiguous ("N") or a transposed contiguous matrix ("T"). */
    private record Operand(Tensor t, String trans, int ld) {
        /** Where row {@code i} starts. */
        int row(int i) {
            return t.offset + i * (trans.equals("N") ? ld : 1);
        }

        /** Where column {@code j} starts. */
        int col(int j) {
            return t.offset + j * (trans.equals("N") ? 1 : ld);
        }

        static Operand of(Tensor x) {
            int rows = x.shape[0], cols = x.shape[1];
            if ((x.stride[1] == 1 || cols == 1) && (x.stride[0] >= Math.max(1, cols) || rows == 1)) {
                return new Operand(x, "N", Math.max(rows == 1 ? cols : x.stride[0], 1));
            }
            if ((x.stride[0] == 1 || rows == 1) && (x.stride[1] >= Math.max(1, rows) || cols == 1)) {
                return new Operand(x, "T", Math.max(cols == 1 ? rows : x.stride[1], 1));
            }
            Tensor c = x.detach().contiguous();
            return new Operand(c, "N", Math.max(cols, 1));
        }
    }

    static Tensor bmm(Tensor a, Tensor b) {
        if (a.dim() != 3) throw new IllegalArgumentException("batch1 must be a 3D tensor");
        if (b.dim() != 3) throw new IllegalArgumentException("batch2 must be a 3D tensor");
        if (a.shape[0] != b.shape[0] || a.shape[2] != b.shape[1]) {
            throw new IllegalArgumentException("Expected size for first two dimensions of batch2 tensor to be: ["
                    + a.shape[0] + ", " + a.shape[2] + "] but got: [" + b.shape[0] + ", " + b.shape[1] + "].");
        }
        int batch = a.shape[0], m = a.shape[1], n = b.shape[2];
        Tensor out = Tensor.allocate(a.dtype(), batch, m, n);
        Tensor ad = a.detach(), bd = b.detach();
        for (int i = 0; i < batch; i++) {
            Tensor c = gemm(ad.select(0, i), bd.select(0, i), null);
            System.arraycopy(c.storage.array(), 0, out.storage.array(), i * m * n, m * n);
        }
        Node node = Node.attach("BmmBackward0", g -> new Tensor[] {
            a.requiresGrad() ? g[0].bmm(b.transpose(1, 2)) : null,
            b.requiresGrad() ? a.transpose(1, 2).bmm(g[0]) : null}, out, a, b);
        if (node != null) node.save(a, b);
        return out;
    }

    /** {@code torch.matmul}: dot, matrix-vector, matrix product and broadcast batched products. */
    static Tensor matmul(Tensor a, Tensor b) {
        int da = a.dim(), db = b.dim();
        if (da == 0 || db == 0) {
            throw new IllegalArgumentException("both arguments to matmul need to be at least 1D, but they are "
                    + da + "D and " + db + "D");
        }
        if (da == 1 && db == 1) {
            if (a.shape[0] != b.shape[0]) {
                throw new IllegalArgumentException("inconsistent tensor size, expected tensor [" + a.shape[0]
                        + "] and src [" + b.shape[0] + "] to have the same number of elements, but got " + a.shape[0]
                        + " and " + b.shape[0] + " elements respectively");
            }
            return a.mul(b).sum();
        }
        if (da == 2 && db == 1) return mm(a, b.unsqueeze(1)).squeeze(1);
        if (da == 1 && db == 2) return mm(a.unsqueeze(0), b).squeeze(0);
        if (da == 2 && db == 2) return mm(a, b);
        Tensor a3 = da == 1 ? a.unsqueeze(0) : a, b3 = db == 1 ? b.unsqueeze(1) : b;
        int m = a3.shape[a3.dim() - 2], k = a3.shape[a3.dim() - 1], k2 = b3.shape[b3.dim() - 2], n = b3.shape[b3.dim() - 1];
        if (k != k2) {
            throw new IllegalArgumentException("Expected size for first two dimensions of batch2 tensor to be: [?, " + k
                    + "] but got: [?, " + k2 + "].");
        }
        int[] batchA = java.util.Arrays.copyOf(a3.shape, a3.dim() - 2), batchB = java.util.Arrays.copyOf(b3.shape, b3.dim() - 2);
        int[] batch = Shape.broadcast(batchA, batchB);
        int nb = Shape.numel(batch);
        Tensor ea = a3.expand(concat(batch, m, k)).reshape(nb, m, k);
        Tensor eb = b3.expand(concat(batch, k, n)).reshape(nb, k, n);
        Tensor out = ea.bmm(eb).reshape(concat(batch, m, n));
        if (da == 1) out = out.squeeze(-2);
        if (db == 1) out = out.squeeze(-1);
        return out;
    }

    private static int[] concat(int[] lead, int x, int y) {
        int[] s = java.util.Arrays.copyOf(lead, lead.length + 2);
        s[lead.length] = x;
        s[lead.length + 1] = y;
        return s;
    }
}
