package dev.nnlab.gradflow;

import dev.nnlab.plot.Images;

import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The recorded steps of a {@link GradFlowWatch}, oldest first: a long table (step, parameter, numbers), a line chart
 * or heatmap of mean |grad| per parameter over steps, and the update-ratio chart.
 *
 * @param reports one per recorded step
 * @param every   the watch's recording interval in steps
 */
public record GradFlowHistory(List<GradFlowReport> reports, int every, Thresholds thresholds) {
    public GradFlowHistory {
        reports = List.copyOf(reports);
    }

    /** The same history with or without biases. */
    public GradFlowHistory withBiases(boolean on) {
        List<GradFlowReport> r = new ArrayList<>();
        for (GradFlowReport x : reports) r.add(x.withBiases(on));
        return new GradFlowHistory(r, every, thresholds);
    }

    public boolean isEmpty() {
        return reports.isEmpty();
    }

    public int size() {
        return reports.size();
    }

    /** The last record, or null when nothing was recorded. */
    public GradFlowReport latest() {
        return reports.isEmpty() ? null : reports.get(reports.size() - 1);
    }

    /** The steps recorded, oldest first. */
    public long[] steps() {
        long[] s = new long[reports.size()];
        for (int i = 0; i < s.length; i++) s[i] = reports.get(i).step();
        return s;
    }

    /** One row per recorded step and parameter. */
    public Table table() {
        List<Long> step = new ArrayList<>();
        List<String> name = new ArrayList<>();
        List<Double> mean = new ArrayList<>(), max = new ArrayList<>(), norm = new ArrayList<>();
        List<Double> zero = new ArrayList<>(), ratio = new ArrayList<>(), dist = new ArrayList<>();
        for (GradFlowReport r : reports) {
            for (LayerGrad g : r.rows()) {
                step.add(r.step());
                name.add(g.name());
                mean.add(g.meanAbs());
                max.add(g.maxAbs());
                norm.add(g.norm());
                zero.add(g.zeroFraction());
                ratio.add(g.updateRatio());
                dist.add(g.distance());
            }
        }
        LongColumn steps = LongColumn.create("step", step.size());
        for (int i = 0; i < step.size(); i++) steps.set(i, (long) step.get(i));
        return Table.create("gradient flow history", steps, StringColumn.create("parameter", name),
                GradFlowReport.sci(DoubleColumn.create("mean |grad|", mean)),
                GradFlowReport.sci(DoubleColumn.create("max |grad|", max)),
                GradFlowReport.sci(DoubleColumn.create("grad norm", norm)),
                GradFlowReport.percent(DoubleColumn.create("zero grads", zero)),
                GradFlowReport.fixed(DoubleColumn.create("log10 update ratio", ratio)),
                GradFlowReport.sci(DoubleColumn.create("distance from init", dist)));
    }

    /** Mean |grad| per parameter over the recorded steps, on a log axis. */
    public XYChart lineChart() {
        return lineChart(GradFlowReport.WIDTH, GradFlowReport.HEIGHT);
    }

    public XYChart lineChart(int width, int height) {
        XYChart c = xy(width, height, "Mean |grad| over steps", "mean |grad| (log scale)", "0.##E0");
        boolean any = false;
        for (Map.Entry<String, double[][]> e : series(true).entrySet()) {
            if (e.getValue()[0].length == 0) continue;
            // a single recorded step would be an invisible line: show its point
            c.addSeries(e.getKey(), e.getValue()[0], e.getValue()[1])
                    .setMarker(e.getValue()[0].length == 1 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
            any = true;
        }
        if (any) c.getStyler().setYAxisLogarithmic(true);
        else c.addSeries("(no gradients recorded)", new double[] {0}, new double[] {0});
        return c;
    }

    /** The update:parameter ratio (log10) per parameter over the recorded steps, with DL4J's healthy band. */
    public XYChart updateRatioChart() {
        return updateRatioChart(GradFlowReport.WIDTH, GradFlowReport.HEIGHT);
    }

    public XYChart updateRatioChart(int width, int height) {
        XYChart c = xy(width, height, "Update:parameter ratio over steps", "log10(mean |update| / mean |param|)", "0.0");
        boolean any = false;
        for (Map.Entry<String, double[][]> e : series(false).entrySet()) {
            if (e.getValue()[0].length == 0) continue;
            // a single recorded step would be an invisible line: show its point
            c.addSeries(e.getKey(), e.getValue()[0], e.getValue()[1])
                    .setMarker(e.getValue()[0].length == 1 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
            any = true;
        }
        long[] s = steps();
        double x0 = s.length == 0 ? 0 : s[0], x1 = s.length == 0 ? 1 : Math.max(s[s.length - 1], x0 + 1);
        band(c, "too large above " + thresholds.ratioHigh(), thresholds.ratioHigh(), x0, x1);
        band(c, "too small below " + thresholds.ratioLow(), thresholds.ratioLow(), x0, x1);
        if (!any) c.setTitle("Update:parameter ratio over steps (no optimizer step seen)");
        return c;
    }

    private static void band(XYChart c, String name, double y, double x0, double x1) {
        XYSeries b = c.addSeries(name, new double[] {x0, x1}, new double[] {y, y});
        b.setMarker(SeriesMarkers.NONE);
        b.setLineStyle(SeriesLines.DASH_DASH);
        b.setLineColor(Color.GRAY);
    }

    /** Log10 mean |grad|: parameters as rows, recorded steps as columns. */
    public HeatMapChart heatmap() {
        return heatmap(GradFlowReport.WIDTH, GradFlowReport.HEIGHT);
    }

    public HeatMapChart heatmap(int width, int height) {
        HeatMapChart c = new HeatMapChartBuilder().width(width).height(height).title("log10 mean |grad|")
                .xAxisTitle("step").yAxisTitle("parameter").build();
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        c.getStyler().setRangeColors(new Color[] {new Color(20, 20, 120), new Color(40, 170, 160), new Color(250, 230, 60)});
        List<String> params = new ArrayList<>();
        for (GradFlowReport r : reports) for (LayerGrad g : r.rows()) if (!params.contains(g.name())) params.add(g.name());
        List<Long> xs = new ArrayList<>();
        List<Number[]> cells = new ArrayList<>();
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < reports.size(); i++) {
            xs.add(reports.get(i).step());
            for (LayerGrad g : reports.get(i).rows()) {
                if (!(g.meanAbs() > 0) || Double.isInfinite(g.meanAbs())) continue;
                double v = Math.log10(g.meanAbs());
                min = Math.min(min, v);
                max = Math.max(max, v);
                cells.add(new Number[] {i, params.indexOf(g.name()), v});
            }
        }
        if (cells.isEmpty()) {
            xs.clear();
            xs.add(0L);
            params.clear();
            params.add("(no gradients recorded)");
            cells.add(new Number[] {0, 0, 0.0});
            min = -1;
            max = 1;
        }
        if (max <= min) max = min + 1;
        c.getStyler().setHeatMapDecimalValueFormatter(v -> String.format(java.util.Locale.ROOT, "%.1f", v));
        c.getStyler().setMin(min);
        c.getStyler().setMax(max);
        c.addSeries("log10 mean |grad|", xs, params, cells);
        return c;
    }

    /** Per parameter: x = step, y = mean |grad| (grads) or the log10 update ratio (grads false), finite points only. */
    private Map<String, double[][]> series(boolean grads) {
        Map<String, List<double[]>> pts = new LinkedHashMap<>();
        for (GradFlowReport r : reports) {
            for (LayerGrad g : r.rows()) {
                double v = grads ? g.meanAbs() : g.updateRatio();
                List<double[]> l = pts.computeIfAbsent(g.name(), k -> new ArrayList<>());
                if (Double.isFinite(v) && (!grads || v > 0)) l.add(new double[] {r.step(), v});
            }
        }
        Map<String, double[][]> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<double[]>> e : pts.entrySet()) {
            double[][] xy = new double[2][e.getValue().size()];
            for (int i = 0; i < xy[0].length; i++) {
                xy[0][i] = e.getValue().get(i)[0];
                xy[1][i] = e.getValue().get(i)[1];
            }
            out.put(e.getKey(), xy);
        }
        return out;
    }

    private static XYChart xy(int width, int height, String title, String yTitle, String yPattern) {
        XYChart c = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle("step")
                .yAxisTitle(yTitle).build();
        XYStyler st = c.getStyler();
        st.setChartBackgroundColor(Color.WHITE);
        st.setLegendPosition(Styler.LegendPosition.OutsideE);
        st.setYAxisDecimalPattern(yPattern);
        st.setXAxisDecimalPattern("0");
        return c;
    }

    /** The line chart as PNG bytes. */
    public byte[] png(int width, int height) {
        return Images.png(lineChart(width, height));
    }

    /** Saves the line chart of mean |grad| over steps as PNG or SVG (by the extension). */
    public Path save(String path) {
        return Images.save(lineChart(), path);
    }

    @Override
    public String toString() {
        if (reports.isEmpty()) return "gradient flow history: nothing recorded yet (every " + every + " steps)";
        long[] s = steps();
        return "gradient flow history: " + s.length + " records, steps " + s[0] + ".." + s[s.length - 1] + " (every "
                + every + ")\n\n" + latest();
    }
}
