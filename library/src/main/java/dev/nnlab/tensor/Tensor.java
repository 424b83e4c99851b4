package dev.nnlab.tensor;

import dev.nnlab.autograd.AccumulateGrad;
import dev.nnlab.autograd.Engine;
import dev.nnlab.autograd.GradMode;
import dev.nnlab.autograd.Node;
import dev.nnlab.autograd.RemovableHandle;

import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * A strided n-dimensional array on the Java heap that records the ops it takes part in, like
 * {@code torch.Tensor}. Methods are thin: each op family lives in its own file ({@link View},
 * {@link Unary}, {@link Binary}, {@link Reduce}, {@link Linalg}, {@link Index}, ...).
 */
public class Tensor {
    Storage storage;
    int[] shape;
    int[] stride;
    int offset;
    private boolean requiresGrad;
    private Tensor grad;
    private Node gradFn;
    private int outputNr;
    private AccumulateGrad accumulator;
    private boolean retainsGrad;
    /** The tensor this one is a view of (set by {@link View#alias}), for PyTorch's in-place-on-view checks. */
    Tensor base;
    /** Set by an in-place op on a view of a graph tensor; the op's {@link #setGradFn} then rebases the view. */
    private boolean rebasePending;
    /** How often views rewrote this base's history, and the count a view last read its base at. */
    int rebases, viewStamp;

    Tensor(Storage storage, int[] shape, int[] stride, int offset) {
        this.storage = storage;
        this.shape = shape;
        this.stride = stride;
        this.offset = offset;
    }

    /** A new tensor that shares {@code source}'s data (used by {@code Parameter}); it is a leaf. */
    protected Tensor(Tensor source, boolean requiresGrad) {
        this(source.storage, source.shape, source.stride, source.offset);
        requiresGrad_(requiresGrad);
    }

    static Tensor contiguousOf(Storage storage, int... shape) {
        return new Tensor(storage, shape, Shape.contiguousStrides(shape), 0);
    }

    static Tensor allocate(DType dtype, int... shape) {
        return contiguousOf(Storage.allocate(dtype, Shape.numel(shape)), shape.clone());
    }

    // ---------------------------------------------------------------- factories (Creation.java)

    public static void manualSeed(long seed) { Generator.global().manualSeed(seed); }
    public static Tensor tensor(float... data) { return Creation.of(data); }
    public static Tensor tensor(double... data) { return Creation.of(data, DType.FLOAT32); }
    public static Tensor tensor(DType dtype, double... data) { return Creation.of(data, dtype); }
    public static Tensor tensor(long... data) { return Creation.of(data); }
    public static Tensor tensor(int... data) { return Creation.of(data); }
    public static Tensor tensor(boolean... data) { return Creation.of(data); }
    public static Tensor tensor(float[][] data) { return Creation.nested(data, DType.FLOAT32); }
    public static Tensor tensor(double[][] data) { return Creation.nested(data, DType.FLOAT32); }
    public static Tensor tensor(float[][][] data) { return Creation.nested(data, DType.FLOAT32); }
    public static Tensor tensor(double[][][] data) { return Creation.nested(data, DType.FLOAT32); }
    public static Tensor tensor(long[][] data) { return Creation.nested(data, DType.INT64); }
    public static Tensor tensor(int[][] data) { return Creation.nested(data, DType.INT64); }
    public static Tensor tensor(boolean[][] data) { return Creation.nested(data, DType.BOOL); }
    /** From a (nested) primitive Java array of any depth, as {@code dtype}. */
    public static Tensor fromArray(Object nested, DType dtype) { return Creation.nested(nested, dtype); }
    /** Wraps a flat array (no copy) with the given shape. */
    public static Tensor fromFlat(float[] data, int... shape) { return Creation.wrap(data, shape); }
    public static Tensor fromFlat(double[] data, int... shape) { return Creation.wrap(data, shape); }
    public static Tensor fromFlat(long[] data, int... shape) { return Creation.wrap(data, shape); }
    public static Tensor fromFlat(boolean[] data, int... shape) { return Creation.wrap(data, shape); }
    /** A 0-dim tensor, like {@code torch.tensor(3.0)}. */
    public static Tensor scalar(double v) { return scalar(v, DType.FLOAT32); }
    public static Tensor scalar(double v, DType dtype) { Tensor t = allocate(dtype); t.storage.set(0, v); return t; }

    public static Tensor zeros(int... shape) { return allocate(DType.FLOAT32, shape); }
    public static Tensor zeros(DType dtype, int... shape) { return allocate(dtype, shape); }
    public static Tensor ones(int... shape) { return full(shape, 1); }
    public static Tensor ones(DType dtype, int... shape) { return full(shape, 1, dtype); }
    public static Tensor empty(int... shape) { return allocate(DType.FLOAT32, shape); }
    public static Tensor empty(DType dtype, int... shape) { return allocate(dtype, shape); }
    public static Tensor full(int[] shape, double value) { return full(shape, value, DType.FLOAT32); }
    public static Tensor full(int[] shape, double value, DType dtype) { return allocate(dtype, shape).fillRaw(value); }
    public static Tensor arange(long end) { return Creation.arange(0, end, 1); }
    public static Tensor arange(long start, long end) { return Creation.arange(start, end, 1); }
    public static Tensor arange(long start, long end, long step) { return Creation.arange(start, end, step); }
    public static Tensor arange(double start, double end, double step) { return Creation.arange(start, end, step); }
    public static Tensor linspace(double start, double end, int steps) { return Creation.linspace(start, end, steps); }
    public static Tensor eye(int n) { return Creation.eye(n, n); }
    public static Tensor eye(int n, int m) { return Creation.eye(n, m); }
    public static Tensor rand(int... shape) { return Creation.rand(Generator.global(), DType.FLOAT32, shape); }
    public static Tensor rand(Generator g, int... shape) { return Creation.rand(g, DType.FLOAT32, shape); }
    public static Tensor randn(int... shape) { return Creation.randn(Generator.global(), DType.FLOAT32, shape); }
    public static Tensor randn(Generator g, int... shape) { return Creation.randn(g, DType.FLOAT32, shape); }
    public static Tensor randn(DType dtype, int... shape) { return Creation.randn(Generator.global(), dtype, shape); }
    public static Tensor randint(long low, long high, int... shape) { return Creation.randint(Generator.global(), low, high, shape); }
    public static Tensor randint(Generator g, long low, long high, int... shape) { return Creation.randint(g, low, high, shape); }
    public static Tensor randperm(int n) { return Creation.randperm(Generator.global(), n); }
    public static Tensor zerosLike(Tensor t) { return allocate(t.dtype(), t.shape); }
    public static Tensor onesLike(Tensor t) { return full(t.shape, 1, t.dtype()); }
    public static Tensor emptyLike(Tensor t) { return allocate(t.dtype(), t.shape); }
    public static Tensor fullLike(Tensor t, double value) { return full(t.shape, value, t.dtype()); }
    public static Tensor randLike(Tensor t) { return Creation.rand(Generator.global(), t.dtype(), t.shape); }
    public static Tensor randnLike(Tensor t) { return Creation.randn(Generator.global(), t.dtype(), t.shape); }
    /** Samples 0/1 with the probabilities in {@code p}, like {@code torch.bernoulli(p)}. */
    public static Tensor bernoulli(Tensor p) { return Creation.bernoulli(p, Generator.global()); }
    public static Tensor bernoulli(Tensor p, Generator g) { return Creation.bernoulli(p, g); }

    // ---------------------------------------------------------------- metadata

    public DType dtype() { return storage.dtype(); }
    public int[] shape() { return shape.clone(); }
    public int[] size() { return shape.clone(); }
    public int size(int dim) { return shape[Shape.wrapDim(dim, shape.length)]; }
    public int[] stride() { return stride.clone(); }
    public int stride(int dim) { return stride[Shape.wrapDim(dim, shape.length)]; }
    public int storageOffset() { return offset; }
    public int dim() { return shape.length; }
    public int ndim() { return shape.length; }
    public int numel() { return Shape.numel(shape); }
    public Storage storage() { return storage; }
    public boolean isFloatingPoint() { return dtype().isFloatingPoint(); }
    /** The version counter shared by all views, bumped by every in-place op. */
    public int version() { return storage.version; }
    public boolean sharesStorageWith(Tensor other) { return storage == other.storage; }

    public boolean isContiguous() {
        int expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && stride[i] != expected) return false;
            expected *= shape[i];
        }
        return true;
    }

    /** {@code torch.FloatTensor}, as PyTorch names types in error messages. */
    public String typeName() {
        switch (dtype()) {
            case FLOAT32: return "torch.FloatTensor";
            case FLOAT64: return "torch.DoubleTensor";
            case INT64: return "torch.LongTensor";
            default: return "torch.BoolTensor";
        }
    }

    public static String shapeString(int[] shape) { return Shape.str(shape); }

    // ---------------------------------------------------------------- element access and Java arrays

    /** The single value of a one-element tensor, like {@code .item()}. */
    public double item() {
        if (numel() != 1) {
            throw new IllegalStateException("a Tensor with " + numel() + " elements cannot be converted to Scalar");
        }
        return storage.get(offset);
    }

    /** The value at a full index, e.g. {@code t.get(1, 2)}. */
    public double get(int... index) { return storage.get(storageIndex(index)); }

    int storageIndex(int... index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("expected " + shape.length + " indices for a tensor of shape "
                    + Shape.str(shape) + ", got " + index.length);
        }
        int p = offset;
        for (int i = 0; i < index.length; i++) {
            int ix = index[i] < 0 ? index[i] + shape[i] : index[i];
            if (ix < 0 || ix >= shape[i]) {
                throw new IndexOutOfBoundsException("index " + index[i] + " is out of bounds for dimension " + i
                        + " with size " + shape[i]);
            }
            p += ix * stride[i];
        }
        return p;
    }

    public float[] toFloatArray() { return (float[]) contiguousData(DType.FLOAT32); }
    public double[] toDoubleArray() { return (double[]) contiguousData(DType.FLOAT64); }
    public long[] toLongArray() { return (long[]) contiguousData(DType.INT64); }
    public boolean[] toBooleanArray() { return (boolean[]) contiguousData(DType.BOOL); }
    /** A nested Java array ({@code float[][]} for a 2-D float32 tensor, ...). */
    public Object toArray() { return Creation.toNested(this); }

    private Object contiguousData(DType as) {
        Tensor c = (dtype() == as ? this : convert(as)).contiguous();
        Object a = c.storage.array();
        int n = numel();
        if (c.offset == 0 && java.lang.reflect.Array.getLength(a) == n && c != this) return a;
        Object out = java.lang.reflect.Array.newInstance(a.getClass().getComponentType(), n);
        System.arraycopy(a, c.offset, out, 0, n);
        return out;
    }

    /**
     * This tensor if it is contiguous from offset 0, else a plain copy (outside autograd). Kernels index inputs
     * and outputs with the same {@code i}: HotSpot only vectorizes loops whose arrays share one offset.
     */
    Tensor dense() { return offset == 0 && isContiguous() ? this : View.copyAs(this, dtype()); }

    /** The backing float array of a contiguous float32 tensor, for kernels; index from {@link #storageOffset()}. */
    float[] floats() { return ((Storage.Floats) storage).a; }

    // ---------------------------------------------------------------- autograd

    public boolean requiresGrad() { return requiresGrad; }

    /** Sets requires_grad on a leaf, like {@code requires_grad_()}. */
    public Tensor requiresGrad_(boolean on) {
        if (gradFn != null && !on) {
            throw new IllegalStateException("you can only change requires_grad flags of leaf variables. If you want to "
                    + "use a computed variable in a subgraph that doesn't require differentiation use "
                    + "var_no_grad = var.detach().");
        }
        if (on && !dtype().isFloatingPoint()) {
            throw new IllegalStateException("only Tensors of floating point dtype can require gradients");
        }
        requiresGrad = on;
        return this;
    }

    public Tensor requiresGrad_() { return requiresGrad_(true); }
    public Tensor grad() { return grad; }

    public void setGrad(Tensor g) {
        if (g != null && !Arrays.equals(g.shape, shape)) {
            throw new IllegalArgumentException("assigned grad has data of a different size: " + Shape.str(g.shape)
                    + " vs " + Shape.str(shape));
        }
        grad = g;
    }

    /** The node that made this tensor; a view whose base was changed in place through another view gets a fresh one. */
    public Node gradFn() {
        if (base != null && viewStamp != base.rebases && gradFn != null) refreshView();
        return gradFn;
    }
    public int outputNr() { return outputNr; }
    public boolean isLeaf() { return gradFn == null; }
    public boolean retainsGrad() { return retainsGrad; }

    /** Called by {@link Node#attach}: this tensor is output {@code nr} of {@code fn}. */
    public void setGradFn(Node fn, int nr) {
        gradFn = fn;
        outputNr = nr;
        requiresGrad = fn != null;
        if (rebasePending && fn != null) {
            rebasePending = false;
            rebaseOnto(base);
        }
    }

    /**
     * After an in-place op on this view of the graph tensor {@code b}, makes b's history include it, like
     * PyTorch's CopySlices: b's gradient outside the view goes to b's old history, inside it through the
     * in-place op; this view then reads from the new b.
     */
    private void rebaseOnto(Tensor b) {
        b.rebases++;
        viewStamp = b.rebases;
        Tensor old = b.aliasWithGraph();
        int[] vShape = shape, vStride = stride;
        int rel = offset - b.offset;
        Node.attach("CopySlices", g -> {
            Tensor gb = g[0].detach().clone();
            Tensor region = View.alias(gb, vShape, vStride, rel);
            Tensor gv = region.clone();
            region.fillRaw(0);
            return new Tensor[] {gb, gv};
        }, b, old, this);
        readFrom(b);
    }

    /** A sibling view made before its base was rewritten by {@link #rebaseOnto} now reads from the new base. */
    private void refreshView() {
        viewStamp = base.rebases;
        readFrom(base);
    }

    private void readFrom(Tensor b) {
        int[] vShape = shape, vStride = stride, bShape = b.shape;
        int rel = offset - b.offset;
        DType dtype = dtype();
        Node.attach("AsStridedBackward0", g -> {
            Tensor gb = Tensor.zeros(dtype, bShape);
            View.alias(gb, vShape, vStride, rel).copyRaw(g[0]);
            return new Tensor[] {gb};
        }, this, b);
    }

    /** The node that accumulates into this leaf's {@code .grad}. */
    public AccumulateGrad gradAccumulator() {
        if (gradFn != null) throw new IllegalStateException("only leaf tensors have a grad accumulator");
        if (accumulator == null) accumulator = new AccumulateGrad(this);
        return accumulator;
    }

    public void backward() { Engine.backward(this, null, false); }
    public void backward(Tensor gradient) { Engine.backward(this, gradient, false); }
    public void backward(Tensor gradient, boolean retainGraph) { Engine.backward(this, gradient, retainGraph); }

    /** Keeps {@code .grad} for this non-leaf tensor after backward. */
    public Tensor retainGrad() {
        if (!requiresGrad) throw new IllegalStateException("can't retain_grad on Tensor that has requires_grad=False");
        if (gradFn == null || retainsGrad) return this;
        retainsGrad = true;
        gradFn.setRetainGradHook(outputNr, g -> {
            grad = grad == null ? g.detach().clone() : grad.add(g);
            return null;
        });
        return this;
    }

    /**
     * Registers {@code hook(grad)} to run when this tensor's gradient is computed; a non-null result
     * replaces the gradient. Like {@code register_hook}.
     */
    public RemovableHandle registerHook(UnaryOperator<Tensor> hook) {
        if (!requiresGrad) {
            throw new IllegalStateException("cannot register a hook on a tensor that doesn't require gradient");
        }
        Node node = gradFn != null ? gradFn : gradAccumulator();
        return node.registerTensorHook(gradFn != null ? outputNr : 0, hook::apply);
    }

    /** Runs {@code hook(this)} after the gradient was accumulated into this leaf's {@code .grad}. */
    public RemovableHandle registerPostAccumulateGradHook(Consumer<Tensor> hook) {
        if (!requiresGrad || gradFn != null) {
            throw new IllegalStateException("post accumulate grad hooks cannot be registered on non-leaf tensors");
        }
        return gradAccumulator().registerPostAccumulateHook(t -> {
            hook.accept(t);
            return null;
        });
    }

    /** Shares data, leaves the graph. */
    public Tensor detach() { return new Tensor(storage, shape, stride, offset); }

    /** Detaches in place: becomes a leaf that does not require grad. */
    public Tensor detach_() {
        gradFn = null;
        requiresGrad = false;
        return this;
    }

    /**
     * Points this tensor at {@code src}'s data (shape, dtype, storage) and keeps the object and its place in the
     * graph, like PyTorch's {@code t.data = src}; what {@code Module.to(dtype)} uses to keep Parameter identity.
     */
    public void setData(Tensor src) {
        storage = src.storage;
        shape = src.shape;
        stride = src.stride;
        offset = src.offset;
    }

    /** Like {@code .data}: the same data outside autograd. */
    public Tensor data() { return detach(); }

    /** Checks PyTorch's rule for in-place ops and bumps the version counter. */
    void beforeInPlace() {
        if (GradMode.isEnabled()) {
            if (base == null && requiresGrad) rebases++;
            if (requiresGrad && gradFn == null) {
                throw new IllegalStateException("a leaf Variable that requires grad is being used in an in-place operation.");
            }
            if (base != null && base.requiresGrad) {
                if (base.gradFn == null) {
                    throw new IllegalStateException("a view of a leaf Variable that requires grad is being used in an "
                            + "in-place operation.");
                }
                if (!requiresGrad) {
                    throw new IllegalStateException("A view was created in no_grad mode and is being modified inplace with "
                            + "grad mode enabled. Given that this use case is ambiguous and error-prone, it is forbidden. You "
                            + "can clarify your code by moving both the view and the inplace either both inside the no_grad "
                            + "block (if you don't want the inplace to be tracked) or both outside (if you want the inplace "
                            + "to be tracked).");
                }
                if (!base.isContiguous()) {
                    throw new UnsupportedOperationException("in-place modification of a view of a non-contiguous tensor "
                            + "that requires grad is not supported; use an out-of-place op instead");
                }
                rebasePending = true;
            }
        }
        storage.version++;
    }

    /** A new tensor object on the same data and the same place in the graph (the input of an in-place op). */
    Tensor aliasWithGraph() {
        gradFn();
        Tensor a = new Tensor(storage, shape, stride, offset);
        a.requiresGrad = requiresGrad;
        a.gradFn = gradFn;
        a.outputNr = outputNr;
        a.accumulator = accumulator;
        return a;
    }

    /** Bumps the version counter: call after writing into the data directly. */
    public void bumpVersion() { storage.version++; }

    // ---------------------------------------------------------------- conversion and copies

    public Tensor to(DType dtype) { return dtype == dtype() ? this : View.toDtype(this, dtype); }
    public Tensor toFloat() { return to(DType.FLOAT32); }
    public Tensor toDouble() { return to(DType.FLOAT64); }
    public Tensor toLong() { return to(DType.INT64); }
    public Tensor toBool() { return to(DType.BOOL); }
    /** A contiguous copy in another dtype, outside autograd. */
    Tensor convert(DType dtype) { return View.copyAs(this, dtype); }
    public Tensor clone() { return View.clone(this); }
    public Tensor contiguous() { return isContiguous() ? this : View.clone(this); }
    /** Copies {@code src} (broadcast) into this tensor in place. */
    public Tensor copy_(Tensor src) { return View.copy_(this, src); }
    public Tensor fill_(double v) { return fillInPlace(v, "FillBackward2"); }
    public Tensor zero_() { return fillInPlace(0, "ZeroBackward0"); }

    /** On a graph tensor the old values stop mattering: backward sends zeros to them, like PyTorch. */
    private Tensor fillInPlace(double v, String name) {
        Tensor before = requiresGrad && gradFn != null && GradMode.isEnabled() ? aliasWithGraph() : null;
        beforeInPlace();
        fillRaw(v);
        if (before != null) Node.attach(name, g -> new Tensor[] {Tensor.zerosLike(g[0])}, this, before);
        return this;
    }
    /** Copies values into this tensor outside autograd (no version bump); shapes must match. */
    void copyRaw(Tensor src) { View.copyStrided(src, this); }

    Tensor fillRaw(double v) {
        if (isContiguous() && dtype() == DType.FLOAT32) {
            Arrays.fill(floats(), offset, offset + numel(), (float) v);
        } else {
            View.forEachOffset(this, p -> storage.set(p, v));
        }
        return this;
    }

    // ---------------------------------------------------------------- views (View.java)

    public Tensor view(int... shape) { return View.view(this, shape); }
    public Tensor reshape(int... shape) { return View.reshape(this, shape); }
    public Tensor viewAs(Tensor other) { return view(other.shape); }
    public Tensor reshapeAs(Tensor other) { return reshape(other.shape); }
    public Tensor t() { return View.t(this); }
    public Tensor mT() { return transpose(-2, -1); }
    public Tensor transpose(int d0, int d1) { return View.transpose(this, d0, d1); }
    public Tensor permute(int... dims) { return View.permute(this, dims); }
    public Tensor expand(int... shape) { return View.expand(this, shape); }
    public Tensor expandAs(Tensor other) { return expand(other.shape); }
    public Tensor squeeze() { return View.squeeze(this); }
    public Tensor squeeze(int dim) { return View.squeeze(this, dim); }
    public Tensor unsqueeze(int dim) { return View.unsqueeze(this, dim); }
    public Tensor flatten() { return flatten(0, -1); }
    public Tensor flatten(int startDim, int endDim) { return View.flatten(this, startDim, endDim); }
    public Tensor unflatten(int dim, int... sizes) { return View.unflatten(this, dim, sizes); }
    public Tensor narrow(int dim, int start, int length) { return View.narrow(this, dim, start, length); }
    /** {@code t[start:end:step]} along {@code dim}. */
    public Tensor slice(int dim, int start, int end, int step) { return View.slice(this, dim, start, end, step); }
    public Tensor slice(int dim, int start, int end) { return slice(dim, start, end, 1); }
    public Tensor select(int dim, int index) { return View.select(this, dim, index); }

    // ---------------------------------------------------------------- pointwise (Unary.java, Binary.java)

    public Tensor add(Tensor o) { return Binary.add(this, o); }
    public Tensor add(Tensor o, double alpha) { return Binary.add(this, alpha == 1 ? o : o.mul(alpha)); }
    public Tensor add(double v) { return Binary.add(this, Binary.scalarFor(this, v)); }
    public Tensor sub(Tensor o) { return Binary.sub(this, o); }
    public Tensor sub(double v) { return Binary.sub(this, Binary.scalarFor(this, v)); }
    public Tensor rsub(double v) { return Binary.sub(Binary.scalarFor(this, v), this); }
    public Tensor mul(Tensor o) { return Binary.mul(this, o); }
    public Tensor mul(double v) { return Binary.mul(this, Binary.scalarFor(this, v)); }
    public Tensor div(Tensor o) { return Binary.div(this, o); }
    public Tensor div(double v) { return Binary.div(this, Binary.scalarFor(this, v)); }
    public Tensor rdiv(double v) { return Binary.div(Binary.scalarFor(this, v), this); }
    public Tensor pow(double exponent) { return Unary.pow(this, exponent); }
    public Tensor pow(Tensor exponent) { return Binary.pow(this, exponent); }
    public Tensor maximum(Tensor o) { return Binary.maximum(this, o); }
    public Tensor minimum(Tensor o) { return Binary.minimum(this, o); }
    public Tensor neg() { return Unary.apply(Unary.NEG, this); }
    public Tensor abs() { return Unary.apply(Unary.ABS, this); }
    public Tensor exp() { return Unary.apply(Unary.EXP, this); }
    public Tensor log() { return Unary.apply(Unary.LOG, this); }
    public Tensor log1p() { return Unary.apply(Unary.LOG1P, this); }
    public Tensor expm1() { return Unary.apply(Unary.EXPM1, this); }
    public Tensor sqrt() { return Unary.apply(Unary.SQRT, this); }
    public Tensor rsqrt() { return Unary.apply(Unary.RSQRT, this); }
    public Tensor reciprocal() { return Unary.apply(Unary.RECIPROCAL, this); }
    public Tensor square() { return mul(this); }
    public Tensor sin() { return Unary.apply(Unary.SIN, this); }
    public Tensor cos() { return Unary.apply(Unary.COS, this); }
    public Tensor sign() { return Unary.apply(Unary.SIGN, this); }
    public Tensor sigmoid() { return Unary.apply(Unary.SIGMOID, this); }
    public Tensor tanh() { return Unary.apply(Unary.TANH, this); }
    public Tensor relu() { return Unary.apply(Unary.RELU, this); }
    public Tensor clamp(double min, double max) { return Unary.clamp(this, min, max); }
    public Tensor clampMin(double min) { return Unary.clamp(this, min, Double.NaN); }
    public Tensor clampMax(double max) { return Unary.clamp(this, Double.NaN, max); }

    public Tensor add_(Tensor o) { return Binary.inPlace(this, Binary.ADD, o); }
    public Tensor add_(Tensor o, double alpha) { return add_(alpha == 1 ? o : o.mul(alpha)); }
    public Tensor add_(double v) { return Binary.inPlace(this, Binary.ADD, Binary.scalarFor(this, v)); }
    public Tensor sub_(Tensor o) { return Binary.inPlace(this, Binary.SUB, o); }
    public Tensor sub_(double v) { return Binary.inPlace(this, Binary.SUB, Binary.scalarFor(this, v)); }
    public Tensor mul_(Tensor o) { return Binary.inPlace(this, Binary.MUL, o); }
    public Tensor mul_(double v) { return Binary.inPlace(this, Binary.MUL, Binary.scalarFor(this, v)); }
    public Tensor div_(Tensor o) { return Binary.inPlace(this, Binary.DIV, o); }
    public Tensor div_(double v) { return Binary.inPlace(this, Binary.DIV, Binary.scalarFor(this, v)); }
    public Tensor neg_() { return Unary.inPlace(Unary.NEG, this); }
    public Tensor exp_() { return Unary.inPlace(Unary.EXP, this); }
    public Tensor sqrt_() { return Unary.inPlace(Unary.SQRT, this); }
    public Tensor relu_() { return Unary.inPlace(Unary.RELU, this); }
    public Tensor sigmoid_() { return Unary.inPlace(Unary.SIGMOID, this); }
    public Tensor tanh_() { return Unary.inPlace(Unary.TANH, this); }
    public Tensor clamp_(double min, double max) { return Unary.clampInPlace(this, min, max); }
    /** {@code self += alpha * t1 * t2}, like {@code addcmul_}. */
    public Tensor addcmul_(Tensor t1, Tensor t2, double alpha) { return add_(t1.mul(t2), alpha); }
    /** {@code self += alpha * t1 / t2}, like {@code addcdiv_}. */
    public Tensor addcdiv_(Tensor t1, Tensor t2, double alpha) { return add_(t1.div(t2), alpha); }
    /** Linear interpolation towards {@code end}, like {@code lerp_}. */
    public Tensor lerp_(Tensor end, double weight) { return add_(end.sub(this), weight); }

    /** Fills with U(from, to) samples, like {@code uniform_}. */
    public Tensor uniform_(double from, double to) { return uniform_(from, to, Generator.global()); }
    public Tensor uniform_(double from, double to, Generator g) { beforeInPlace(); return Creation.uniformInto(this, from, to, g); }
    public Tensor normal_(double mean, double std) { return normal_(mean, std, Generator.global()); }
    public Tensor normal_(double mean, double std, Generator g) { beforeInPlace(); return Creation.normalInto(this, mean, std, g); }
    public Tensor bernoulli_(double p) { return bernoulli_(p, Generator.global()); }
    public Tensor bernoulli_(double p, Generator g) { beforeInPlace(); return Creation.bernoulliInto(this, p, g); }

    // ---------------------------------------------------------------- comparisons and logic (Compare.java)

    public Tensor eq(Tensor o) { return Compare.compare(Compare.EQ, this, o); }
    public Tensor eq(double v) { return Compare.compare(Compare.EQ, this, Binary.scalarFor(this, v)); }
    public Tensor ne(Tensor o) { return Compare.compare(Compare.NE, this, o); }
    public Tensor ne(double v) { return Compare.compare(Compare.NE, this, Binary.scalarFor(this, v)); }
    public Tensor lt(Tensor o) { return Compare.compare(Compare.LT, this, o); }
    public Tensor lt(double v) { return Compare.compare(Compare.LT, this, Binary.scalarFor(this, v)); }
    public Tensor le(Tensor o) { return Compare.compare(Compare.LE, this, o); }
    public Tensor le(double v) { return Compare.compare(Compare.LE, this, Binary.scalarFor(this, v)); }
    public Tensor gt(Tensor o) { return Compare.compare(Compare.GT, this, o); }
    public Tensor gt(double v) { return Compare.compare(Compare.GT, this, Binary.scalarFor(this, v)); }
    public Tensor ge(Tensor o) { return Compare.compare(Compare.GE, this, o); }
    public Tensor ge(double v) { return Compare.compare(Compare.GE, this, Binary.scalarFor(this, v)); }
    public Tensor isnan() { return Compare.isnan(this); }
    public Tensor isinf() { return Compare.isinf(this); }
    public Tensor isfinite() { return Compare.isfinite(this); }
    public Tensor logicalNot() { return Compare.logicalNot(this); }
    public Tensor logicalAnd(Tensor o) { return Compare.compare(Compare.AND, this, o); }
    public Tensor logicalOr(Tensor o) { return Compare.compare(Compare.OR, this, o); }
    /** {@code where(cond, a, b)}: elements of a where cond is true, else b (broadcast). */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) { return Compare.where(cond, a, b); }
    public Tensor maskedFill(Tensor mask, double value) { return Compare.maskedFill(this, mask, value); }
    public Tensor maskedFill_(Tensor mask, double value) { return Compare.maskedFill_(this, mask, value); }
    public boolean allclose(Tensor other) { return allclose(other, 1e-5, 1e-8); }
    public boolean allclose(Tensor other, double rtol, double atol) { return Compare.allclose(this, other, rtol, atol); }
    /** Same shape and the same values, like {@code torch.equal}. */
    public boolean equal(Tensor other) { return Compare.equal(this, other); }

    // ---------------------------------------------------------------- reductions (Reduce.java)

    public Tensor sum() { return Reduce.sum(this, null, false); }
    public Tensor sum(int dim) { return sum(dim, false); }
    public Tensor sum(int dim, boolean keepdim) { return Reduce.sum(this, new int[] {dim}, keepdim); }
    public Tensor sum(int[] dims, boolean keepdim) { return Reduce.sum(this, dims, keepdim); }
    public Tensor mean() { return Reduce.mean(this, null, false); }
    public Tensor mean(int dim) { return mean(dim, false); }
    public Tensor mean(int dim, boolean keepdim) { return Reduce.mean(this, new int[] {dim}, keepdim); }
    public Tensor mean(int[] dims, boolean keepdim) { return Reduce.mean(this, dims, keepdim); }
    /** Sums broadcast dims away so the result has {@code shape} (the backward of broadcasting). */
    public Tensor sumTo(int... shape) { return Reduce.sumTo(this, shape); }
    public Tensor var() { return var(true); }
    public Tensor var(boolean unbiased) { return Reduce.var(this, null, unbiased, false); }
    public Tensor var(int dim, boolean unbiased, boolean keepdim) { return Reduce.var(this, new int[] {dim}, unbiased, keepdim); }
    public Tensor var(int[] dims, boolean unbiased, boolean keepdim) { return Reduce.var(this, dims, unbiased, keepdim); }
    public Tensor std() { return std(true); }
    public Tensor std(boolean unbiased) { return Reduce.std(this, null, unbiased, false); }
    public Tensor std(int dim, boolean unbiased, boolean keepdim) { return Reduce.std(this, new int[] {dim}, unbiased, keepdim); }
    public Tensor std(int[] dims, boolean unbiased, boolean keepdim) { return Reduce.std(this, dims, unbiased, keepdim); }
    public Tensor prod() { return Reduce.prod(this, null, false); }
    public Tensor prod(int dim, boolean keepdim) { return Reduce.prod(this, new int[] {dim}, keepdim); }
    public Tensor max() { return Reduce.max(this); }
    public Tensor min() { return Reduce.min(this); }
    /** Values and indices of the maximum along {@code dim}, like {@code torch.max(t, dim)}. */
    public ValuesIndices max(int dim, boolean keepdim) { return Reduce.max(this, dim, keepdim); }
    public ValuesIndices min(int dim, boolean keepdim) { return Reduce.min(this, dim, keepdim); }
    public Tensor argmax() { return Reduce.argmax(this); }
    public Tensor argmax(int dim, boolean keepdim) { return Reduce.argmax(this, dim, keepdim); }
    public Tensor argmin() { return Reduce.argmin(this); }
    public Tensor argmin(int dim, boolean keepdim) { return Reduce.argmin(this, dim, keepdim); }
    public Tensor norm() { return norm(2); }
    /** The p-norm over all elements; p may be 1, 2, any positive number, or {@code Double.POSITIVE_INFINITY}. */
    public Tensor norm(double p) { return Reduce.norm(this, p, null, false); }
    public Tensor norm(double p, int dim, boolean keepdim) { return Reduce.norm(this, p, new int[] {dim}, keepdim); }
    public Tensor logsumexp(int dim, boolean keepdim) { return Reduce.logsumexp(this, dim, keepdim); }
    public Tensor any() { return Reduce.any(this); }
    public Tensor all() { return Reduce.all(this); }

    /** The result of {@code max(dim)}/{@code min(dim)}. */
    public record ValuesIndices(Tensor values, Tensor indices) { }

    // ---------------------------------------------------------------- linear algebra (Linalg.java)

    public Tensor matmul(Tensor o) { return Linalg.matmul(this, o); }
    public Tensor mm(Tensor o) { return Linalg.mm(this, o); }
    public Tensor bmm(Tensor o) { return Linalg.bmm(this, o); }
    /** {@code x @ weight.T + bias}, like {@code F.linear}; bias may be null. */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) { return Linalg.linear(x, weight, bias); }
    /** Which BLAS runs matrix products: {@code JNIBLAS} is the system OpenBLAS, others are pure-Java fallbacks. */
    public static String blasBackend() { return Blas.backend(); }
    /**
     * The most threads nnlab's kernels ran on at once since the previous call: 1 when everything ran on the caller's
     * thread, 2 when a loop or product split over two cores, all cores when OpenBLAS threaded a big product.
     */
    public static int peakThreads() { return Parallel.peakThreads(); }

    // ---------------------------------------------------------------- indexing and joining (Index.java)

    /** Rows selected by an int64 index tensor, or elements selected by a bool mask, like {@code t[idx]}. */
    public Tensor index(Tensor idx) { return Index.index(this, idx); }
    public Tensor indexSelect(int dim, Tensor idx) { return Index.indexSelect(this, dim, idx); }
    public Tensor maskedSelect(Tensor mask) { return Index.maskedSelect(this, mask); }
    public Tensor gather(int dim, Tensor idx) { return Index.gather(this, dim, idx); }
    public static Tensor cat(List<Tensor> tensors, int dim) { return Index.cat(tensors, dim); }
    public static Tensor cat(int dim, Tensor... tensors) { return Index.cat(Arrays.asList(tensors), dim); }
    public static Tensor stack(List<Tensor> tensors, int dim) { return Index.stack(tensors, dim); }
    public static Tensor stack(int dim, Tensor... tensors) { return Index.stack(Arrays.asList(tensors), dim); }
    public List<Tensor> split(int splitSize, int dim) { return Index.split(this, splitSize, dim); }
    public List<Tensor> split(int[] sizes, int dim) { return Index.split(this, sizes, dim); }
    public List<Tensor> chunk(int chunks, int dim) { return Index.chunk(this, chunks, dim); }

    // ---------------------------------------------------------------- printing (Format.java)

    @Override
    public String toString() { return Format.format(this); }
}
