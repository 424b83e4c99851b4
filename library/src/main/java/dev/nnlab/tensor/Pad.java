package dev.nnlab.tensor;

import dev.nnlab.autograd.Node;

/** Kernels behind F; use F. Padding of trailing dims: constant (negative pads crop), reflect, replicate, circular. */
public final class Pad {
    private Pad() { }

    /** {@code pad} lists (before, after) pairs starting from the last dim, like {@code F.pad}. */
    public static Tensor pad(Tensor x, int[] pad, String mode, double value) {
        if (pad.length % 2 != 0) throw new IllegalArgumentException("Padding length must be divisible by 2");
        if (pad.length / 2 > x.dim()) {
            throw new IllegalArgumentException("Padding length should be less than or equal to two times the input "
                    + "dimension but got padding length " + pad.length + " and input of dimension " + x.dim());
        }
        int nd = x.dim();
        int[] before = new int[nd], outShape = x.shape.clone();
        for (int i = 0; i < pad.length / 2; i++) {
            int d = nd - 1 - i;
            before[d] = pad[2 * i];
            outShape[d] = x.shape[d] + pad[2 * i] + pad[2 * i + 1];
            if (outShape[d] < 0) {
                throw new IllegalArgumentException("The input size " + x.shape[d] + ", plus negative padding "
                        + pad[2 * i] + " and " + pad[2 * i + 1] + " resulted in a negative output size, which is invalid. "
                        + "Check dimension " + d + " of your input.");
            }
        }
        int kind;
        switch (mode) {
            case "constant": kind = 0; break;
            case "reflect": kind = 1; break;
            case "replicate": kind = 2; break;
            case "circular": kind = 3; break;
            default: throw new IllegalArgumentException("Unrecognised padding mode " + mode);
        }
        if (kind != 0) checkNonConstant(x, pad, kind);
        int[] src = sourceIndex(x, before, outShape, kind);
        Tensor c = x.contiguous();
        Tensor out = Tensor.allocate(x.dtype(), outShape);
        for (int i = 0; i < src.length; i++) out.storage.set(i, src[i] < 0 ? value : c.storage.get(c.offset + src[i]));
        String name = kind == 0 ? "ConstantPadNdBackward0"
                : (kind == 1 ? "Reflection" : kind == 2 ? "Replication" : "Circular") + "Pad" + pad.length / 2 + "DBackward0";
        Node.attach(name, g -> {
            Tensor gc = g[0].contiguous();
            Tensor gx = Tensor.allocate(x.dtype(), x.shape);
            for (int i = 0; i < src.length; i++) {
                if (src[i] >= 0) gx.storage.set(src[i], gx.storage.get(src[i]) + gc.storage.get(gc.offset + i));
            }
            return new Tensor[] {gx};
        }, out, x);
        return out;
    }

    private static void checkNonConstant(Tensor x, int[] pad, int kind) {
        int dims = pad.length / 2;
        if (dims > 3 || x.dim() < dims + 1 || x.dim() > dims + 2) {
            throw new IllegalArgumentException("Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now");
        }
        for (int i = 0; i < dims; i++) {
            int d = x.dim() - 1 - i, s = x.shape[d];
            boolean bad = kind == 1 ? pad[2 * i] >= s || pad[2 * i + 1] >= s : kind == 3 && (pad[2 * i] > s || pad[2 * i + 1] > s);
            if (bad) {
                throw new IllegalArgumentException("Argument #4: Padding size should be less than the corresponding input "
                        + "dimension, but got: padding (" + pad[2 * i] + ", " + pad[2 * i + 1] + ") at dimension " + d
                        + " of input " + Shape.str(x.shape));
            }
        }
    }

    /** For each output element (row-major), the contiguous input position it copies, or -1 for the fill value. */
    private static int[] sourceIndex(Tensor x, int[] before, int[] outShape, int kind) {
        int nd = x.dim(), n = Shape.numel(outShape);
        int[] inStrides = Shape.contiguousStrides(x.shape);
        int[] src = new int[n];
        int[] idx = new int[nd];
        for (int e = 0; e < n; e++) {
            int p = 0;
            for (int d = 0; d < nd && p >= 0; d++) {
                int s = x.shape[d], j = idx[d] - before[d];
                if (j < 0 || j >= s) {
                    if (kind == 0) { p = -1; break; }
                    if (kind == 1) j = j < 0 ? -j : 2 * (s - 1) - j;
                    else if (kind == 2) j = j < 0 ? 0 : s - 1;
                    else j = Math.floorMod(j, s);
                }
                p += j * inStrides[d];
            }
            src[e] = p;
            for (int d = nd - 1; d >= 0; d--) {
                if (++idx[d] < outShape[d]) break;
                idx[d] = 0;
            }
        }
        return src;
    }
}
