package dev.nnlab.kernel.install;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import dev.nnlab.kernel.eval.CellException;
import dev.nnlab.kernel.eval.Repl;
import dev.nnlab.kernel.wire.Codec;
import dev.nnlab.kernel.wire.Msg;
import dev.nnlab.kernel.wire.Signer;
import java.util.List;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/**
 * The work a kernel does on start and on its first cells, run once at install time with
 * {@code -XX:ArchiveClassesAtExit} so that the class-data-sharing archive holds those classes.
 */
public final class Training {
    private Training() {
    }

    public static void run(List<String> imports) {
        try (ZMQ.Context ctx = ZMQ.context(1); ZMQ.Socket s = ctx.socket(SocketType.ROUTER)) {
            s.bind("tcp://127.0.0.1:*");
            Codec codec = new Codec(new Signer("hmac-sha256", "k"), new Gson());
            codec.decode(codec.encode(Msg.create("s", "kernel_info_request", null, new JsonObject())));
        }
        try (Repl repl = new Repl(Training.class.getClassLoader())) {
            for (String i : imports) {
                repl.eval(i, "train", 0);
            }
            for (String code : new String[] {"1 + 1", "int x = 2;", "x * 3", "String f(int n) { return \"\" + n; }",
                    "f(x)", "class P { int v; }", "new P().v", "List.of(1, 2)", "System.out.println(x);"}) {
                repl.eval(code, "train", 0);
            }
            for (String bad : new String[] {"nope + 1", "1 / 0"}) {
                try {
                    repl.eval(bad, "train", 0);
                } catch (CellException expected) {
                    // errors are part of the training
                }
            }
            repl.shell().sourceCodeAnalysis().completionSuggestions("Math.ma", 7, new int[1]);
        }
    }
}
