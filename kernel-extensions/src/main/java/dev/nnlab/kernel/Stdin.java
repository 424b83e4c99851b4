package dev.nnlab.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/** System.in for cells: each line is asked of the frontend with an input_request. */
final class Stdin extends InputStream {
    private final Supplier<String> ask;
    private byte[] line = new byte[0];
    private int pos;

    /** {@code ask} returns the next line typed by the user, or null when input is not allowed. */
    Stdin(Supplier<String> ask) {
        this.ask = ask;
    }

    @Override
    public synchronized int read() throws IOException {
        if (pos >= line.length && !fill()) {
            return -1;
        }
        return line[pos++] & 0xff;
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (pos >= line.length && !fill()) {
            return -1;
        }
        int n = Math.min(len, line.length - pos);
        System.arraycopy(line, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public synchronized int available() {
        return line.length - pos;
    }

    private boolean fill() throws IOException {
        String s;
        try {
            s = ask.get();
        } catch (IllegalStateException e) {
            throw new java.io.InterruptedIOException(e.getMessage());
        }
        if (s == null) {
            throw new IOException("stdin is not available: this frontend does not accept input");
        }
        line = (s + "\n").getBytes(StandardCharsets.UTF_8);
        pos = 0;
        return true;
    }
}
