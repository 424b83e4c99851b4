package dev.nnlab.kernel.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/** The kernel's sockets, through a real JeroMQ subscriber. */
class WireTest {
    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static Msg stream(String text) {
        JsonObject c = new JsonObject();
        c.addProperty("name", "stdout");
        c.addProperty("text", text);
        return Msg.create("s", "stream", null, c);
    }

    /**
     * What JShell does to a cell on JDK 17: Thread.stop, wherever the cell is. A cell stopped while it publishes
     * must not leave part of a message on iopub, or every later message reaches the client one frame off.
     */
    @Test
    @SuppressWarnings("removal")
    void aPublisherStoppedMidwayLeavesNoPartOfAMessage() throws Exception {
        assumeTrue(Runtime.version().feature() < 20, "Thread.stop stops threads up to JDK 19 only");
        Connection conn = new Connection("tcp", "127.0.0.1", freePort(), freePort(), freePort(), freePort(),
                freePort(), "hmac-sha256", "key");
        Codec codec = new Codec(new Signer("hmac-sha256", "key"), new Gson());
        Wire wire = new Wire(conn, codec);
        wire.start((channel, msg) -> { });
        try (ZMQ.Context ctx = ZMQ.context(1); ZMQ.Socket sub = ctx.socket(SocketType.SUB)) {
            sub.subscribe(new byte[0]);
            sub.setReceiveTimeOut(100);
            sub.setLinger(0);
            sub.setHandshakeIvl(1000); // a JeroMQ handshake now and then stalls for its default 30 s, then redials
            sub.connect(conn.address(conn.iopub()));
            while (receive(sub) == null) { // a subscription takes a moment to reach the publisher
                wire.publish(stream("probe"));
            }
            List<String> bad = new ArrayList<>();
            int[] read = {0};
            Thread reader = new Thread(() -> {
                for (long deadline = System.nanoTime() + 60_000_000_000L; System.nanoTime() < deadline; ) {
                    List<byte[]> frames = receive(sub);
                    if (frames == null) {
                        continue;
                    }
                    try {
                        if (codec.decode(frames).content().get("text").getAsString().equals("end")) {
                            return;
                        }
                        read[0]++;
                    } catch (Codec.BadMessageException e) {
                        bad.add(e.getMessage());
                        return;
                    }
                }
            });
            reader.start();
            Random random = new Random(7);
            for (int i = 0; i < 300 && reader.isAlive(); i++) {
                Thread cell = new Thread(() -> {
                    for (int k = 0; k < 200; k++) {
                        wire.publish(stream("x"));
                        for (long t = System.nanoTime(); System.nanoTime() - t < 5_000; ) {
                            Thread.onSpinWait();
                        }
                    }
                });
                cell.start();
                Thread.sleep(0, random.nextInt(999_999));
                cell.stop();
                cell.join();
            }
            Thread.sleep(200);
            wire.publish(stream("end"));
            reader.join(10_000);
            assertEquals(List.of(), bad, "messages that did not decode, after " + read[0] + " that did");
            assertTrue(read[0] > 0);
        } finally {
            wire.close();
        }
    }

    private static List<byte[]> receive(ZMQ.Socket s) {
        byte[] first = s.recv(0);
        if (first == null) {
            return null;
        }
        List<byte[]> frames = new ArrayList<>();
        frames.add(first);
        while (s.hasReceiveMore()) {
            frames.add(s.recv(0));
        }
        return frames;
    }
}
