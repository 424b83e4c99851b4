package dev.nnlab.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The BLAS wrapper: products on either side of the threading threshold are right, and the report names the BLAS. */
class BlasTest {
    @Test
    void productsAboveAndBelowTheThreadThresholdMatchLoops() {
        Tensor.manualSeed(51);
        // 40: one thread; 200: split over two cores; 520: OpenBLAS on all cores (when the machine is not crowded)
        for (int n : new int[] {40, 200, 520}) {
            assertEquals(n >= 512, (long) n * (n - 1) * (n + 3) >= Blas.THREADED_MNK);
            Tensor a = Tensor.randn(n, n + 3), b = Tensor.randn(n + 3, n - 1);
            float[] got = a.mm(b).toFloatArray(), fa = a.toFloatArray(), fb = b.toFloatArray();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n - 1; j++) {
                    double s = 0;
                    for (int k = 0; k < n + 3; k++) s += (double) fa[i * (n + 3) + k] * fb[k * (n - 1) + j];
                    assertEquals(s, got[i * (n - 1) + j], 1e-4 * (1 + Math.abs(s)));
                }
            }
        }
    }

    @Test
    void reportNamesTheBackendAndWarnsWhenItIsPureJava() {
        String r = Blas.report();
        assertTrue(r.startsWith("nnlab: "), r);
        assertTrue(r.contains(Tensor.blasBackend()), r);
        assertEquals(!Blas.isNative(), r.contains("WARNING") && r.contains("apt-get install libopenblas0"), r);
    }
}
