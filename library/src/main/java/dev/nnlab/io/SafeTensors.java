package dev.nnlab.io;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.MalformedJsonException;
import dev.nnlab.tensor.DType;
import dev.nnlab.tensor.Tensor;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the safetensors format, the weight interchange format of the PyTorch world:
 * an 8-byte little-endian header length, a JSON header, then the raw little-endian data. Every
 * malformed or hostile file is rejected with an {@link IllegalArgumentException} naming the problem.
 */
public final class SafeTensors {
    /** Same limit as the reference implementation. */
    static final long MAX_HEADER = 100_000_000L;

    private SafeTensors() { }

    /** Tensors and the free-form string metadata of one file. */
    public record Contents(LinkedHashMap<String, Tensor> tensors, Map<String, String> metadata) { }

    /** The tensors of a file, in file order. */
    public static LinkedHashMap<String, Tensor> load(Path file) {
        return read(file).tensors();
    }

    public static Contents read(Path file) {
        try {
            return fromBytes(Files.readAllBytes(file), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public static Contents fromBytes(byte[] bytes) {
        return fromBytes(bytes, "<bytes>");
    }

    private record Entry(String name, String dtype, int[] shape, long begin, long end) { }

    private static Contents fromBytes(byte[] bytes, String source) {
        String where = "invalid safetensors file " + source + ": ";
        if (bytes.length < 8) throw new IllegalArgumentException(where + "file is " + bytes.length + " bytes, shorter than the 8-byte header length");
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLen = buf.getLong(0);
        if (headerLen < 2 || headerLen > MAX_HEADER || headerLen > bytes.length - 8L) {
            throw new IllegalArgumentException(where + "header length " + Long.toUnsignedString(headerLen)
                    + " is out of range (file size " + bytes.length + " bytes)");
        }
        String json = new String(bytes, 8, (int) headerLen, StandardCharsets.UTF_8);
        JsonObject header = parseHeader(json, where);
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, JsonElement> e : header.entrySet()) {
            if (e.getKey().equals("__metadata__")) {
                metadata = readMetadata(e.getValue(), where);
                continue;
            }
            entries.add(readEntry(e.getKey(), e.getValue(), where));
        }
        long dataLen = bytes.length - 8L - headerLen;
        entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expected = 0;
        for (Entry e : entries) {
            if (e.begin() != expected) {
                throw new IllegalArgumentException(where + "tensor '" + e.name() + "' starts at byte " + e.begin()
                        + " but the previous data ends at " + expected + " (tensors overlap or leave a gap)");
            }
            expected = e.end();
        }
        if (expected != dataLen) {
            throw new IllegalArgumentException(where + "the header describes " + expected + " data bytes but the file holds "
                    + dataLen + " (truncated or trailing bytes)");
        }
        LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
        int base = 8 + (int) headerLen;
        for (Entry e : entries) tensors.put(e.name(), decode(e, buf, base));
        return new Contents(tensors, metadata);
    }

    private static JsonObject parseHeader(String json, String where) {
        try {
            JsonReader reader = new JsonReader(new StringReader(json));
            reader.setStrictness(com.google.gson.Strictness.STRICT);
            JsonElement el = JsonParser.parseReader(reader);
            if (!el.isJsonObject()) throw new IllegalArgumentException(where + "the header is not a JSON object");
            return el.getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new IllegalArgumentException(where + "the header is not valid JSON (" + rootMessage(e) + ")");
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable c = e;
        while (c.getCause() != null && !(c instanceof MalformedJsonException)) c = c.getCause();
        return c.getMessage();
    }

    private static Map<String, String> readMetadata(JsonElement value, String where) {
        if (!value.isJsonObject()) throw new IllegalArgumentException(where + "__metadata__ must be an object of strings");
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> m : value.getAsJsonObject().entrySet()) {
            JsonElement v = m.getValue();
            if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString()) {
                throw new IllegalArgumentException(where + "__metadata__ value for '" + m.getKey() + "' is not a string");
            }
            out.put(m.getKey(), v.getAsString());
        }
        return out;
    }

    private static Entry readEntry(String name, JsonElement value, String where) {
        String bad = where + "entry '" + name + "' ";
        if (!value.isJsonObject()) throw new IllegalArgumentException(bad + "is not an object");
        JsonObject o = value.getAsJsonObject();
        JsonElement dtype = o.get("dtype"), shape = o.get("shape"), offsets = o.get("data_offsets");
        if (dtype == null || !dtype.isJsonPrimitive() || !dtype.getAsJsonPrimitive().isString()) {
            throw new IllegalArgumentException(bad + "has no string 'dtype'");
        }
        String dt = dtype.getAsString();
        int size = itemSize(dt);
        if (size < 0) {
            throw new IllegalArgumentException(bad + "has unsupported dtype '" + dt
                    + "' (supported: F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL)");
        }
        if (shape == null || !shape.isJsonArray()) throw new IllegalArgumentException(bad + "has no 'shape' array");
        int[] dims = new int[shape.getAsJsonArray().size()];
        long numel = 1;
        for (int i = 0; i < dims.length; i++) {
            long d = integer(shape.getAsJsonArray().get(i), bad + "shape");
            if (d < 0 || d > Integer.MAX_VALUE) throw new IllegalArgumentException(bad + "has invalid dimension " + d);
            dims[i] = (int) d;
            numel *= d;
            if (numel > Integer.MAX_VALUE) throw new IllegalArgumentException(bad + "is too large (" + numel + "+ elements)");
        }
        if (offsets == null || !offsets.isJsonArray() || offsets.getAsJsonArray().size() != 2) {
            throw new IllegalArgumentException(bad + "needs 'data_offsets' as [begin, end]");
        }
        long begin = integer(offsets.getAsJsonArray().get(0), bad + "data_offsets");
        long end = integer(offsets.getAsJsonArray().get(1), bad + "data_offsets");
        if (begin < 0 || end < begin) throw new IllegalArgumentException(bad + "has invalid data_offsets [" + begin + ", " + end + "]");
        if (end - begin != numel * size) {
            throw new IllegalArgumentException(bad + "has " + (end - begin) + " bytes of data but shape "
                    + java.util.Arrays.toString(dims) + " of " + dt + " needs " + numel * size);
        }
        return new Entry(name, dt, dims, begin, end);
    }

    private static long integer(JsonElement e, String what) {
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new IllegalArgumentException(what + " must hold integers");
        }
        try {
            return e.getAsJsonPrimitive().getAsBigDecimal().longValueExact();
        } catch (ArithmeticException ex) {
            throw new IllegalArgumentException(what + " must hold integers, got " + e);
        }
    }

    private static int itemSize(String dtype) {
        switch (dtype) {
            case "F64": case "I64": return 8;
            case "F32": case "I32": return 4;
            case "F16": case "BF16": case "I16": return 2;
            case "I8": case "U8": case "BOOL": return 1;
            default: return -1;
        }
    }

    private static Tensor decode(Entry e, ByteBuffer buf, int base) {
        int n = (int) ((e.end() - e.begin()) / itemSize(e.dtype()));
        int p = base + (int) e.begin();
        switch (e.dtype()) {
            case "F32": {
                float[] a = new float[n];
                buf.slice(p, n * 4).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(a);
                return Tensor.fromFlat(a, e.shape());
            }
            case "F64": {
                double[] a = new double[n];
                buf.slice(p, n * 8).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(a);
                return Tensor.fromFlat(a, e.shape());
            }
            case "I64": {
                long[] a = new long[n];
                buf.slice(p, n * 8).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(a);
                return Tensor.fromFlat(a, e.shape());
            }
            case "BOOL": {
                boolean[] a = new boolean[n];
                for (int i = 0; i < n; i++) a[i] = buf.get(p + i) != 0;
                return Tensor.fromFlat(a, e.shape());
            }
            case "F16": case "BF16": {
                float[] a = new float[n];
                for (int i = 0; i < n; i++) {
                    int bits = buf.getShort(p + 2 * i) & 0xFFFF;
                    a[i] = e.dtype().equals("BF16") ? Float.intBitsToFloat(bits << 16) : halfToFloat(bits);
                }
                return Tensor.fromFlat(a, e.shape());
            }
            default: {
                long[] a = new long[n];
                for (int i = 0; i < n; i++) {
                    switch (e.dtype()) {
                        case "I32": a[i] = buf.getInt(p + 4 * i); break;
                        case "I16": a[i] = buf.getShort(p + 2 * i); break;
                        case "I8": a[i] = buf.get(p + i); break;
                        default: a[i] = buf.get(p + i) & 0xFF;
                    }
                }
                return Tensor.fromFlat(a, e.shape());
            }
        }
    }

    static float halfToFloat(int h) {
        int sign = (h >>> 15) << 31, exp = (h >>> 10) & 0x1F, mant = h & 0x3FF;
        if (exp == 0x1F) return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
        if (exp == 0) {
            float v = mant * 0x1.0p-24f;
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /** Writes atomically: a temporary file in the same folder, then a rename. */
    public static void save(Map<String, ? extends Tensor> tensors, Path file) {
        save(tensors, Map.of(), file);
    }

    public static void save(Map<String, ? extends Tensor> tensors, Map<String, String> metadata, Path file) {
        byte[] bytes = toBytes(tensors, metadata);
        Path dir = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            try {
                Files.write(tmp, bytes);
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    public static byte[] toBytes(Map<String, ? extends Tensor> tensors, Map<String, String> metadata) {
        Map<String, Object> header = new LinkedHashMap<>();
        if (!metadata.isEmpty()) header.put("__metadata__", metadata);
        long offset = 0;
        List<byte[]> chunks = new ArrayList<>();
        for (Map.Entry<String, ? extends Tensor> e : tensors.entrySet()) {
            if (e.getKey().equals("__metadata__")) throw new IllegalArgumentException("'__metadata__' is reserved and cannot name a tensor");
            byte[] data = encode(e.getValue());
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("dtype", code(e.getValue().dtype()));
            entry.put("shape", e.getValue().shape());
            entry.put("data_offsets", new long[] {offset, offset + data.length});
            header.put(e.getKey(), entry);
            chunks.add(data);
            offset += data.length;
        }
        byte[] json = new Gson().toJson(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer out = ByteBuffer.allocate(8 + padded + (int) offset).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded).put(json);
        for (int i = json.length; i < padded; i++) out.put((byte) ' ');
        for (byte[] c : chunks) out.put(c);
        return out.array();
    }

    private static String code(DType dtype) {
        switch (dtype) {
            case FLOAT32: return "F32";
            case FLOAT64: return "F64";
            case INT64: return "I64";
            default: return "BOOL";
        }
    }

    private static byte[] encode(Tensor t) {
        int n = t.numel();
        ByteBuffer b = ByteBuffer.allocate(n * t.dtype().itemSize()).order(ByteOrder.LITTLE_ENDIAN);
        switch (t.dtype()) {
            case FLOAT32: b.asFloatBuffer().put(t.toFloatArray()); break;
            case FLOAT64: b.asDoubleBuffer().put(t.toDoubleArray()); break;
            case INT64: b.asLongBuffer().put(t.toLongArray()); break;
            default: for (boolean v : t.toBooleanArray()) b.put((byte) (v ? 1 : 0));
        }
        return b.array();
    }
}
