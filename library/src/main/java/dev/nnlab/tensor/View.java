package dev.nnlab.tensor;

import dev.nnlab.autograd.GradMode;
import dev.nnlab.autograd.Node;

import java.util.Arrays;
import java.util.function.IntConsumer;

/** Views that share storage (view, transpose, expand, narrow, ...), copies, and strided iteration. */
final class View {
    private View() { }

    static Tensor alias(Tensor t, int[] shape, int[] stride, int offset) {
        Tensor v = new Tensor(t.storage, shape, stride, offset);
        v.base = t.base != null ? t.base : t;
        v.viewStamp = v.base.rebases;
        return v;
    }

    static Tensor view(Tensor t, int[] target) {
        int[] shape = Shape.infer(target, t.numel());
        if (!t.isContiguous()) {
            throw new IllegalStateException("view size is not compatible with input tensor's size and stride (at least "
                    + "one dimension spans across two contiguous subspaces). Use .reshape(...) instead.");
        }
        Tensor out = alias(t, shape, Shape.contiguousStrides(shape), t.offset);
        int[] in = t.shape;
        Node.attach("ViewBackward0", g -> new Tensor[] {g[0].reshape(in)}, out, t);
        return out;
    }

    static Tensor reshape(Tensor t, int[] target) {
        return t.isContiguous() ? view(t, target) : clone(t).view(target);
    }

    static Tensor t(Tensor t) {
        if (t.dim() > 2) throw new IllegalArgumentException("t() expects a tensor with <= 2 dimensions, but self is " + t.dim() + "D");
        return t.dim() < 2 ? t : transpose(t, 0, 1);
    }

    static Tensor transpose(Tensor t, int d0, int d1) {
        int a = Shape.wrapDim(d0, t.dim()), b = Shape.wrapDim(d1, t.dim());
        if (t.dim() == 0) return t;
        int[] shape = t.shape.clone(), stride = t.stride.clone();
        shape[a] = t.shape[b]; shape[b] = t.shape[a];
        stride[a] = t.stride[b]; stride[b] = t.stride[a];
        Tensor out = alias(t, shape, stride, t.offset);
        Node.attach("TransposeBackward0", g -> new Tensor[] {g[0].transpose(a, b)}, out, t);
        return out;
    }

    static Tensor permute(Tensor t, int[] dims) {
        int n = t.dim();
        if (dims.length != n) {
            throw new IllegalArgumentException("permute(): number of dimensions in the tensor input does not "
                    + "match the length of the desired ordering of dimensions i.e. input.dim() = "
                    + n + " is not equal to len(dims) = " + dims.length);
        }
        int[] shape = new int[n], stride = new int[n], inverse = new int[n];
        boolean[] seen = new boolean[n];
        for (int i = 0; i < n; i++) {
            int d = Shape.wrapDim(dims[i], n);
            if (seen[d]) throw new IllegalArgumentException("permute(): duplicate dims are not allowed.");
            seen[d] = true;
            shape[i] = t.shape[d];
            stride[i] = t.stride[d];
            inverse[d] = i;
        }
        Tensor out = alias(t, shape, stride, t.offset);
        Node.attach("PermuteBackward0", g -> new Tensor[] {g[0].permute(inverse)}, out, t);
        return out;
    }

    static Tensor expand(Tensor t, int[] target) {
        int n = target.length, lead = n - t.dim();
        if (lead < 0) {
            throw new IllegalArgumentException("expand(" + t.typeName() + "{" + Shape.str(t.shape) + "}, size="
                    + Shape.str(target) + "): the number of sizes provided (" + n + ") must be greater or equal to the "
                    + "number of dimensions in the tensor (" + t.dim() + ")");
        }
        int[] shape = new int[n], stride = new int[n];
        for (int i = 0; i < n; i++) {
            int src = i - lead;
            int size = src >= 0 ? t.shape[src] : 1;
            int want = target[i] == -1 && src >= 0 ? size : target[i];
            if (src >= 0 && size == want) {
                shape[i] = size;
                stride[i] = t.stride[src];
            } else if (size == 1) {
                shape[i] = want;
                stride[i] = 0;
            } else {
                throw new IllegalArgumentException("The expanded size of the tensor (" + want + ") must match the existing "
                        + "size (" + size + ") at non-singleton dimension " + i + ".  Target sizes: " + Shape.str(target)
                        + ".  Tensor sizes: " + Shape.str(t.shape));
            }
        }
        if (Arrays.equals(shape, t.shape)) return t;
        Tensor out = alias(t, shape, stride, t.offset);
        int[] in = t.shape;
        Node.attach("ExpandBackward0", g -> new Tensor[] {g[0].sumTo(in)}, out, t);
        return out;
    }

    static Tensor squeeze(Tensor t) {
        int[] shape = Arrays.stream(t.shape).filter(s -> s != 1).toArray();
        return shape.length == t.dim() ? t : reshapeView(t, shape, "SqueezeBackward0");
    }

    static Tensor squeeze(Tensor t, int dim) {
        int d = Shape.wrapDim(dim, t.dim());
        if (t.dim() == 0 || t.shape[d] != 1) return t;
        int[] shape = new int[t.dim() - 1], stride = new int[t.dim() - 1];
        for (int i = 0, j = 0; i < t.dim(); i++) {
            if (i == d) continue;
            shape[j] = t.shape[i];
            stride[j++] = t.stride[i];
        }
        return withBackward(alias(t, shape, stride, t.offset), t, "SqueezeBackward1");
    }

    static Tensor unsqueeze(Tensor t, int dim) {
        int d = Shape.wrapDim(dim, t.dim() + 1);
        int[] shape = new int[t.dim() + 1], stride = new int[t.dim() + 1];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (i == d) {
                shape[i] = 1;
                stride[i] = j < t.dim() ? t.stride[j] * t.shape[j] : 1;
            } else {
                shape[i] = t.shape[j];
                stride[i] = t.stride[j++];
            }
        }
        return withBackward(alias(t, shape, stride, t.offset), t, "UnsqueezeBackward0");
    }

    private static Tensor withBackward(Tensor out, Tensor in, String name) {
        int[] shape = in.shape;
        Node.attach(name, g -> new Tensor[] {g[0].reshape(shape)}, out, in);
        return out;
    }

    private static Tensor reshapeView(Tensor t, int[] shape, String name) {
        if (t.isContiguous()) {
            return withBackward(alias(t, shape, Shape.contiguousStrides(shape), t.offset), t, name);
        }
        return reshape(t, shape);
    }

    static Tensor flatten(Tensor t, int startDim, int endDim) {
        if (t.dim() == 0) return reshape(t, new int[] {1});
        int s = Shape.wrapDim(startDim, t.dim()), e = Shape.wrapDim(endDim, t.dim());
        if (s > e) throw new IllegalArgumentException("flatten() has invalid args: start_dim cannot come after end_dim");
        if (s == e) return t;
        int[] shape = new int[t.dim() - (e - s)];
        int j = 0;
        for (int i = 0; i < s; i++) shape[j++] = t.shape[i];
        int prod = 1;
        for (int i = s; i <= e; i++) prod *= t.shape[i];
        shape[j++] = prod;
        for (int i = e + 1; i < t.dim(); i++) shape[j++] = t.shape[i];
        return reshape(t, shape);
    }

    static Tensor unflatten(Tensor t, int dim, int[] sizes) {
        int d = Shape.wrapDim(dim, t.dim());
        int[] inferred = Shape.infer(sizes, t.shape[d]);
        int[] shape = new int[t.dim() - 1 + inferred.length];
        int j = 0;
        for (int i = 0; i < d; i++) shape[j++] = t.shape[i];
        for (int s : inferred) shape[j++] = s;
        for (int i = d + 1; i < t.dim(); i++) shape[j++] = t.shape[i];
        return reshape(t, shape);
    }

    static Tensor narrow(Tensor t, int dim, int start, int length) {
        int d = Shape.wrapDim(dim, t.dim());
        int size = t.shape[d];
        int s = start < 0 ? start + size : start;
        if (s < 0 || length < 0 || s + length > size) {
            throw new IndexOutOfBoundsException("start (" + start + ") + length (" + length + ") exceeds dimension size ("
                    + size + ").");
        }
        return slice(t, d, s, s + length, 1);
    }

    static Tensor slice(Tensor t, int dim, int start, int end, int step) {
        int d = Shape.wrapDim(dim, t.dim());
        if (step <= 0) throw new IllegalArgumentException("slice step must be positive");
        int size = t.shape[d];
        int s = clampIndex(start, size), e = clampIndex(end, size);
        int len = e > s ? (e - s + step - 1) / step : 0;
        int[] shape = t.shape.clone(), stride = t.stride.clone();
        shape[d] = len;
        stride[d] = t.stride[d] * step;
        Tensor out = alias(t, shape, stride, t.offset + s * t.stride[d]);
        int[] in = t.shape;
        DType dtype = t.dtype();
        Node.attach("SliceBackward0", g -> {
            Tensor gi = Tensor.zeros(dtype, in);
            slice(gi, d, s, e, step).copyRaw(g[0]);
            return new Tensor[] {gi};
        }, out, t);
        return out;
    }

    private static int clampIndex(int i, int size) {
        if (i < 0) i += size;
        return Math.max(0, Math.min(i, size));
    }

    static Tensor select(Tensor t, int dim, int index) {
        if (t.dim() == 0) throw new IllegalArgumentException("select() cannot be applied to a 0-dim tensor.");
        int d = Shape.wrapDim(dim, t.dim());
        int size = t.shape[d];
        if (index < -size || index >= size) {
            throw new IndexOutOfBoundsException("index " + index + " is out of bounds for dimension " + d + " with size " + size);
        }
        int i = index < 0 ? index + size : index;
        int[] shape = new int[t.dim() - 1], stride = new int[t.dim() - 1];
        for (int a = 0, b = 0; a < t.dim(); a++) {
            if (a == d) continue;
            shape[b] = t.shape[a];
            stride[b++] = t.stride[a];
        }
        Tensor out = alias(t, shape, stride, t.offset + i * t.stride[d]);
        int[] in = t.shape;
        DType dtype = t.dtype();
        Node.attach("SelectBackward0", g -> {
            Tensor gi = Tensor.zeros(dtype, in);
            select(gi, d, i).copyRaw(g[0]);
            return new Tensor[] {gi};
        }, out, t);
        return out;
    }

    // ---------------------------------------------------------------- copies

    static Tensor clone(Tensor t) {
        Tensor out = copyAs(t, t.dtype());
        Node.attach("CloneBackward0", g -> new Tensor[] {g[0]}, out, t);
        return out;
    }

    static Tensor toDtype(Tensor t, DType dtype) {
        Tensor out = copyAs(t, dtype);
        DType from = t.dtype();
        if (dtype.isFloatingPoint()) Node.attach("ToCopyBackward0", g -> new Tensor[] {g[0].to(from)}, out, t);
        return out;
    }

    /** A contiguous copy in {@code dtype}, outside autograd. */
    static Tensor copyAs(Tensor t, DType dtype) {
        Tensor out = Tensor.allocate(dtype, t.shape);
        copyInto(t, out.storage, 0);
        return out;
    }

    /** {@code dst.copy_(src)}: broadcast copy with dtype conversion, recorded by autograd like PyTorch. */
    static Tensor copy_(Tensor dst, Tensor src) {
        Tensor b = src.expand(dst.shape);
        boolean record = GradMode.isEnabled() && (src.requiresGrad() || dst.requiresGrad());
        Tensor before = record && dst.requiresGrad() ? dst.aliasWithGraph() : dst.detach();
        dst.beforeInPlace();
        dst.copyRaw(b);
        if (record) {
            int[] srcShape = src.shape;
            DType srcType = src.dtype();
            Node.attach("CopyBackwards", g -> new Tensor[] {before.requiresGrad() ? Tensor.zerosLike(g[0]) : null,
                src.requiresGrad() ? g[0].sumTo(srcShape).to(srcType) : null}, dst, before, src);
        }
        return dst;
    }

    /** Copies the values of {@code src} (same shape) into the strided {@code dst}, outside autograd. */
    static void copyStrided(Tensor src, Tensor dst) {
        if (!Arrays.equals(src.shape, dst.shape)) {
            throw new IllegalArgumentException("copy: shape " + Shape.str(src.shape) + " does not match " + Shape.str(dst.shape));
        }
        if (dst.isContiguous()) {
            copyInto(src, dst.storage, dst.offset);
            return;
        }
        Tensor c = src.dtype() == dst.dtype() ? src : copyAs(src, dst.dtype());
        int[] pos = {0};
        Tensor cc = c.contiguous();
        forEachOffset(dst, p -> dst.storage.set(p, cc.storage.get(cc.offset + pos[0]++)));
    }

    /** Writes {@code src} in row-major order into {@code dst} from {@code dstOffset}. */
    static void copyInto(Tensor src, Storage dst, int dstOffset) {
        int n = src.numel();
        if (n == 0) return;
        if (src.storage instanceof Storage.Floats && dst instanceof Storage.Floats) {
            float[] a = src.floats(), out = ((Storage.Floats) dst).a;
            if (src.isContiguous()) {
                System.arraycopy(a, src.offset, out, dstOffset, n);
                return;
            }
            int last = src.dim() - 1;
            int inner = src.shape[last], step = src.stride[last];
            int[] o = {dstOffset};
            forEachRow(src, base -> {
                int w = o[0];
                if (step == 0) java.util.Arrays.fill(out, w, w + inner, a[base]);
                else for (int j = 0; j < inner; j++) out[w + j] = a[base + j * step];
                o[0] = w + inner;
            });
            return;
        }
        if (src.isContiguous() && src.storage.dtype() == dst.dtype()) {
            System.arraycopy(src.storage.array(), src.offset, dst.array(), dstOffset, n);
            return;
        }
        int[] o = {dstOffset};
        Storage s = src.storage;
        forEachOffset(src, p -> dst.set(o[0]++, s.get(p)));
    }

    /** Calls {@code f} with the storage offset of every element, in row-major order. */
    static void forEachOffset(Tensor t, IntConsumer f) {
        if (t.numel() == 0) return;
        if (t.dim() == 0) {
            f.accept(t.offset);
            return;
        }
        int last = t.dim() - 1;
        int inner = t.shape[last], step = t.stride[last];
        forEachRow(t, base -> {
            for (int j = 0; j < inner; j++) f.accept(base + j * step);
        });
    }

    /** Calls {@code f} with the storage offset where each innermost row starts, in row-major order. */
    static void forEachRow(Tensor t, IntConsumer f) {
        int n = t.dim();
        if (t.numel() == 0) return;
        if (n <= 1) {
            f.accept(t.offset);
            return;
        }
        int[] idx = new int[n - 1];
        int p = t.offset;
        while (true) {
            f.accept(p);
            int d = n - 2;
            while (d >= 0) {
                idx[d]++;
                p += t.stride[d];
                if (idx[d] < t.shape[d]) break;
                p -= t.stride[d] * t.shape[d];
                idx[d] = 0;
                d--;
            }
            if (d < 0) return;
        }
    }
}
