package dev.nnlab.bench;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./nnlab bench}: times the benchmark {@link Workloads} and prints them beside PyTorch's
 * figures for the same rows ({@code scripts/torch_bench.py}: live, or the JSON it wrote).
 *
 * <pre>Main [--torch TORCH_JSON | --torch-serve PYTHON SCRIPT] [--json OUT] [--min-time SECONDS] [--only NAME_PREFIX]
 *      [--prior NNLAB_JSON]</pre>
 *
 * With {@code --torch-serve} (what {@code ./nnlab bench} runs) PyTorch times each row just before and just after
 * nnlab does, in a {@link TorchPeer}; the {@code torch us} column is the mean of the two, and a row where they differ
 * by more than {@link #DRIFT} says so: the machine's speed moved during the row, and its ratio is less sure.
 *
 * With {@code --prior} (the JSON of a run with another BLAS thread count) each row keeps the faster of the two,
 * the way PyTorch's anchor keeps the best of 1 and 2 threads. The {@code threads} column is nnlab's: the most
 * threads the library ran on at once during the row ({@link dev.nnlab.tensor.Tensor#peakThreads}), or
 * {@code OPENBLAS_NUM_THREADS} when that is set.
 */
public final class Main {
    /**
     * The longest warm-up of a row, in seconds: the JIT's C2 takes 4-6 s to settle a model's forward+backward on
     * two cores (the Timer's default, 3 s, measured the ModuleList's at 2-3x its steady time).
     */
    static final double MAX_WARMUP = 10;
    /** PyTorch's two timings of a row may differ by this fraction of their mean before the row is marked. */
    static final double DRIFT = 0.2;
    /**
     * The pause between PyTorch's first timing of a row and nnlab's: the library does not split its loops over the
     * cores while other processes used them in the last second or so (dev.nnlab.tensor.Parallel).
     */
    static final long QUIET_MS = 1500;

    private Main() { }

    /** One printed row; torch figures are null when PyTorch was not measured. */
    public record Row(String name, String mode, double nnlabUs, Double torchUs, Double ratio, int threads,
                      Double torchBeforeUs, Double torchAfterUs) { }

    public static void main(String[] args) throws IOException, InterruptedException {
        Path torch = null, json = null, prior = null, torchScript = null;
        String python = null;
        double minTime = 1.0;
        String only = "";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--torch": torch = Path.of(value(args, ++i)); break;
                case "--torch-serve": python = value(args, ++i); torchScript = Path.of(value(args, ++i)); break;
                case "--json": json = Path.of(value(args, ++i)); break;
                case "--min-time": minTime = Double.parseDouble(value(args, ++i)); break;
                case "--only": only = value(args, ++i); break;
                case "--prior": prior = Path.of(value(args, ++i)); break;
                case "-h": case "--help":
                    System.out.println("usage: Main [--torch TORCH_JSON | --torch-serve PYTHON SCRIPT] [--json OUT] [--min-time SECONDS] [--only NAME_PREFIX] [--prior NNLAB_JSON]");
                    return;
                default:
                    System.err.println("unknown argument " + args[i] + " (try --help)");
                    System.exit(2);
            }
        }
        Map<String, Double> torchUs = torch != null ? readRows(torch, "torch_us") : Map.of();
        Map<String, Double> priorUs = prior != null ? readRows(prior, "nnlab_us") : Map.of();
        Map<String, Double> priorThreads = prior != null ? readRows(prior, "threads") : Map.of();
        int threads = Timer.blasThreads();
        TorchPeer peer = null;
        if (python != null) {
            try {
                peer = new TorchPeer(python, torchScript, minTime);
                System.out.println("PyTorch " + peer.version + " timed just before and just after each nnlab row (its best of"
                        + " 1 and 2 threads; torch us is the mean of the two)");
            } catch (IOException | RuntimeException e) {
                System.out.println("PyTorch could not be started (" + e.getMessage() + "); showing nnlab alone");
            }
        }
        List<Row> rows = new ArrayList<>();
        System.out.printf(Locale.ROOT,
                "nnlab on %s, BLAS %s, stats scan %s; median of blocked autorange (%.1f s per row, after a warm-up"
                        + " until times and the JIT settle, at most %.0f s)%n",
                System.getProperty("java.version"), dev.nnlab.tensor.Tensor.blasBackend(),
                dev.nnlab.hooks.TensorStats.scanKind(), minTime, MAX_WARMUP);
        System.out.printf(Locale.ROOT, "  %-16s %-7s %12s %8s %12s %8s%n", "name", "mode", "nnlab us", "threads",
                "torch us", "ratio");
        for (Workloads.Workload w : Workloads.all()) {
            if (!w.name().startsWith(only)) continue;
            String key = w.name() + "/" + w.mode();
            TorchPeer.Timing before = peer != null ? peer.time(w.name(), w.mode()) : null;
            if (before != null) Thread.sleep(QUIET_MS);
            dev.nnlab.tensor.Tensor.peakThreads();
            double us = new Timer(w.body()).minTime(minTime).warmup(0.2, MAX_WARMUP).blockedAutorange().median() * 1e6;
            // the library's own choice unless OPENBLAS_NUM_THREADS fixes it
            int used = threads > 0 ? threads : dev.nnlab.tensor.Tensor.peakThreads();
            if (priorUs.containsKey(key) && priorUs.get(key) < us) {
                us = priorUs.get(key);
                used = priorThreads.get(key).intValue();
            }
            TorchPeer.Timing after = before != null ? peer.time(w.name(), w.mode()) : null;
            Double t = after != null ? Double.valueOf(round((before.us() + after.us()) / 2)) : torchUs.get(key);
            Row row = new Row(w.name(), w.mode(), round(us), t, t == null ? null : Math.round(us / t * 10000) / 10000.0, used,
                    after != null ? before.us() : null, after != null ? after.us() : null);
            rows.add(row);
            double drift = after != null ? Math.abs(before.us() - after.us()) / t : 0;
            System.out.printf(Locale.ROOT, "  %-16s %-7s %12.1f %8d %12s %8s%s%s%n", row.name(), row.mode(), row.nnlabUs(),
                    row.threads(),
                    t == null ? "-" : String.format(Locale.ROOT, "%.1f", t),
                    row.ratio() == null ? "-" : String.format(Locale.ROOT, "%.2f", row.ratio()),
                    w.flops() > 0 ? String.format(Locale.ROOT, "  %.1f GFLOPS", w.flops() / us / 1e3) : "",
                    drift > DRIFT ? String.format(Locale.ROOT, "  (PyTorch %.1f then %.1f us: the machine's speed moved)",
                            before.us(), after.us()) : "");
        }
        if (peer != null) peer.close();
        System.out.println("stats scan after the rows: " + dev.nnlab.hooks.TensorStats.scanKind());
        if (json != null) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("rows", rows);
            Gson gson = new GsonBuilder().setPrettyPrinting().serializeNulls()
                    .setFieldNamingPolicy(com.google.gson.FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES).create();
            Files.writeString(json, gson.toJson(out));
        }
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) throw new IllegalArgumentException(args[i - 1] + " needs a value");
        return args[i];
    }

    private static Map<String, Double> readRows(Path file, String field) throws IOException {
        JsonObject root = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        Map<String, Double> out = new LinkedHashMap<>();
        for (JsonElement e : root.getAsJsonArray("rows")) {
            JsonObject r = e.getAsJsonObject();
            out.put(r.get("name").getAsString() + "/" + r.get("mode").getAsString(), r.get(field).getAsDouble());
        }
        return out;
    }
}
