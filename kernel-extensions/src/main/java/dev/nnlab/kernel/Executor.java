package dev.nnlab.kernel;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.nnlab.kernel.display.Display;
import dev.nnlab.kernel.display.Renderers;
import dev.nnlab.kernel.eval.Cell;
import dev.nnlab.kernel.eval.CellException;
import dev.nnlab.kernel.eval.Repl;
import dev.nnlab.kernel.magics.Args;
import dev.nnlab.kernel.magics.MagicException;
import dev.nnlab.kernel.wire.Msg;
import dev.nnlab.kernel.wire.Wire;
import java.util.Map;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.dflib.jjava.jupyter.kernel.magic.MagicArgsParseException;
import org.dflib.jjava.jupyter.kernel.magic.UndefinedMagicException;

/** execute_request: runs the cell's Java and magics, publishes its outputs and replies. */
final class Executor {
    private final NnlabKernel kernel;
    private final Outputs outputs;
    private final History history;
    private volatile Msg current;
    private volatile boolean allowStdin;
    private JsonArray payloads = new JsonArray();
    private String magicLine = "";
    private volatile java.time.Instant failedAt = java.time.Instant.MIN;
    private int executed;

    Executor(NnlabKernel kernel, Outputs outputs, History history) {
        this.kernel = kernel;
        this.outputs = outputs;
        this.history = history;
    }

    void execute(Wire.Channel channel, Msg m) {
        JsonObject c = m.content();
        if (sentBefore(m, failedAt)) {
            JsonObject aborted = new JsonObject();
            aborted.addProperty("status", "aborted");
            kernel.wire().reply(channel, Msg.create(kernel.session(), "execute_reply", m, aborted));
            return;
        }
        Jit.cellStarted();
        String code = Msg.str(c, "code") == null ? "" : Msg.str(c, "code");
        boolean silent = flag(c, "silent", false);
        boolean store = !silent && flag(c, "store_history", true);
        int count = kernel.count(store);
        if (!silent) {
            outputs.executeInput(code, count, m);
        }
        outputs.parent(m);
        current = m;
        allowStdin = flag(c, "allow_stdin", false);
        payloads = new JsonArray();
        JsonObject reply;
        String result = null;
        try {
            Object v = run(code, "cell[" + count + "]");
            kernel.drain();
            if (v != Repl.NO_VALUE && !silent && !Display.isDisplayId(v)) {
                DisplayData d = Renderers.render(kernel.getRenderer(), v);
                Object text = d.getData(MIMEType.TEXT_PLAIN);
                result = text == null ? null : text.toString();
                outputs.executeResult(count, d, m);
            }
            reply = new JsonObject();
            reply.addProperty("status", "ok");
            reply.add("payload", payloads);
            reply.add("user_expressions", userExpressions(c));
        } catch (CellException e) {
            kernel.drain();
            outputs.error(e, m);
            reply = Outputs.error(e);
            reply.addProperty("status", "error");
            if (flag(c, "stop_on_error", true)) {
                failedAt = java.time.Instant.now();
            }
        }
        reply.addProperty("execution_count", count);
        if (store) {
            history.add(count, code, result);
        }
        kernel.wire().reply(channel, Msg.create(kernel.session(), "execute_reply", m, reply));
        Jit.cellEnded(++executed);
    }

    /**
     * True for a request sent before the last failed cell ended: with stop_on_error, cells queued
     * behind a failure (Run All) are aborted, as ipykernel does.
     */
    static boolean sentBefore(Msg m, java.time.Instant failure) {
        String date = Msg.str(m.header(), "date");
        if (date == null || failure == java.time.Instant.MIN) {
            return false;
        }
        try {
            return java.time.OffsetDateTime.parse(date).toInstant().isBefore(failure);
        } catch (java.time.format.DateTimeParseException e) {
            return false;
        }
    }

    /** Runs cell code part by part; returns the last part's value or {@link Repl#NO_VALUE}. */
    Object run(String code, String cell) {
        Object value = Repl.NO_VALUE;
        try {
            for (Cell.Part p : Cell.parse(code)) {
                if (p instanceof Cell.Java j) {
                    value = kernel.repl().eval(j.code(), cell, j.line());
                } else if (p instanceof Cell.LineMagic lm) {
                    magicLine = lm.args();
                    value = orNone(kernel.getMagicsRegistry().evalLineMagic(kernel, lm.name(), Args.split(lm.args())));
                } else if (p instanceof Cell.CellMagic cm) {
                    value = orNone(kernel.getMagicsRegistry()
                            .evalCellMagic(kernel, cm.name(), Args.split(cm.args()), cm.body()));
                }
            }
        } catch (CellException e) {
            throw e;
        } catch (UndefinedMagicException e) {
            String kind = e.isLineMagic() ? "Line" : "Cell";
            String pct = e.isLineMagic() ? "%" : "%%";
            throw CellException.of("UsageError", kind + " magic " + pct + e.getMagicName()
                    + " not found. Magics: " + String.join(" ", kernel.magicNames().stream().map(n -> "%" + n).toList())
                    + " (see %lsmagic)");
        } catch (MagicException e) {
            throw CellException.of("UsageError", e.getMessage());
        } catch (MagicArgsParseException e) {
            throw CellException.of("UsageError", e.getMessage());
        } catch (Exception e) {
            String name = e.getClass().getSimpleName();
            throw CellException.of(name, e.getMessage() == null ? e.toString() : e.getMessage());
        }
        return value;
    }

    private static Object orNone(Object v) {
        return v == null ? Repl.NO_VALUE : v;
    }

    String magicLine() {
        return magicLine;
    }

    void page(String text) {
        JsonObject p = new JsonObject();
        p.addProperty("source", "page");
        JsonObject data = new JsonObject();
        data.addProperty("text/plain", text);
        p.add("data", data);
        p.addProperty("start", 0);
        payloads.add(p);
    }

    /** A line typed by the user for System.in, or null when the frontend takes no input. */
    String input() {
        Msg m = current;
        if (m == null || !allowStdin) {
            return null;
        }
        kernel.drain();
        JsonObject c = new JsonObject();
        c.addProperty("prompt", "");
        c.addProperty("password", false);
        Thread cell = Thread.currentThread();
        Msg reply = kernel.wire().ask(Msg.create(kernel.session(), "input_request", m, c),
                () -> kernel.repl().stopping() || cell.isInterrupted());
        if (reply == null) {
            throw new IllegalStateException("input was interrupted");
        }
        String value = Msg.str(reply.content(), "value");
        return value == null ? "" : value;
    }

    private JsonObject userExpressions(JsonObject c) {
        JsonObject out = new JsonObject();
        JsonElement ue = c.get("user_expressions");
        if (ue == null || !ue.isJsonObject()) {
            return out;
        }
        for (Map.Entry<String, JsonElement> e : ue.getAsJsonObject().entrySet()) {
            JsonObject r;
            try {
                Object v = kernel.repl().eval(e.getValue().getAsString(), "user_expressions", 0);
                r = outputs.bundle(Renderers.render(kernel.getRenderer(), v == Repl.NO_VALUE ? null : v));
                r.remove("transient");
                r.addProperty("status", "ok");
            } catch (CellException x) {
                r = Outputs.error(x);
                r.addProperty("status", "error");
            }
            out.add(e.getKey(), r);
        }
        return out;
    }

    private static boolean flag(JsonObject c, String key, boolean dflt) {
        JsonElement e = c.get(key);
        return e == null || e.isJsonNull() ? dflt : e.getAsBoolean();
    }
}
