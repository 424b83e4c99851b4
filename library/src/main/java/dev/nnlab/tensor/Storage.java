package dev.nnlab.tensor;

/**
 * The flat array behind one or more tensors, with the version counter that autograd uses to
 * detect in-place changes of saved tensors. Views share a Storage.
 */
public abstract class Storage {
    int version;

    public abstract DType dtype();

    public abstract int size();

    public abstract double get(int i);

    public abstract void set(int i, double v);

    /** The backing primitive array: float[], double[], long[] or boolean[]. */
    public abstract Object array();

    public int version() {
        return version;
    }

    public static Storage allocate(DType dtype, int n) {
        switch (dtype) {
            case FLOAT32: return new Floats(new float[n]);
            case FLOAT64: return new Doubles(new double[n]);
            case INT64: return new Longs(new long[n]);
            default: return new Bools(new boolean[n]);
        }
    }

    static final class Floats extends Storage {
        final float[] a;
        Floats(float[] a) { this.a = a; }
        public DType dtype() { return DType.FLOAT32; }
        public int size() { return a.length; }
        public double get(int i) { return a[i]; }
        public void set(int i, double v) { a[i] = (float) v; }
        public Object array() { return a; }
    }

    static final class Doubles extends Storage {
        final double[] a;
        Doubles(double[] a) { this.a = a; }
        public DType dtype() { return DType.FLOAT64; }
        public int size() { return a.length; }
        public double get(int i) { return a[i]; }
        public void set(int i, double v) { a[i] = v; }
        public Object array() { return a; }
    }

    static final class Longs extends Storage {
        final long[] a;
        Longs(long[] a) { this.a = a; }
        public DType dtype() { return DType.INT64; }
        public int size() { return a.length; }
        public double get(int i) { return a[i]; }
        public void set(int i, double v) { a[i] = (long) v; }
        public Object array() { return a; }
    }

    static final class Bools extends Storage {
        final boolean[] a;
        Bools(boolean[] a) { this.a = a; }
        public DType dtype() { return DType.BOOL; }
        public int size() { return a.length; }
        public double get(int i) { return a[i] ? 1 : 0; }
        public void set(int i, double v) { a[i] = v != 0; }
        public Object array() { return a; }
    }
}
