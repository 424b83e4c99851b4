package dev.nnlab.spark;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/** A sweep's trials: configuration columns, then metrics, seconds, executor and error, one row per trial. */
public final class SweepResult {
    private final List<Config> configs;
    private final List<Sweep.Outcome> outcomes;
    private final double seconds;
    private final String where;

    SweepResult(List<Config> configs, List<Sweep.Outcome> outcomes, double seconds, String where) {
        this.configs = List.copyOf(configs);
        this.outcomes = List.copyOf(outcomes);
        this.seconds = seconds;
        this.where = where;
    }

    public List<Sweep.Outcome> outcomes() {
        return outcomes;
    }

    public List<Sweep.Outcome> failed() {
        return outcomes.stream().filter(Sweep.Outcome::failed).toList();
    }

    /** Wall time of the whole sweep. */
    public double seconds() {
        return seconds;
    }

    public double trialsPerMinute() {
        return outcomes.size() / seconds * 60;
    }

    public Table table() {
        Table t = Table.create("sweep (" + where + ")");
        IntColumn trial = IntColumn.create("trial");
        outcomes.forEach(o -> trial.append(o.index()));
        t.addColumns(trial);
        Set<String> names = new LinkedHashSet<>();
        configs.forEach(c -> names.addAll(c.values().keySet()));
        for (String n : names) {
            t.addColumns(configColumn(n));
        }
        Set<String> metrics = new LinkedHashSet<>();
        outcomes.forEach(o -> metrics.addAll(o.metrics().keySet()));
        for (String m : metrics) {
            DoubleColumn c = DoubleColumn.create(m);
            outcomes.forEach(o -> {
                Double v = o.metrics().get(m);
                if (v == null) {
                    c.appendMissing();
                } else {
                    c.append(v);
                }
            });
            t.addColumns(c);
        }
        DoubleColumn secs = DoubleColumn.create("seconds");
        StringColumn exec = StringColumn.create("executor");
        StringColumn error = StringColumn.create("error");
        outcomes.forEach(o -> {
            secs.append(o.seconds());
            exec.append(o.executor());
            error.append(o.error() == null ? "" : o.error());
        });
        return t.addColumns(secs, exec, error);
    }

    private Column<?> configColumn(String name) {
        List<Object> vs = new ArrayList<>();
        outcomes.forEach(o -> vs.add(configs.get(o.index()).values().get(name)));
        if (vs.stream().allMatch(v -> v instanceof Integer || v instanceof Short || v instanceof Byte)) {
            IntColumn c = IntColumn.create(name);
            vs.forEach(v -> c.append(((Number) v).intValue()));
            return c;
        }
        if (vs.stream().allMatch(v -> v instanceof Number)) {
            DoubleColumn c = DoubleColumn.create(name);
            vs.forEach(v -> c.append(((Number) v).doubleValue()));
            return c;
        }
        StringColumn c = StringColumn.create(name);
        vs.forEach(v -> c.append(String.valueOf(v)));
        return c;
    }

    /** A bar per successful trial, labelled by its configuration. */
    public CategoryChart chart(String metric) {
        List<String> labels = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (Sweep.Outcome o : outcomes) {
            Double v = o.metrics().get(metric);
            if (v != null) {
                labels.add(label(configs.get(o.index())));
                values.add(v);
            }
        }
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no trial reported the metric '" + metric + "'");
        }
        CategoryChart chart = new CategoryChartBuilder().width(640).height(360).title("sweep: " + metric)
                .xAxisTitle("configuration").yAxisTitle(metric).build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setXAxisLabelRotation(30);
        chart.addSeries(metric, labels, values);
        return chart;
    }

    private static String label(Config c) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, Object> e : c.values().entrySet()) {
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(e.getKey()).append('=').append(e.getValue());
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return table().printAll() + String.format("%n%d trials (%d failed) in %.2f s, %.1f trials/min%n",
                outcomes.size(), failed().size(), seconds, trialsPerMinute());
    }
}
