package dev.nnlab.kernel.wire;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Turns messages into ZeroMQ frames and back, signing and verifying on the way. */
public final class Codec {
    static final byte[] DELIMITER = "<IDS|MSG>".getBytes(StandardCharsets.US_ASCII);
    private final Signer signer;
    private final Gson gson;

    public Codec(Signer signer, Gson gson) {
        this.signer = signer;
        this.gson = gson;
    }

    public List<byte[]> encode(Msg m) {
        byte[] header = bytes(m.header());
        byte[] parent = bytes(m.parent());
        byte[] metadata = bytes(m.metadata());
        byte[] content = bytes(m.content());
        List<byte[]> frames = new ArrayList<>(m.ids().size() + 6 + m.buffers().size());
        frames.addAll(m.ids());
        frames.add(DELIMITER);
        frames.add(signer.sign(header, parent, metadata, content).getBytes(StandardCharsets.US_ASCII));
        frames.add(header);
        frames.add(parent);
        frames.add(metadata);
        frames.add(content);
        frames.addAll(m.buffers());
        return frames;
    }

    /** Parses frames; throws {@link BadMessageException} for a bad signature or a malformed message. */
    public Msg decode(List<byte[]> frames) {
        int d = 0;
        while (d < frames.size() && !Arrays.equals(frames.get(d), DELIMITER)) {
            d++;
        }
        if (frames.size() < d + 6) {
            throw new BadMessageException("malformed message: " + frames.size() + " frames, no <IDS|MSG> part");
        }
        byte[] sig = frames.get(d + 1);
        byte[] header = frames.get(d + 2);
        byte[] parent = frames.get(d + 3);
        byte[] metadata = frames.get(d + 4);
        byte[] content = frames.get(d + 5);
        if (!signer.verify(sig, header, parent, metadata, content)) {
            throw new BadMessageException("invalid signature");
        }
        try {
            return new Msg(List.copyOf(frames.subList(0, d)), json(header), json(parent), json(metadata),
                    json(content), List.copyOf(frames.subList(d + 6, frames.size())));
        } catch (RuntimeException e) {
            throw new BadMessageException("malformed JSON in message: " + e.getMessage());
        }
    }

    private byte[] bytes(JsonObject o) {
        return gson.toJson(o == null ? new JsonObject() : o).getBytes(StandardCharsets.UTF_8);
    }

    private static JsonObject json(byte[] b) {
        return JsonParser.parseString(new String(b, StandardCharsets.UTF_8)).getAsJsonObject();
    }

    /** A message that must be dropped unread. */
    public static final class BadMessageException extends RuntimeException {
        public BadMessageException(String message) {
            super(message);
        }
    }
}
