package dev.nnlab.kernel;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;

/**
 * stdout or stderr of cells: bytes are collected and published as stream messages when the buffer
 * fills, when the periodic flusher runs, and when the cell ends. Flushes from user code are cheap.
 */
final class Stream extends OutputStream {
    private static final int CHUNK = 64 * 1024;
    private final String name;
    private final BiConsumer<String, String> publish;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    private byte[] pending = new byte[0];

    Stream(String name, BiConsumer<String, String> publish) {
        this.name = name;
        this.publish = publish;
    }

    @Override
    public synchronized void write(int b) {
        buffer.write(b);
        if (buffer.size() >= CHUNK) {
            drain();
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        while (len > 0) {
            int n = Math.min(len, CHUNK - buffer.size());
            buffer.write(b, off, n);
            off += n;
            len -= n;
            if (buffer.size() >= CHUNK) {
                drain();
            }
        }
    }

    /** Publishes what has been written, keeping an incomplete UTF-8 sequence for next time. */
    synchronized void drain() {
        if (buffer.size() == 0) {
            return;
        }
        byte[] bytes = buffer.toByteArray();
        buffer.reset();
        ByteBuffer in = ByteBuffer.allocate(pending.length + bytes.length);
        in.put(pending).put(bytes).flip();
        CharBuffer out = CharBuffer.allocate(in.remaining());
        decoder.reset();
        decoder.decode(in, out, false);
        pending = new byte[in.remaining()];
        in.get(pending);
        out.flip();
        if (out.hasRemaining()) {
            publish.accept(name, out.toString());
        }
    }
}
