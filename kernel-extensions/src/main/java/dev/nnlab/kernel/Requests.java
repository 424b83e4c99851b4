package dev.nnlab.kernel;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.nnlab.kernel.eval.Analysis;
import dev.nnlab.kernel.wire.Msg;
import dev.nnlab.kernel.wire.Wire;
import java.util.List;
import java.util.Set;
import org.dflib.jjava.jupyter.kernel.HelpLink;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;

/** Dispatches shell and control requests; each is bracketed by busy and idle status messages. */
final class Requests {
    /** Requests that need the user's JShell (kernel_info, which a frontend sends on connecting, does not). */
    private static final Set<String> NEEDS_JSHELL = Set.of("execute_request", "complete_request", "inspect_request",
            "is_complete_request");

    private final NnlabKernel kernel;
    private final Outputs outputs;
    private final Executor executor;
    private final History history;

    Requests(NnlabKernel kernel, Outputs outputs, Executor executor, History history) {
        this.kernel = kernel;
        this.outputs = outputs;
        this.executor = executor;
        this.history = history;
    }

    void handle(Wire.Channel channel, Msg m) {
        String type = m.type();
        if (type == null || type.startsWith("comm_") && !type.equals("comm_info_request")) {
            return;
        }
        if (NEEDS_JSHELL.contains(type)) {
            kernel.stopWarmUp(); // before any work of the request's own, which the warm-up's CPU would slow
        }
        outputs.status("busy", m);
        try {
            switch (type) {
                case "execute_request" -> executor.execute(channel, m);
                case "kernel_info_request" -> reply(channel, m, "kernel_info_reply", kernelInfo());
                case "complete_request" -> reply(channel, m, "complete_reply", complete(m.content()));
                case "inspect_request" -> reply(channel, m, "inspect_reply", inspect(m.content()));
                case "is_complete_request" -> reply(channel, m, "is_complete_reply", isComplete(m.content()));
                case "history_request" -> reply(channel, m, "history_reply", history(m.content()));
                case "comm_info_request" -> reply(channel, m, "comm_info_reply", ok("comms", new JsonObject()));
                case "interrupt_request" -> {
                    kernel.interrupt();
                    reply(channel, m, "interrupt_reply", ok(null, null));
                }
                case "shutdown_request" -> shutdown(channel, m);
                default -> Log.warn("ignored unknown request " + type);
            }
        } finally {
            outputs.status("idle", m);
        }
    }

    private void reply(Wire.Channel channel, Msg request, String type, JsonObject content) {
        kernel.wire().reply(channel, Msg.create(kernel.session(), type, request, content));
    }

    private static JsonObject ok(String key, com.google.gson.JsonElement value) {
        JsonObject c = new JsonObject();
        c.addProperty("status", "ok");
        if (key != null) {
            c.add(key, value);
        }
        return c;
    }

    private JsonObject kernelInfo() {
        LanguageInfo l = kernel.getLanguageInfo();
        JsonObject lang = new JsonObject();
        lang.addProperty("name", l.getName());
        lang.addProperty("version", l.getVersion());
        lang.addProperty("mimetype", l.getMimetype());
        lang.addProperty("file_extension", l.getFileExtension());
        lang.addProperty("pygments_lexer", l.getPygmentsLexer());
        lang.addProperty("codemirror_mode", String.valueOf(l.getCodemirrorMode()));
        lang.addProperty("nbconvert_exporter", l.getNbconvertExporter());
        JsonArray links = new JsonArray();
        for (HelpLink h : kernel.getHelpLinks()) {
            JsonObject o = new JsonObject();
            o.addProperty("text", h.getText());
            o.addProperty("url", h.getUrl());
            links.add(o);
        }
        JsonObject c = ok("language_info", lang);
        c.addProperty("protocol_version", Msg.PROTOCOL);
        c.addProperty("implementation", "nnlab");
        c.addProperty("implementation_version", NnlabKernel.VERSION);
        c.addProperty("banner", "nnlab " + NnlabKernel.VERSION + " :: Java " + l.getVersion()
                + " :: JShell in-process, PyTorch-style nn for Java notebooks");
        c.addProperty("debugger", false);
        c.add("help_links", links);
        return c;
    }

    private JsonObject complete(JsonObject c) {
        String code = Msg.str(c, "code");
        int cursor = Cursor.toIndex(code, c.get("cursor_pos").getAsInt());
        Analysis.Completion done = kernel.analysis().complete(code, cursor);
        JsonArray matches = new JsonArray();
        done.matches().forEach(matches::add);
        JsonObject r = ok("matches", matches);
        r.addProperty("cursor_start", Cursor.toCodePoints(code, done.start()));
        r.addProperty("cursor_end", Cursor.toCodePoints(code, done.end()));
        r.add("metadata", new JsonObject());
        return r;
    }

    private JsonObject inspect(JsonObject c) {
        String code = Msg.str(c, "code");
        int cursor = Cursor.toIndex(code, c.get("cursor_pos").getAsInt());
        int detail = c.has("detail_level") ? c.get("detail_level").getAsInt() : 0;
        String doc = kernel.analysis().inspect(code, cursor, detail > 0);
        JsonObject data = new JsonObject();
        if (doc != null) {
            data.addProperty("text/plain", doc);
        }
        JsonObject r = ok("data", data);
        r.addProperty("found", doc != null);
        r.add("metadata", new JsonObject());
        return r;
    }

    private JsonObject isComplete(JsonObject c) {
        String code = Msg.str(c, "code");
        String status = kernel.ready() ? kernel.analysis().isComplete(code)
                : Analysis.indent(code).isEmpty() ? "complete" : "incomplete";
        JsonObject r = new JsonObject();
        r.addProperty("status", status);
        if (status.equals("incomplete")) {
            r.addProperty("indent", Analysis.indent(code));
        }
        return r;
    }

    private JsonObject history(JsonObject c) {
        String access = Msg.str(c, "hist_access_type");
        boolean output = c.has("output") && c.get("output").getAsBoolean();
        int n = c.has("n") && !c.get("n").isJsonNull() ? c.get("n").getAsInt() : 0;
        List<History.Entry> entries = switch (access == null ? "tail" : access) {
            case "range" -> history.range(intOf(c, "session"), intOf(c, "start"), intOf(c, "stop"));
            case "search" -> history.search(Msg.str(c, "pattern") == null ? "*" : Msg.str(c, "pattern"), n,
                    c.has("unique") && c.get("unique").getAsBoolean());
            default -> history.tail(n);
        };
        JsonArray list = new JsonArray();
        for (History.Entry e : entries) {
            JsonArray row = new JsonArray();
            row.add(e.session());
            row.add(e.line());
            if (output) {
                JsonArray io = new JsonArray();
                io.add(e.input());
                io.add(e.output());
                row.add(io);
            } else {
                row.add(e.input());
            }
            list.add(row);
        }
        return ok("history", list);
    }

    private static int intOf(JsonObject c, String key) {
        return c.has(key) && !c.get(key).isJsonNull() ? c.get(key).getAsInt() : 0;
    }

    private void shutdown(Wire.Channel channel, Msg m) {
        boolean restart = m.content().has("restart") && m.content().get("restart").getAsBoolean();
        JsonObject c = ok("restart", new com.google.gson.JsonPrimitive(restart));
        reply(channel, m, "shutdown_reply", c);
        outputs.status("idle", m);
        Thread t = new Thread(() -> {
            try {
                kernel.onShutdown(restart);
                Thread.sleep(100);
            } catch (Throwable ignored) {
                // exiting anyway
            }
            Runtime.getRuntime().halt(0);
        }, "nnlab-shutdown");
        t.start();
    }
}
