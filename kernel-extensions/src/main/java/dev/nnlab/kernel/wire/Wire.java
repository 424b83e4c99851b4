package dev.nnlab.kernel.wire;

import dev.nnlab.kernel.Log;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * The kernel's five sockets and their loops. Each loop blocks on its socket, and catches errors per
 * message: a message with a bad signature is logged and dropped, and the loop goes on.
 */
public final class Wire {
    /** Where a request came from, so that its reply goes back the same way. */
    public enum Channel { SHELL, CONTROL }

    /** Handles one verified request. */
    public interface Handler {
        void handle(Channel channel, Msg msg) throws Exception;
    }

    private final Connection conn;
    private final Codec codec;
    private final ZMQ.Context ctx = ZMQ.context(1);
    private final ZMQ.Socket shell;
    private final ZMQ.Socket control;
    private final ZMQ.Socket stdin;
    private final ZMQ.Socket iopub;
    private final ZMQ.Socket hb;
    private volatile boolean closed;
    /**
     * Messages for iopub, in order. A lock-free queue: a thread stopped inside {@code add} leaves it whole (the
     * message is in or it is not), where a stop inside a locked collection's update could break it.
     */
    private final ConcurrentLinkedQueue<Msg> outbox = new ConcurrentLinkedQueue<>();
    private final AtomicLong queued = new AtomicLong();
    private final Object progress = new Object();
    private long sent; // guarded by progress
    private final Thread sender = new Thread(this::sendLoop, "nnlab-iopub");
    /** The one thread on the stdin socket, started with the others (not from a cell's thread group). */
    private final ThreadPoolExecutor asker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "nnlab-stdin");
                t.setDaemon(true);
                return t;
            });

    public Wire(Connection conn, Codec codec) {
        this.conn = conn;
        this.codec = codec;
        shell = bind(SocketType.ROUTER, conn.shell());
        control = bind(SocketType.ROUTER, conn.control());
        stdin = bind(SocketType.ROUTER, conn.stdin());
        iopub = bind(SocketType.PUB, conn.iopub());
        hb = bind(SocketType.REP, conn.hb());
    }

    private ZMQ.Socket bind(SocketType type, int port) {
        ZMQ.Socket s = ctx.socket(type);
        s.setLinger(1000);
        s.bind(conn.address(port));
        return s;
    }

    /** Starts the loops; shell and control requests go to the handler on their own threads. */
    public void start(Handler handler) {
        sender.setDaemon(true);
        sender.start();
        asker.prestartCoreThread();
        thread("nnlab-heartbeat", this::heartbeat);
        thread("nnlab-control", () -> loop(control, Channel.CONTROL, handler));
        thread("nnlab-shell", () -> loop(shell, Channel.SHELL, handler));
    }

    private static void thread(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    private void loop(ZMQ.Socket socket, Channel channel, Handler handler) {
        while (!closed) {
            Msg msg;
            try {
                msg = codec.decode(receive(socket));
            } catch (Codec.BadMessageException e) {
                Log.warn("dropped a message on " + channel.name().toLowerCase() + ": " + e.getMessage());
                continue;
            } catch (ZMQException e) {
                if (closed || e.getErrorCode() == ZMQ.Error.ETERM.getCode()) {
                    return;
                }
                Log.error("receive failed on " + channel.name().toLowerCase(), e);
                continue;
            }
            try {
                handler.handle(channel, msg);
            } catch (Throwable t) {
                Log.error("failed to handle " + msg.type() + " on " + channel.name().toLowerCase(), t);
            }
        }
    }

    private void heartbeat() {
        while (!closed) {
            try {
                byte[] ping = hb.recv(0);
                if (ping != null) {
                    hb.send(ping, 0);
                }
            } catch (ZMQException e) {
                if (closed || e.getErrorCode() == ZMQ.Error.ETERM.getCode()) {
                    return;
                }
            }
        }
    }

    private static List<byte[]> receive(ZMQ.Socket s) {
        List<byte[]> frames = new ArrayList<>(8);
        frames.add(s.recv(0));
        while (s.hasReceiveMore()) {
            frames.add(s.recv(0));
        }
        return frames;
    }

    private static void send(ZMQ.Socket s, List<byte[]> frames) {
        for (int i = 0; i < frames.size(); i++) {
            s.send(frames.get(i), i < frames.size() - 1 ? ZMQ.SNDMORE : 0);
        }
    }

    /**
     * Sends a reply on the channel the request came from; only call from that channel's thread. What was published
     * before goes to iopub first, as if this thread had sent it.
     */
    public void reply(Channel channel, Msg msg) {
        flush();
        send(channel == Channel.SHELL ? shell : control, codec.encode(msg));
    }

    /**
     * Queues a message for iopub, from any thread. Only the iopub thread touches the socket: a cell's thread that
     * JShell stops or an interrupt wakes in the middle of a send would leave part of a multipart message there,
     * and the client would read every later message one frame off ("Invalid Signature: b'kernel.status'").
     */
    public void publish(Msg msg) {
        outbox.add(msg);
        queued.incrementAndGet();
        LockSupport.unpark(sender);
    }

    /** Waits until everything published so far is on the iopub socket (or this thread is interrupted). */
    private void flush() {
        long target = queued.get();
        synchronized (progress) {
            while (sent < target && sender.isAlive()) {
                try {
                    progress.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void sendLoop() {
        while (true) {
            Msg msg = outbox.poll();
            if (msg == null) {
                if (closed) {
                    return;
                }
                LockSupport.parkNanos(this, 100_000_000L);
                continue;
            }
            try {
                send(iopub, codec.encode(withTopic(msg)));
            } catch (RuntimeException | Error e) { // the loop outlives any one message, an OutOfMemoryError's too
                Log.error("publishing " + msg.type() + " failed", e);
            }
            synchronized (progress) {
                sent++;
                progress.notifyAll();
            }
        }
    }

    private static Msg withTopic(Msg m) {
        byte[] topic = ("kernel." + m.type()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return new Msg(List.of(topic), m.header(), m.parent(), m.metadata(), m.content(), m.buffers());
    }

    /**
     * Sends an input_request on stdin and waits for its reply; null if cancelled first. The exchange runs on the
     * stdin thread: the cell's thread, which JShell may stop and an interrupt wakes, only waits for it, and the
     * exchange ends when {@code cancelled} says so.
     */
    public Msg ask(Msg request, java.util.function.BooleanSupplier cancelled) {
        Future<Msg> answer = asker.submit(() -> exchange(request, cancelled));
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return answer.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Msg exchange(Msg request, java.util.function.BooleanSupplier cancelled) {
        flush();
        stdin.setReceiveTimeOut(100);
        send(stdin, codec.encode(request));
        while (!cancelled.getAsBoolean()) {
            byte[] first = stdin.recv(0);
            if (first == null) {
                continue;
            }
            List<byte[]> frames = new ArrayList<>(8);
            frames.add(first);
            while (stdin.hasReceiveMore()) {
                frames.add(stdin.recv(0));
            }
            try {
                return codec.decode(frames);
            } catch (Codec.BadMessageException e) {
                Log.warn("dropped a message on stdin: " + e.getMessage());
            }
        }
        return null;
    }

    public void close() {
        closed = true;
        LockSupport.unpark(sender);
    }
}
