package dev.nnlab.kernel.install;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import dev.nnlab.kernel.wire.Codec;
import dev.nnlab.kernel.wire.Connection;
import dev.nnlab.kernel.wire.Msg;
import dev.nnlab.kernel.wire.Signer;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/**
 * The work a kernel does on start and on its first cells, run once at install time under
 * {@code -XX:ArchiveClassesAtExit} so that the class-data
 * archive holds those classes. A real kernel runs in this JVM and a client talks to it over ZeroMQ,
 * so the archive covers the wire, JShell, javac, the library, the magics and the renderers.
 */
public final class Training {
    /** First cells as a user writes them; the failing ones are part of the training. */
    static final List<String> CELLS = List.of("1 + 1", "int x = 2;", "x * 3", "String f(int n) { return \"\" + n; }",
            "f(x)", "class P { int v; }", "new P().v", "List.of(1, 2)", "System.out.println(x);",
            "var t = randn(2, 3);\nt", "t.matmul(t.t()).sum()", "var net = new Sequential(new Linear(3, 4), new ReLU());",
            "net", "net.forward(t)", "%lsmagic", "%time 1 + 1", "display(t);", "nope + 1", "1 / 0", "void g() { }\ng()");

    private static final long TIMEOUT_MS = 60_000;

    private Training() {
    }

    /** A connection on free loopback ports with a fresh key. */
    public static Connection connection() throws IOException {
        int[] ports = new int[5];
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < ports.length; i++) {
                ServerSocket s = new ServerSocket(0);
                held.add(s);
                ports[i] = s.getLocalPort();
            }
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
        return new Connection("tcp", "127.0.0.1", ports[0], ports[1], ports[2], ports[3], ports[4], "hmac-sha256",
                UUID.randomUUID().toString());
    }

    /** Starts {@code kernel} on a fresh connection, sends it the first cells and waits for each reply. */
    public static void run(Consumer<Connection> kernel) throws IOException {
        Connection conn = connection();
        Thread k = new Thread(() -> kernel.accept(conn), "nnlab-training-kernel");
        k.setDaemon(true);
        k.start();
        Codec codec = new Codec(new Signer(conn.scheme(), conn.key()), new Gson());
        String session = UUID.randomUUID().toString();
        try (ZMQ.Context ctx = ZMQ.context(1);
             ZMQ.Socket shell = ctx.socket(SocketType.DEALER);
             ZMQ.Socket iopub = ctx.socket(SocketType.SUB)) {
            shell.setReceiveTimeOut((int) TIMEOUT_MS);
            shell.connect(conn.address(conn.shell()));
            iopub.subscribe(new byte[0]);
            iopub.connect(conn.address(conn.iopub()));
            request(shell, codec, Msg.create(session, "kernel_info_request", null, new JsonObject()));
            for (String code : CELLS) {
                JsonObject c = new JsonObject();
                c.addProperty("code", code);
                c.addProperty("silent", false);
                c.addProperty("store_history", true);
                c.addProperty("stop_on_error", false);
                request(shell, codec, Msg.create(session, "execute_request", null, c));
                while (iopub.recv(ZMQ.DONTWAIT) != null) {
                    // outputs are not checked, only produced
                }
            }
            JsonObject complete = new JsonObject();
            complete.addProperty("code", "Math.ma");
            complete.addProperty("cursor_pos", 7);
            request(shell, codec, Msg.create(session, "complete_request", null, complete));
            JsonObject inspect = new JsonObject();
            inspect.addProperty("code", "Math.max");
            inspect.addProperty("cursor_pos", 8);
            request(shell, codec, Msg.create(session, "inspect_request", null, inspect));
        }
    }

    private static void request(ZMQ.Socket shell, Codec codec, Msg m) {
        List<byte[]> frames = codec.encode(m);
        for (int i = 0; i < frames.size(); i++) {
            shell.send(frames.get(i), i < frames.size() - 1 ? ZMQ.SNDMORE : 0);
        }
        long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            List<byte[]> reply = new ArrayList<>();
            byte[] f = shell.recv();
            if (f == null) {
                break;
            }
            reply.add(f);
            while (shell.hasReceiveMore()) {
                reply.add(shell.recv());
            }
            Msg r = codec.decode(reply);
            if (m.id().equals(Msg.str(r.parent(), "msg_id"))) {
                return;
            }
        }
        throw new IllegalStateException("the training kernel did not answer " + m.type());
    }
}
