package dev.nnlab.hooks;

/**
 * One pass over a float32 array that adds its statistics to a {@link TensorStats}; false when the data held NaN or
 * Inf (or overflowed float sums), and nothing was added: the caller then takes the exact float64 path.
 */
@FunctionalInterface
interface FloatScan {
    boolean scan(float[] a, int from, int n, TensorStats into);
}
