package dev.nnlab.tensor;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;

/** Factories: from Java arrays, ranges, and random sampling. */
final class Creation {
    private Creation() { }

    static Tensor of(float[] data) { return wrap(data.clone(), data.length); }

    static Tensor of(double[] data, DType dtype) {
        Tensor t = Tensor.allocate(dtype, data.length);
        for (int i = 0; i < data.length; i++) t.storage.set(i, data[i]);
        return t;
    }

    static Tensor of(long[] data) { return wrap(data.clone(), data.length); }

    static Tensor of(int[] data) {
        long[] a = new long[data.length];
        for (int i = 0; i < a.length; i++) a[i] = data[i];
        return wrap(a, a.length);
    }

    static Tensor of(boolean[] data) { return wrap(data.clone(), data.length); }

    static Tensor wrap(Object data, int... shape) {
        Storage s;
        if (data instanceof float[]) s = new Storage.Floats((float[]) data);
        else if (data instanceof double[]) s = new Storage.Doubles((double[]) data);
        else if (data instanceof long[]) s = new Storage.Longs((long[]) data);
        else if (data instanceof boolean[]) s = new Storage.Bools((boolean[]) data);
        else throw new IllegalArgumentException("unsupported array type " + data.getClass().getSimpleName());
        if (Shape.numel(shape) != s.size()) {
            throw new IllegalArgumentException("shape " + Shape.str(shape) + " does not match " + s.size() + " elements");
        }
        return Tensor.contiguousOf(s, shape.clone());
    }

    /** From a nested primitive array of any depth; ragged input gets PyTorch's error. */
    static Tensor nested(Object data, DType dtype) {
        List<Integer> dims = new ArrayList<>();
        Object cur = data;
        while (cur != null && cur.getClass().isArray()) {
            int len = Array.getLength(cur);
            dims.add(len);
            if (len == 0 || !cur.getClass().getComponentType().isArray()) break;
            cur = Array.get(cur, 0);
        }
        if (dims.isEmpty()) throw new IllegalArgumentException("expected a Java array, got " + data);
        int[] shape = dims.stream().mapToInt(Integer::intValue).toArray();
        Tensor t = Tensor.allocate(dtype, shape);
        int[] pos = {0};
        fill(data, 0, shape, t.storage, pos);
        return t;
    }

    private static void fill(Object a, int depth, int[] shape, Storage s, int[] pos) {
        int len = Array.getLength(a);
        if (len != shape[depth]) {
            throw new IllegalArgumentException("expected sequence of length " + shape[depth] + " at dim " + depth
                    + " (got " + len + ")");
        }
        if (depth == shape.length - 1) {
            if (a.getClass().getComponentType().isArray()) {
                throw new IllegalArgumentException("expected sequence of length " + shape[depth] + " at dim " + depth);
            }
            for (int i = 0; i < len; i++) {
                Object v = Array.get(a, i);
                s.set(pos[0]++, v instanceof Boolean ? ((Boolean) v ? 1 : 0) : ((Number) v).doubleValue());
            }
            return;
        }
        for (int i = 0; i < len; i++) fill(Array.get(a, i), depth + 1, shape, s, pos);
    }

    static Object toNested(Tensor t) {
        Tensor c = t.contiguous();
        if (t.dim() == 0) return t.item();
        Class<?> elem;
        switch (t.dtype()) {
            case FLOAT32: elem = float.class; break;
            case FLOAT64: elem = double.class; break;
            case INT64: elem = long.class; break;
            default: elem = boolean.class;
        }
        int[] pos = {c.offset};
        return build(c, 0, elem, pos);
    }

    private static Object build(Tensor c, int depth, Class<?> elem, int[] pos) {
        int n = c.shape[depth];
        if (depth == c.dim() - 1) {
            Object row = Array.newInstance(elem, n);
            System.arraycopy(c.storage.array(), pos[0], row, 0, n);
            pos[0] += n;
            return row;
        }
        Object[] rows = new Object[n];
        for (int i = 0; i < n; i++) rows[i] = build(c, depth + 1, elem, pos);
        Class<?> rowType = n > 0 ? rows[0].getClass() : Array.newInstance(elem, 0).getClass();
        Object out = Array.newInstance(rowType, n);
        for (int i = 0; i < n; i++) Array.set(out, i, rows[i]);
        return out;
    }

    static Tensor arange(long start, long end, long step) {
        if (step == 0) throw new IllegalArgumentException("step must be nonzero");
        long n = Math.max(0, (end - start + step + (step > 0 ? -1 : 1)) / step);
        Tensor t = Tensor.allocate(DType.INT64, (int) n);
        long[] a = (long[]) t.storage.array();
        for (int i = 0; i < n; i++) a[i] = start + i * step;
        return t;
    }

    static Tensor arange(double start, double end, double step) {
        if (step == 0) throw new IllegalArgumentException("step must be nonzero");
        int n = (int) Math.max(0, Math.ceil((end - start) / step));
        Tensor t = Tensor.allocate(DType.FLOAT32, n);
        for (int i = 0; i < n; i++) t.storage.set(i, start + i * step);
        return t;
    }

    static Tensor linspace(double start, double end, int steps) {
        if (steps < 0) throw new IllegalArgumentException("number of steps must be non-negative");
        Tensor t = Tensor.allocate(DType.FLOAT32, steps);
        double step = steps > 1 ? (end - start) / (steps - 1) : 0;
        int half = steps / 2;
        for (int i = 0; i < steps; i++) t.storage.set(i, i < half ? start + step * i : end - step * (steps - 1 - i));
        return t;
    }

    static Tensor eye(int n, int m) {
        Tensor t = Tensor.allocate(DType.FLOAT32, n, m);
        for (int i = 0; i < Math.min(n, m); i++) t.storage.set(i * m + i, 1);
        return t;
    }

    static Tensor rand(Generator g, DType dtype, int[] shape) {
        return uniformInto(Tensor.allocate(floating(dtype), shape), 0, 1, g);
    }

    static Tensor randn(Generator g, DType dtype, int[] shape) {
        return normalInto(Tensor.allocate(floating(dtype), shape), 0, 1, g);
    }

    private static DType floating(DType dtype) {
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("expected a floating point dtype for random sampling, got " + dtype);
        }
        return dtype;
    }

    static Tensor randint(Generator g, long low, long high, int[] shape) {
        if (high <= low) {
            throw new IllegalArgumentException("random_ expects 'from' to be less than 'to', but got from=" + low
                    + " >= to=" + high);
        }
        Tensor t = Tensor.allocate(DType.INT64, shape);
        long[] a = (long[]) t.storage.array();
        for (int i = 0; i < a.length; i++) a[i] = low + g.nextLong(high - low);
        return t;
    }

    static Tensor randperm(Generator g, int n) {
        Tensor t = arange(0, n, 1);
        long[] a = (long[]) t.storage.array();
        for (int i = n - 1; i > 0; i--) {
            int j = (int) g.nextLong(i + 1);
            long tmp = a[i];
            a[i] = a[j];
            a[j] = tmp;
        }
        return t;
    }

    static Tensor uniformInto(Tensor t, double from, double to, Generator g) {
        if (t.dtype() == DType.FLOAT32 && t.isContiguous()) {
            float[] a = t.floats();
            float lo = (float) from, span = (float) (to - from);
            for (int i = 0, n = t.numel(); i < n; i++) a[t.offset + i] = lo + span * g.nextFloat();
        } else {
            View.forEachOffset(t, p -> t.storage.set(p, from + (to - from) * g.nextDouble()));
        }
        return t;
    }

    static Tensor normalInto(Tensor t, double mean, double std, Generator g) {
        if (std < 0) throw new IllegalArgumentException("normal expects std >= 0.0, but found std " + std);
        View.forEachOffset(t, p -> t.storage.set(p, mean + std * g.nextGaussian()));
        return t;
    }

    static Tensor bernoulliInto(Tensor t, double p, Generator g) {
        if (p < 0 || p > 1) throw new IllegalArgumentException("bernoulli_ expects p to be in [0, 1], but got p=" + p);
        View.forEachOffset(t, q -> t.storage.set(q, g.nextDouble() < p ? 1 : 0));
        return t;
    }

    static Tensor bernoulli(Tensor p, Generator g) {
        Tensor c = p.contiguous();
        Tensor out = Tensor.allocate(p.dtype().isFloatingPoint() ? p.dtype() : DType.FLOAT32, p.shape);
        for (int i = 0; i < out.numel(); i++) {
            double pi = c.storage.get(c.offset + i);
            if (pi < 0 || pi > 1) throw new IllegalArgumentException("Expected p_in >= 0 && p_in <= 1 to be true, but got false.");
            out.storage.set(i, g.nextDouble() < pi ? 1 : 0);
        }
        return out;
    }

    /** Fills the contiguous float32 {@code out} with a dropout mask scaled by 1/(1-p). */
    static void dropoutMask(Tensor out, double p, Generator g) {
        g.fillMask(out.floats(), out.offset, out.offset + out.numel(), p, (float) (1.0 / (1.0 - p)));
    }
}
