package dev.nnlab.kernel;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.nnlab.kernel.display.Display;
import dev.nnlab.kernel.eval.CellException;
import dev.nnlab.kernel.wire.Msg;
import dev.nnlab.kernel.wire.Wire;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

/** Everything the kernel publishes on iopub, addressed to the request being served. */
final class Outputs implements Display.Sink {
    private final Wire wire;
    private final String session;
    private final Gson gson;
    private volatile Msg parent;
    private volatile Runnable drain = () -> { };

    Outputs(Wire wire, String session, Gson gson) {
        this.wire = wire;
        this.session = session;
        this.gson = gson;
    }

    /** Publishes buffered stdout/stderr first, so that output keeps its order. */
    void drainWith(Runnable r) {
        drain = r;
    }

    void drain() {
        drain.run();
    }

    /** The execute request whose output this is; output of background threads goes there too. */
    void parent(Msg m) {
        parent = m;
    }

    void publish(String type, JsonObject content, Msg to) {
        wire.publish(Msg.create(session, type, to, content));
    }

    void status(String state, Msg to) {
        JsonObject c = new JsonObject();
        c.addProperty("execution_state", state);
        publish("status", c, to);
    }

    void stream(String name, String text) {
        JsonObject c = new JsonObject();
        c.addProperty("name", name);
        c.addProperty("text", text);
        publish("stream", c, parent);
    }

    void executeInput(String code, int count, Msg to) {
        JsonObject c = new JsonObject();
        c.addProperty("code", code);
        c.addProperty("execution_count", count);
        publish("execute_input", c, to);
    }

    void executeResult(int count, DisplayData data, Msg to) {
        JsonObject c = bundle(data);
        c.remove("transient");
        c.addProperty("execution_count", count);
        publish("execute_result", c, to);
    }

    void error(CellException e, Msg to) {
        publish("error", error(e), to);
    }

    static JsonObject error(CellException e) {
        JsonObject c = new JsonObject();
        c.addProperty("ename", e.ename());
        c.addProperty("evalue", e.evalue());
        JsonArray tb = new JsonArray();
        e.traceback().forEach(tb::add);
        c.add("traceback", tb);
        return c;
    }

    JsonObject bundle(DisplayData data) {
        JsonObject c = gson.toJsonTree(data).getAsJsonObject();
        if (!c.has("metadata")) {
            c.add("metadata", new JsonObject());
        }
        return c;
    }

    @Override
    public void display(DisplayData data, boolean update) {
        drain.run();
        JsonObject c = bundle(data);
        if (!c.has("transient")) {
            c.add("transient", new JsonObject());
        }
        publish(update ? "update_display_data" : "display_data", c, parent);
    }

    @Override
    public void clear(boolean wait) {
        drain.run();
        JsonObject c = new JsonObject();
        c.addProperty("wait", wait);
        publish("clear_output", c, parent);
    }
}
