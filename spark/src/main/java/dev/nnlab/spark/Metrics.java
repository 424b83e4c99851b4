package dev.nnlab.spark;

import dev.nnlab.gradflow.DeadUnits;
import dev.nnlab.gradflow.Finding;
import dev.nnlab.gradflow.GradFlowReport;
import dev.nnlab.gradflow.LayerGrad;
import dev.nnlab.hooks.Recorder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;

/**
 * The toolkit's results as a trial's metrics, so that what a trial saw on its executor becomes columns of its row
 * in the sweep's table: {@code return Metrics.join(Map.of("loss", loss), Metrics.of(GradFlow.report(model)));}.
 */
public final class Metrics {
    /** The Recorder statistics {@link #of(Recorder)} reports by default. */
    public static final List<String> RECORDER_STATS = List.of("mean", "std", "zero_frac");

    private Metrics() {
    }

    /**
     * A gradient-flow report: the count of findings of each kind ({@code gradflow.vanishing}, {@code .exploding},
     * {@code .dead}, {@code .missing}, {@code .update_ratio}, and {@code gradflow.findings} in all), the mean |grad|
     * of each parameter shown ({@code grad.0.weight}) and, when watched, the dead fraction of each ReLU-family
     * module ({@code dead.1}).
     */
    public static Map<String, Double> of(GradFlowReport report) {
        if (report == null) {
            throw new IllegalArgumentException("no gradient-flow report (null): GradFlow.report(model) after backward");
        }
        List<Finding> findings = report.findings();
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("gradflow.findings", (double) findings.size());
        out.put("gradflow.vanishing", count(findings, Finding.Vanishing.class));
        out.put("gradflow.exploding", count(findings, Finding.Exploding.class));
        out.put("gradflow.dead", count(findings, Finding.Dead.class));
        out.put("gradflow.missing", count(findings, Finding.Missing.class));
        out.put("gradflow.update_ratio", count(findings, Finding.UpdateRatio.class));
        for (LayerGrad g : report.rows()) {
            out.put("grad." + g.name(), g.meanAbs());
        }
        for (DeadUnits d : report.activations()) {
            out.put("dead." + d.layer(), d.fraction());
        }
        return out;
    }

    /** A recorder's running statistics {@link #RECORDER_STATS}, one metric per module, kind and statistic. */
    public static Map<String, Double> of(Recorder recorder) {
        return of(recorder, RECORDER_STATS.toArray(new String[0]));
    }

    /**
     * A recorder's running statistics, named {@code module.kind.stat} ({@code 1.output.zero_frac}); {@code stats} are
     * columns of {@link Recorder#table()}: mean, std, min, max, norm, zero_frac, calls, nan, inf.
     */
    public static Map<String, Double> of(Recorder recorder, String... stats) {
        if (recorder == null) {
            throw new IllegalArgumentException("no recorder (null): Recorder.on(model).attach()");
        }
        Table t = recorder.table();
        for (String s : stats) {
            if (!t.containsColumn(s) || !t.column(s).type().name().matches("DOUBLE|LONG|INTEGER")) {
                throw new IllegalArgumentException("'" + s + "' is not a statistic of the recorder; it has mean, std,"
                        + " min, max, norm, zero_frac, calls, nan and inf");
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (Row r : t) {
            String key = r.getString("module") + "." + r.getString("kind") + ".";
            for (String s : stats) {
                out.put(key + s, r.getNumber(s));
            }
        }
        return out;
    }

    /** Several metric maps as one, in order; a name that two of them share is an error. */
    @SafeVarargs
    public static Map<String, Double> join(Map<String, Double>... parts) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map<String, Double> p : parts) {
            for (Map.Entry<String, Double> e : p.entrySet()) {
                if (out.put(e.getKey(), e.getValue()) != null) {
                    throw new IllegalArgumentException("two metrics are named '" + e.getKey() + "'");
                }
            }
        }
        return out;
    }

    private static double count(List<Finding> findings, Class<? extends Finding> kind) {
        return findings.stream().filter(kind::isInstance).count();
    }
}
