package dev.nnlab.spark;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import org.apache.spark.BarrierTaskContext;

/**
 * The barrier tasks of one training job, connected once in a ring over plain sockets (one {@code allGather}
 * of addresses), then summing float vectors every step. The sum runs in rank order, ((g0 + g1) + g2)...,
 * along the chain 0, 1, ..., N-1, and the total travels on around the ring, so every rank gets the same bits
 * on every run.
 */
final class Ring implements AutoCloseable {
    private static final int CHUNK = 1 << 16;
    private static final int TIMEOUT_MS = 120_000;

    private final int rank;
    private final int size;
    private final Socket toNext;
    private final Socket fromPrev;
    private final DataOutputStream out;
    private final DataInputStream in;
    private final ByteBuffer bytes = ByteBuffer.allocate(CHUNK * 4);
    private final float[] chunk = new float[CHUNK];

    private Ring(int rank, int size, Socket toNext, Socket fromPrev) throws IOException {
        this.rank = rank;
        this.size = size;
        this.toNext = toNext;
        this.fromPrev = fromPrev;
        out = toNext == null ? null : new DataOutputStream(new BufferedOutputStream(toNext.getOutputStream(), 1 << 16));
        in = fromPrev == null ? null : new DataInputStream(new BufferedInputStream(fromPrev.getInputStream(), 1 << 16));
    }

    static Ring connect(BarrierTaskContext ctx) throws IOException {
        int rank = ctx.partitionId();
        int size = ctx.getTaskInfos().length;
        if (size == 1) {
            ctx.barrier();
            return new Ring(0, 1, null, null);
        }
        String self = ctx.getTaskInfos()[rank].address();
        String host = self.substring(0, self.lastIndexOf(':'));
        try (ServerSocket server = new ServerSocket(0, 4, InetAddress.getByName(host))) {
            server.setSoTimeout(TIMEOUT_MS);
            String[] peers = ctx.allGather(host + ":" + server.getLocalPort());
            String next = peers[(rank + 1) % size];
            Socket toNext = new Socket();
            int colon = next.lastIndexOf(':');
            toNext.connect(new InetSocketAddress(next.substring(0, colon), Integer.parseInt(next.substring(colon + 1))), TIMEOUT_MS);
            toNext.setTcpNoDelay(true);
            Socket fromPrev = server.accept();
            fromPrev.setSoTimeout(TIMEOUT_MS);
            return new Ring(rank, size, toNext, fromPrev);
        }
    }

    int rank() {
        return rank;
    }

    int size() {
        return size;
    }

    /** Replaces {@code v} on every rank by the sum over ranks. */
    void allReduce(float[] v) throws IOException {
        if (size == 1) {
            return;
        }
        for (int off = 0; off < v.length; off += CHUNK) {
            int n = Math.min(CHUNK, v.length - off);
            if (rank > 0) {
                read(chunk, n);
                for (int i = 0; i < n; i++) {
                    v[off + i] = chunk[i] + v[off + i];
                }
            }
            if (rank < size - 1) {
                write(v, off, n);
            }
        }
        out.flush();
        for (int off = 0; off < v.length; off += CHUNK) {
            int n = Math.min(CHUNK, v.length - off);
            if (rank != size - 1) {
                read(chunk, n);
                System.arraycopy(chunk, 0, v, off, n);
            }
            if (rank != size - 2) {
                write(v, off, n);
            }
        }
        out.flush();
    }

    private void write(float[] v, int off, int n) throws IOException {
        bytes.clear();
        bytes.asFloatBuffer().put(v, off, n);
        out.write(bytes.array(), 0, n * 4);
    }

    private void read(float[] dst, int n) throws IOException {
        in.readFully(bytes.array(), 0, n * 4);
        bytes.clear();
        bytes.asFloatBuffer().get(dst, 0, n);
    }

    @Override
    public void close() {
        for (Socket s : new Socket[] {toNext, fromPrev}) {
            if (s != null) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing is best effort; the peer sees EOF either way
                }
            }
        }
    }
}
