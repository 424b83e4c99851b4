package dev.nnlab.kernel.wire;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** What a Jupyter connection file says. */
public record Connection(String transport, String ip, int shell, int iopub, int stdin, int control, int hb,
                         String scheme, String key) {

    public static Connection read(Path file) throws IOException {
        JsonObject o = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
        String transport = o.has("transport") ? o.get("transport").getAsString() : "tcp";
        return new Connection(transport, o.get("ip").getAsString(),
                o.get("shell_port").getAsInt(), o.get("iopub_port").getAsInt(), o.get("stdin_port").getAsInt(),
                o.get("control_port").getAsInt(), o.get("hb_port").getAsInt(),
                o.has("signature_scheme") ? o.get("signature_scheme").getAsString() : "hmac-sha256",
                o.has("key") ? o.get("key").getAsString() : "");
    }

    /** The address to bind, on the connection file's IP only. */
    public String address(int port) {
        return "ipc".equals(transport) ? "ipc://" + ip + "-" + port : transport + "://" + ip + ":" + port;
    }
}
