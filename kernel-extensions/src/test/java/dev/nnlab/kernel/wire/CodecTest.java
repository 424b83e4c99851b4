package dev.nnlab.kernel.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CodecTest {
    private final Codec codec = new Codec(new Signer("hmac-sha256", "key"), new Gson());

    private Msg request() {
        JsonObject c = new JsonObject();
        c.addProperty("code", "1 + 1");
        Msg m = Msg.create("s", "execute_request", null, c);
        return new Msg(List.of("client".getBytes(StandardCharsets.UTF_8)), m.header(), m.parent(), m.metadata(),
                m.content(), List.of());
    }

    @Test
    void roundTripsIdentitiesAndContent() {
        Msg m = request();
        Msg back = codec.decode(codec.encode(m));
        assertArrayEquals(m.ids().get(0), back.ids().get(0));
        assertEquals("execute_request", back.type());
        assertEquals("1 + 1", back.content().get("code").getAsString());
        assertEquals(m.id(), back.id());
    }

    @Test
    void tamperedContentIsRejected() {
        List<byte[]> frames = new ArrayList<>(codec.encode(request()));
        frames.set(frames.size() - 1, "{\"code\": \"System.exit(1)\"}".getBytes(StandardCharsets.UTF_8));
        assertThrows(Codec.BadMessageException.class, () -> codec.decode(frames));
    }

    @Test
    void messageSignedWithAnotherKeyIsRejected() {
        Codec other = new Codec(new Signer("hmac-sha256", "not-the-key"), new Gson());
        assertThrows(Codec.BadMessageException.class, () -> codec.decode(other.encode(request())));
    }

    @Test
    void framesWithoutDelimiterAreRejected() {
        assertThrows(Codec.BadMessageException.class,
                () -> codec.decode(List.of("a".getBytes(StandardCharsets.UTF_8), new byte[0])));
    }

    @Test
    void repliesKeepTheParentHeader() {
        Msg req = request();
        Msg reply = Msg.create("s", "execute_reply", req, new JsonObject());
        assertEquals(req.id(), reply.parent().get("msg_id").getAsString());
        assertEquals(req.ids(), reply.ids());
    }
}
