package dev.nnlab.kernel.wire;

import com.google.gson.JsonObject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;

/** One Jupyter message: routing identities, the four JSON parts and binary buffers. */
public record Msg(List<byte[]> ids, JsonObject header, JsonObject parent, JsonObject metadata,
                  JsonObject content, List<byte[]> buffers) {

    public static final String PROTOCOL = "5.3";
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    public String type() {
        return str(header, "msg_type");
    }

    public String id() {
        return str(header, "msg_id");
    }

    /** A new message of the given type, a child of {@code parent} (may be null). */
    public static Msg create(String session, String type, Msg parent, JsonObject content) {
        JsonObject h = new JsonObject();
        h.addProperty("msg_id", UUID.randomUUID().toString());
        h.addProperty("msg_type", type);
        h.addProperty("username", "nnlab");
        h.addProperty("session", session);
        h.addProperty("date", DATE.format(Instant.now()));
        h.addProperty("version", PROTOCOL);
        return new Msg(parent == null ? List.of() : parent.ids(), h,
                parent == null ? new JsonObject() : parent.header(), new JsonObject(), content, List.of());
    }

    public static String str(JsonObject o, String key) {
        return o != null && o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsString() : null;
    }
}
