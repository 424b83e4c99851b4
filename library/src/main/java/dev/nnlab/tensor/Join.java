package dev.nnlab.tensor;

import dev.nnlab.autograd.Node;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Joining (cat, stack) and splitting into views (split, chunk), each with its gradient. */
final class Join {
    private Join() { }

    static Tensor cat(List<Tensor> tensors, int dim) {
        if (tensors.isEmpty()) throw new IllegalArgumentException("torch.cat(): expected a non-empty list of Tensors");
        Tensor ref = null;
        for (Tensor t : tensors) {
            if (!isLegacyEmpty(t)) {
                ref = t;
                break;
            }
        }
        if (ref == null) ref = tensors.get(0);
        if (ref.dim() == 0) {
            throw new IllegalArgumentException("zero-dimensional tensor (at position " + tensors.indexOf(ref)
                    + ") cannot be concatenated");
        }
        int d = Shape.wrapDim(dim, ref.dim());
        DType dtype = ref.dtype();
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            if (t == ref || isLegacyEmpty(t)) continue;
            if (t.dim() != ref.dim()) {
                throw new IllegalArgumentException("Tensors must have same number of dimensions: got " + ref.dim()
                        + " and " + t.dim());
            }
            for (int k = 0; k < t.dim(); k++) {
                if (k != d && t.shape[k] != ref.shape[k]) {
                    throw new IllegalArgumentException("Sizes of tensors must match except in dimension " + d
                            + ". Expected size " + ref.shape[k] + " but got size " + t.shape[k] + " for tensor number "
                            + i + " in the list.");
                }
            }
            dtype = DType.promote(dtype, t.dtype());
        }
        List<Tensor> parts = new ArrayList<>();
        for (Tensor t : tensors) if (t == ref || !isLegacyEmpty(t)) parts.add(t);
        Tensor out = catRaw(parts, d, dtype);
        int[] starts = new int[tensors.size()], sizes = new int[tensors.size()];
        int at = 0;
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            boolean skipped = t != ref && isLegacyEmpty(t);
            starts[i] = at;
            sizes[i] = skipped ? -1 : t.shape[d];
            if (!skipped) at += t.shape[d];
        }
        Node.attach("CatBackward0", g -> {
            Tensor[] gi = new Tensor[starts.length];
            for (int i = 0; i < gi.length; i++) {
                if (sizes[i] < 0 || !tensors.get(i).requiresGrad()) continue;
                Tensor part = g[0].narrow(d, starts[i], sizes[i]);
                gi[i] = part.dtype() == tensors.get(i).dtype() ? part : part.to(tensors.get(i).dtype());
            }
            return gi;
        }, out, tensors.toArray(new Tensor[0]));
        return out;
    }

    /** A 1-D tensor of size 0, which cat skips whatever the other shapes, like PyTorch. */
    private static boolean isLegacyEmpty(Tensor t) {
        return t.dim() == 1 && t.shape[0] == 0;
    }

    /** Concatenates same-rank tensors along d into a new contiguous tensor of {@code dtype}, outside autograd. */
    private static Tensor catRaw(List<Tensor> parts, int d, DType dtype) {
        int[] shape = parts.get(0).shape.clone();
        shape[d] = 0;
        for (Tensor t : parts) shape[d] += t.shape[d];
        Tensor out = Tensor.allocate(dtype, shape);
        int outer = 1, inner = 1;
        for (int i = 0; i < d; i++) outer *= shape[i];
        for (int i = d + 1; i < shape.length; i++) inner *= shape[i];
        int row = shape[d] * inner, at = 0;
        Object o = out.storage.array();
        for (Tensor t : parts) {
            Tensor c = t.dtype() == dtype ? t.detach().contiguous() : t.convert(dtype);
            int len = t.shape[d] * inner;
            Object a = c.storage.array();
            for (int p = 0; p < outer; p++) System.arraycopy(a, c.offset + p * len, o, p * row + at, len);
            at += len;
        }
        return out;
    }

    static Tensor stack(List<Tensor> tensors, int dim) {
        if (tensors.isEmpty()) throw new IllegalArgumentException("stack expects a non-empty TensorList");
        int[] shape = tensors.get(0).shape;
        DType dtype = tensors.get(0).dtype();
        for (int i = 1; i < tensors.size(); i++) {
            if (!Arrays.equals(tensors.get(i).shape, shape)) {
                throw new IllegalArgumentException("stack expects each tensor to be equal size, but got " + Shape.str(shape)
                        + " at entry 0 and " + Shape.str(tensors.get(i).shape) + " at entry " + i);
            }
            dtype = DType.promote(dtype, tensors.get(i).dtype());
        }
        int d = Shape.wrapDim(dim, shape.length + 1);
        List<Tensor> parts = new ArrayList<>();
        for (Tensor t : tensors) parts.add(t.detach().unsqueeze(d));
        Tensor out = catRaw(parts, d, dtype);
        Node.attach("StackBackward0", g -> {
            Tensor[] gi = new Tensor[tensors.size()];
            for (int i = 0; i < gi.length; i++) {
                if (!tensors.get(i).requiresGrad()) continue;
                Tensor part = g[0].select(d, i);
                gi[i] = part.dtype() == tensors.get(i).dtype() ? part : part.to(tensors.get(i).dtype());
            }
            return gi;
        }, out, tensors.toArray(new Tensor[0]));
        return out;
    }

    static List<Tensor> split(Tensor x, int size, int dim) {
        if (x.dim() == 0) throw new IllegalArgumentException("split expects at least a 1-dimensional tensor");
        int d = Shape.wrapDim(dim, x.dim());
        int n = x.shape[d];
        if (size < 0) throw new IllegalArgumentException("split expects split_size be non-negative, but got split_size=" + size);
        if (size == 0 && n != 0) {
            throw new IllegalArgumentException("split_size can only be 0 if dimension size is 0, but got dimension size of " + n);
        }
        int pieces = size == 0 ? 1 : Math.max(1, (n + size - 1) / size);
        int[] sizes = new int[pieces];
        for (int i = 0; i < pieces; i++) sizes[i] = Math.min(size, n - i * size);
        return pieces(x, d, sizes, "SplitBackward0");
    }

    static List<Tensor> split(Tensor x, int[] sizes, int dim) {
        if (x.dim() == 0) throw new IllegalArgumentException("split expects at least a 1-dimensional tensor");
        int d = Shape.wrapDim(dim, x.dim());
        int sum = 0;
        for (int s : sizes) {
            if (s < 0) {
                throw new IllegalArgumentException("split_with_sizes expects split_sizes have only non-negative entries, "
                        + "but got split_sizes=" + Shape.str(sizes));
            }
            sum += s;
        }
        if (sum != x.shape[d]) {
            throw new IllegalArgumentException("split_with_sizes expects split_sizes to sum exactly to " + x.shape[d]
                    + " (input tensor's size at dimension " + d + "), but got split_sizes=" + Shape.str(sizes));
        }
        return pieces(x, d, sizes.clone(), "SplitWithSizesBackward0");
    }

    static List<Tensor> chunk(Tensor x, int chunks, int dim) {
        if (chunks <= 0) throw new IllegalArgumentException("chunk expects `chunks` to be greater than 0, got: " + chunks);
        if (x.dim() == 0) throw new IllegalArgumentException("chunk expects at least a 1-dimensional tensor");
        int n = x.shape[Shape.wrapDim(dim, x.dim())];
        return split(x, (n + chunks - 1) / chunks, dim);
    }

    /** Narrow views of x along d with the given sizes, all outputs of one node. */
    private static List<Tensor> pieces(Tensor x, int d, int[] sizes, String name) {
        Tensor[] outs = new Tensor[sizes.length];
        int[] starts = new int[sizes.length];
        int at = 0;
        for (int i = 0; i < sizes.length; i++) {
            starts[i] = at;
            outs[i] = View.alias(x, Index.withDim(x.shape, d, sizes[i]), x.stride, x.offset + at * x.stride[d]);
            at += sizes[i];
        }
        int[] in = x.shape;
        DType dtype = x.dtype();
        Node.attach(name, g -> {
            Tensor gi = Tensor.zeros(dtype, in);
            for (int i = 0; i < g.length; i++) View.alias(gi, g[i].shape, gi.stride, starts[i] * gi.stride[d]).copyRaw(g[i]);
            return new Tensor[] {gi};
        }, outs, x);
        return Arrays.asList(outs);
    }
}
