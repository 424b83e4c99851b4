package dev.nnlab.io;

import dev.nnlab.Fixtures;
import dev.nnlab.tensor.DType;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class SafeTensorsTest {
    @Test
    void readsEveryDtypePyTorchWrote() {
        SafeTensors.Contents c = SafeTensors.read(Fixtures.path("io/dtypes"));
        Map<String, Tensor> t = c.tensors();
        assertEquals(DType.FLOAT32, t.get("f32").dtype());
        assertArrayEquals(new int[] {3, 4}, t.get("f32").shape());
        assertEquals(DType.FLOAT64, t.get("f64").dtype());
        assertArrayEquals(new long[] {-3, -2, -1, 0, 1, 2}, t.get("i64").toLongArray());
        assertArrayEquals(new int[] {2, 3}, t.get("i64").shape());
        assertArrayEquals(new boolean[] {true, false, true}, t.get("bool").toBooleanArray());
        assertEquals(0, t.get("scalar").dim());
        assertEquals(2.5, t.get("scalar").item());
        assertArrayEquals(new int[] {0, 3}, t.get("empty").shape());
        assertArrayEquals(new long[] {-7, 0, Integer.MAX_VALUE}, t.get("i32").toLongArray());
        assertArrayEquals(new long[] {0, 255, 7}, t.get("u8").toLongArray());
        assertEquals("written by fixtures_io.py", c.metadata().get("note"));
        Fixtures.Fixture half = Fixtures.load("io/half_as_float");
        Fixtures.assertClose(half.tensor("f16"), t.get("f16"), 0, 0);
        Fixtures.assertClose(half.tensor("bf16"), t.get("bf16"), 0, 0);
    }

    @Test
    void roundTripKeepsOrderValuesAndMetadata(@TempDir Path dir) throws Exception {
        Map<String, Tensor> in = new LinkedHashMap<>();
        in.put("w", Tensor.randn(4, 5));
        in.put("t", Tensor.randn(3, 4).t());
        in.put("d", Tensor.randn(DType.FLOAT64, 2));
        in.put("i", Tensor.arange(6).view(2, 3));
        in.put("b", Tensor.tensor(true, false));
        Path f = dir.resolve("m.safetensors");
        SafeTensors.save(in, Map.of("format", "pt"), f);
        SafeTensors.Contents c = SafeTensors.read(f);
        assertEquals(in.keySet().stream().toList(), c.tensors().keySet().stream().toList());
        for (var e : in.entrySet()) {
            Tensor got = c.tensors().get(e.getKey());
            assertEquals(e.getValue().dtype(), got.dtype());
            assertArrayEquals(e.getValue().shape(), got.shape(), e.getKey());
            assertArrayEquals(e.getValue().toDoubleArray(), got.toDoubleArray(), e.getKey());
        }
        assertEquals("pt", c.metadata().get("format"));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file may be left behind");
        }
    }

    @Test
    void rejectsMalformedHeadersWithClearErrors() {
        byte[] good = SafeTensors.toBytes(Map.of("a", Tensor.ones(2, 2)), Map.of());
        assertMessage(new byte[3], "shorter than the 8-byte header length");
        assertMessage(withHeaderLength(good, 1L << 40), "header length 1099511627776 is out of range");
        assertMessage(withHeaderLength(good, -1), "header length 18446744073709551615 is out of range");
        assertMessage(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 4), "truncated or trailing bytes");
        assertMessage(file("{\"a\":{\"dtype\":\"X9\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "unsupported dtype 'X9'");
        assertMessage(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12), "overlap or leave a gap");
        assertMessage(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8), "needs 12");
        assertMessage(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4), "invalid dimension -1");
        assertMessage(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,4]}}", 4), "invalid data_offsets");
        assertMessage(file("[1,2]", 0), "not a JSON object");
        assertMessage(file("{\"a\":", 0), "not valid JSON");
        assertMessage(file("{\"__metadata__\":{\"k\":1}}", 0), "is not a string");
    }

    @Test
    void randomlyCorruptedFilesLoadOrFailClearly() {
        Map<String, Tensor> in = new LinkedHashMap<>();
        in.put("weight", Tensor.randn(3, 4));
        in.put("bias", Tensor.randn(DType.FLOAT64, 3));
        in.put("idx", Tensor.arange(5));
        byte[] good = SafeTensors.toBytes(in, Map.of("k", "v"));
        Random r = new Random(42);
        int loaded = 0, rejected = 0;
        for (int trial = 0; trial < 3000; trial++) {
            byte[] bad = mutate(good, r);
            try {
                SafeTensors.Contents c = SafeTensors.fromBytes(bad);
                for (Tensor t : c.tensors().values()) assertEquals(t.numel(), t.toDoubleArray().length);
                loaded++;
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage().startsWith("invalid safetensors file"), e.getMessage());
                rejected++;
            } catch (RuntimeException e) {
                fail("trial " + trial + ": unexpected " + e, e);
            }
        }
        assertTrue(rejected > 1000 && loaded > 100, "loaded " + loaded + ", rejected " + rejected);
    }

    private static byte[] mutate(byte[] good, Random r) {
        byte[] b = good.clone();
        switch (r.nextInt(4)) {
            case 0: // flip bytes anywhere
                for (int i = 0, n = 1 + r.nextInt(4); i < n; i++) b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
                return b;
            case 1: // truncate
                return java.util.Arrays.copyOf(b, r.nextInt(b.length));
            case 2: // damage the header length
                ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, r.nextLong() >> r.nextInt(64));
                return b;
            default: // flip a byte of the JSON header, the richest place to break
                int headerLen = (int) ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
                b[8 + r.nextInt(headerLen)] = (byte) "{}[]\":,0123456789-e ".charAt(r.nextInt(20));
                return b;
        }
    }

    private static byte[] withHeaderLength(byte[] good, long len) {
        byte[] b = good.clone();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, len);
        return b;
    }

    private static byte[] file(String json, int dataBytes) {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        return b.array();
    }

    private static void assertMessage(byte[] bytes, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SafeTensors.fromBytes(bytes));
        assertTrue(e.getMessage().contains(fragment), () -> "message '" + e.getMessage() + "' lacks '" + fragment + "'");
    }
}
