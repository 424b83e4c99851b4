package dev.nnlab;

import dev.nnlab.io.SafeTensors;
import dev.nnlab.tensor.Tensor;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Loads the PyTorch-made fixtures under {@code src/test/resources/fixtures} and compares against them. */
public final class Fixtures {
    public static final double RTOL = 1e-5, ATOL = 1e-6;

    private Fixtures() { }

    /** One fixture file: named tensors and string metadata, as PyTorch wrote them. */
    public record Fixture(String name, Map<String, Tensor> tensors, Map<String, String> metadata) {
        public Tensor tensor(String key) {
            Tensor t = tensors.get(key);
            if (t == null) throw new IllegalArgumentException(name + " has no tensor '" + key + "'; it has " + tensors.keySet());
            return t;
        }

        public boolean has(String key) {
            return tensors.containsKey(key);
        }

        public String meta(String key) {
            String v = metadata.get(key);
            if (v == null) throw new IllegalArgumentException(name + " has no metadata '" + key + "'; it has " + metadata.keySet());
            return v;
        }
    }

    /** {@code load("io/dtypes")} reads {@code fixtures/io/dtypes.safetensors} from the test class path. */
    public static Fixture load(String name) {
        Path p = path(name);
        SafeTensors.Contents c = SafeTensors.read(p);
        return new Fixture(name, c.tensors(), c.metadata());
    }

    public static Path path(String name) {
        URL url = Fixtures.class.getResource("/fixtures/" + name + ".safetensors");
        if (url == null) throw new IllegalArgumentException("no fixture " + name + " (regenerate with make_fixtures.py)");
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void assertClose(Tensor expected, Tensor actual) {
        assertClose(expected, actual, RTOL, ATOL);
    }

    /** Same shape, and |actual - expected| <= atol + rtol * |expected| everywhere (NaN matches NaN). */
    public static void assertClose(Tensor expected, Tensor actual, double rtol, double atol) {
        assertArrayEquals(expected.shape(), actual.shape(), () -> "shape " + Arrays.toString(actual.shape())
                + " differs from expected " + Arrays.toString(expected.shape()));
        double[] e = expected.toDoubleArray(), a = actual.toDoubleArray();
        int worst = -1;
        double worstExcess = 0;
        for (int i = 0; i < e.length; i++) {
            if (Double.isNaN(e[i]) && Double.isNaN(a[i])) continue;
            if (e[i] == a[i]) continue;
            double excess = Math.abs(a[i] - e[i]) - (atol + rtol * Math.abs(e[i]));
            if (!(excess <= 0) && (worst < 0 || excess > worstExcess || Double.isNaN(excess))) {
                worst = i;
                worstExcess = excess;
            }
        }
        if (worst >= 0) {
            fail("values differ at flat index " + worst + ": expected " + e[worst] + " but got " + a[worst]
                    + " (rtol " + rtol + ", atol " + atol + ")");
        }
    }
}
