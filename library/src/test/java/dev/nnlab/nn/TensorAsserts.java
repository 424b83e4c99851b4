package dev.nnlab.nn;

import dev.nnlab.tensor.Tensor;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Element-wise comparisons for nn tests that name what differs. */
final class TensorAsserts {
    private TensorAsserts() { }

    static void assertClose(Tensor expected, Tensor actual, double rtol, double atol, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        double[] e = expected.toDoubleArray();
        double[] a = actual.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            if (!(Math.abs(e[i] - a[i]) <= atol + rtol * Math.abs(e[i]))) {
                fail(what + ": element " + i + " expected " + e[i] + " but was " + a[i]);
            }
        }
    }

    static void assertEqual(Tensor expected, Tensor actual, String what) {
        assertClose(expected, actual, 0, 0, what);
    }

    static boolean equal(Tensor a, Tensor b) {
        return Arrays.equals(a.shape(), b.shape()) && Arrays.equals(a.toDoubleArray(), b.toDoubleArray());
    }

    static double norm(Tensor t) {
        double s = 0;
        for (double v : t.toDoubleArray()) s += v * v;
        return Math.sqrt(s);
    }
}
