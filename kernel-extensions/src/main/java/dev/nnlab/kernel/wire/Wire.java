package dev.nnlab.kernel.wire;

import dev.nnlab.kernel.Log;
import java.util.ArrayList;
import java.util.List;
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

    /** Sends a reply on the channel the request came from; only call from that channel's thread. */
    public void reply(Channel channel, Msg msg) {
        send(channel == Channel.SHELL ? shell : control, codec.encode(msg));
    }

    public synchronized void publish(Msg msg) {
        List<byte[]> frames = new ArrayList<>(codec.encode(withTopic(msg)));
        send(iopub, frames);
    }

    private static Msg withTopic(Msg m) {
        byte[] topic = ("kernel." + m.type()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return new Msg(List.of(topic), m.header(), m.parent(), m.metadata(), m.content(), m.buffers());
    }

    /** Sends an input_request on stdin and waits for its reply; null if cancelled first. */
    public Msg ask(Msg request, java.util.function.BooleanSupplier cancelled) {
        synchronized (stdin) {
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
    }

    public void close() {
        closed = true;
    }
}
