package dev.nnlab.bench;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * PyTorch's side of {@code ./nnlab bench}, live: {@code scripts/torch_bench.py --serve} in a Python process of its own,
 * asked for one row at a time, so that each nnlab row is timed between two PyTorch timings of the same row. The
 * machine's speed drifts over minutes (a shared host: the same product ran at 160 and at 95 GFLOPS three minutes
 * apart), and a ratio of two figures taken minutes apart measured the drift as much as the code.
 */
final class TorchPeer implements AutoCloseable {
    /** One PyTorch timing of a row: its best of 1 and 2 threads. */
    record Timing(double us, int threads) { }

    private final Process process;
    private final BufferedReader in;
    private final Writer out;
    final String version;
    private boolean failed;

    TorchPeer(String python, Path script, double minTime) throws IOException {
        process = new ProcessBuilder(List.of(python, script.toString(), "--serve", "--min-time", Double.toString(minTime)))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        out = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        version = answer("start-up").get("torch").getAsString();
    }

    /**
     * Times {@code name/mode} in PyTorch, or returns null once PyTorch has failed: the first failure is printed, the
     * process is ended, and the rows from there show nnlab alone.
     */
    Timing time(String name, String mode) {
        if (failed) return null;
        try {
            out.write(name + "/" + mode + "\n");
            out.flush();
            JsonObject a = answer(name + "/" + mode);
            if (a.has("error")) throw new IOException(a.get("error").getAsString());
            return new Timing(a.get("torch_us").getAsDouble(), a.get("threads").getAsInt());
        } catch (IOException | RuntimeException e) {
            String why = process.isAlive() ? e.getMessage() : "its process exited with code " + process.exitValue();
            System.out.println("  PyTorch stopped (" + why + "); the rows from here show nnlab alone");
            failed = true;
            close();
            return null;
        }
    }

    private JsonObject answer(String what) throws IOException {
        String line = in.readLine();
        if (line == null) {
            throw new IOException("the PyTorch benchmark process ended before answering " + what + " (its error is above)");
        }
        return JsonParser.parseString(line).getAsJsonObject();
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException ignored) {
            // the process is gone already
        }
        process.destroy();
    }
}
