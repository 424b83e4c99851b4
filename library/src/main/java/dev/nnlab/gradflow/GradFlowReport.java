package dev.nnlab.gradflow;

import dev.nnlab.plot.Images;

import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.style.CategoryStyler;
import org.knowm.xchart.style.Styler;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.numbers.NumberColumnFormatter;

import java.awt.Color;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The gradient flow of one backward: a row per parameter ({@link #rows()}: weights, or biases too), the ReLU-family
 * dead-unit counts when watched, and the {@link #findings()}. Prints as an aligned table plus the findings;
 * {@link #table()} and {@link #chart()} give the Tablesaw table and the XChart bar chart, {@link #save} a PNG or SVG.
 *
 * @param step        the training step (a forward of the watched model, from 0), or -1 for a one-off report
 * @param grads       every parameter, weights and biases, in forward order when watched (else registration order)
 * @param activations dead-unit counts of the ReLU-family modules (empty unless watched)
 * @param biases      whether {@link #rows()}, the table, the chart and the findings include biases
 */
public record GradFlowReport(long step, List<LayerGrad> grads, List<DeadUnits> activations, Thresholds thresholds,
                             boolean biases) {
    static final int WIDTH = 800;
    static final int HEIGHT = 450;

    public GradFlowReport {
        grads = List.copyOf(grads);
        activations = List.copyOf(activations);
        if (thresholds == null) throw new IllegalArgumentException("thresholds must not be null");
    }

    /** The same report with or without biases. */
    public GradFlowReport withBiases(boolean on) {
        return new GradFlowReport(step, grads, activations, thresholds, on);
    }

    /** The same numbers judged by other thresholds (dead-unit counts keep the watch's {@code deadBatch}). */
    public GradFlowReport withThresholds(Thresholds t) {
        return new GradFlowReport(step, grads, activations, t, biases);
    }

    /** The rows shown: weights only unless {@link #biases()}. */
    public List<LayerGrad> rows() {
        List<LayerGrad> out = new ArrayList<>();
        for (LayerGrad g : grads) if (biases || !g.isBias()) out.add(g);
        return out;
    }

    /** The row of one parameter by name, like {@code "0.weight"}. */
    public LayerGrad row(String name) {
        for (LayerGrad g : grads) if (g.name().equals(name)) return g;
        throw new IllegalArgumentException("no parameter named '" + name + "' in this report");
    }

    /** What looks wrong, in forward order by kind: missing, exploding, vanishing, dead, update ratio. Empty when healthy. */
    public List<Finding> findings() {
        Thresholds t = thresholds;
        List<LayerGrad> rows = rows();
        List<Finding> out = new ArrayList<>();
        for (LayerGrad g : rows) if (!g.hasGrad() && !g.frozen()) out.add(new Finding.Missing(g.name(), g.type()));
        for (LayerGrad g : rows) {
            if (!g.hasGrad()) continue;
            if (g.nonFinite() > 0 || g.norm() > t.explodingNorm()) {
                out.add(new Finding.Exploding(g.name(), g.norm(), g.nonFinite(), t.explodingNorm()));
            }
        }
        LayerGrad top = null;
        for (LayerGrad g : rows) {
            if (g.hasGrad() && Double.isFinite(g.meanAbs()) && (top == null || g.meanAbs() > top.meanAbs())) top = g;
        }
        if (top != null) {
            double bar = top.meanAbs() / Math.pow(10, t.vanishingOrders());
            for (LayerGrad g : rows) {
                if (!g.hasGrad() || !Double.isFinite(g.meanAbs())) continue;
                if (g.meanAbs() < t.vanishingFloor() || g.meanAbs() < bar) {
                    out.add(new Finding.Vanishing(g.name(), g.meanAbs(), top.name(), top.meanAbs(), t.vanishingFloor()));
                }
            }
        }
        for (DeadUnits d : activations) {
            if (d.units() > 0 && d.dead() > 0 && d.fraction() > t.deadUnits()) {
                out.add(new Finding.Dead(d.layer(), d.type(), d.dead(), d.units(), d.deadBatch()));
            }
        }
        for (LayerGrad g : rows) {
            double r = g.updateRatio();
            if (g.hasGrad() && !Double.isNaN(r) && (r < t.ratioLow() || r > t.ratioHigh())) {
                out.add(new Finding.UpdateRatio(g.name(), r, t.ratioLow(), t.ratioHigh()));
            }
        }
        return out;
    }

    /** No findings. */
    public boolean isHealthy() {
        return findings().isEmpty();
    }

    /** The rows as a Tablesaw table; the update-ratio and distance columns appear once an optimizer step was seen. */
    public Table table() {
        List<LayerGrad> rows = rows();
        int n = rows.size();
        String[] names = new String[n], types = new String[n], shapes = new String[n], notes = new String[n];
        double[] mean = new double[n], max = new double[n], norm = new double[n], zero = new double[n];
        double[] ratio = new double[n], dist = new double[n];
        boolean stepped = false, watched = false;
        for (int i = 0; i < n; i++) {
            LayerGrad g = rows.get(i);
            names[i] = g.name();
            types[i] = g.type();
            shapes[i] = g.shape();
            notes[i] = g.note();
            mean[i] = g.meanAbs();
            max[i] = g.maxAbs();
            norm[i] = g.norm();
            zero[i] = g.zeroFraction();
            ratio[i] = g.updateRatio();
            dist[i] = g.distance();
            stepped |= !Double.isNaN(ratio[i]);
            watched |= !Double.isNaN(dist[i]);
        }
        Table t = Table.create(step < 0 ? "gradient flow" : "gradient flow, step " + step,
                StringColumn.create("parameter", names), StringColumn.create("type", types),
                StringColumn.create("shape", shapes), sci(DoubleColumn.create("mean |grad|", mean)),
                sci(DoubleColumn.create("max |grad|", max)), sci(DoubleColumn.create("grad norm", norm)),
                percent(DoubleColumn.create("zero grads", zero)));
        if (stepped) t.addColumns(fixed(DoubleColumn.create("log10 update ratio", ratio)));
        if (watched) t.addColumns(sci(DoubleColumn.create("distance from init", dist)));
        t.addColumns(StringColumn.create("note", notes));
        return t;
    }

    /** The dead-unit counts of the watched ReLU-family modules as a table. */
    public Table deadTable() {
        int n = activations.size();
        String[] layers = new String[n], types = new String[n];
        long[] units = new long[n], dead = new long[n];
        double[] frac = new double[n];
        for (int i = 0; i < n; i++) {
            DeadUnits d = activations.get(i);
            layers[i] = d.layer();
            types[i] = d.type();
            units[i] = d.units();
            dead[i] = d.dead();
            frac[i] = d.fraction();
        }
        return Table.create("dead units", StringColumn.create("module", layers), StringColumn.create("type", types),
                LongColumn.create("units", units), LongColumn.create("dead", dead),
                percent(DoubleColumn.create("dead fraction", frac)));
    }

    static DoubleColumn sci(DoubleColumn c) {
        c.setPrintFormatter(new NumberColumnFormatter(new DecimalFormat("0.00E0", DecimalFormatSymbols.getInstance(Locale.ROOT)), ""));
        return c;
    }

    static DoubleColumn percent(DoubleColumn c) {
        c.setPrintFormatter(NumberColumnFormatter.percent(1));
        return c;
    }

    static DoubleColumn fixed(DoubleColumn c) {
        c.setPrintFormatter(new NumberColumnFormatter(new DecimalFormat("0.00", DecimalFormatSymbols.getInstance(Locale.ROOT)), ""));
        return c;
    }

    /** The bar chart of max and mean |grad| per parameter (forward order when watched, else registration order). */
    public CategoryChart chart() {
        return chart(WIDTH, HEIGHT, false);
    }

    /** The bar chart, on a log10 axis when {@code log} (zeros and missing gradients are left out there). */
    public CategoryChart chart(boolean log) {
        return chart(WIDTH, HEIGHT, log);
    }

    public CategoryChart chart(int width, int height, boolean log) {
        List<LayerGrad> rows = rows();
        List<String> x = new ArrayList<>();
        List<Double> max = new ArrayList<>(), mean = new ArrayList<>();
        for (LayerGrad g : rows) {
            x.add(g.hasGrad() ? g.name() : g.name() + " (no grad)");
            max.add(plotted(g.maxAbs(), log));
            mean.add(plotted(g.meanAbs(), log));
        }
        CategoryChart c = new CategoryChartBuilder().width(width).height(height)
                .title(step < 0 ? "Gradient flow" : "Gradient flow, step " + step)
                .xAxisTitle((biases ? "parameter" : "weight") + (step < 0 ? " (registration order)" : " (forward order)"))
                .yAxisTitle(log ? "|grad| (log scale)" : "|grad|").build();
        CategoryStyler st = c.getStyler();
        st.setOverlapped(true);
        st.setLegendPosition(Styler.LegendPosition.OutsideS);
        st.setLegendLayout(Styler.LegendLayout.Horizontal);
        st.setXAxisLabelRotation(rows.size() > 6 ? 60 : 0);
        st.setYAxisLogarithmic(log);
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotGridVerticalLinesVisible(false);
        st.setSeriesColors(new Color[] {new Color(0, 190, 200, 160), new Color(30, 60, 200, 220)});
        if (rows.isEmpty()) {
            x.add("(no parameters)");
            max.add(null);
            mean.add(null);
        }
        double lowest = Double.POSITIVE_INFINITY, highest = 0;
        for (Double v : mean) if (v != null) lowest = Math.min(lowest, v);
        for (Double v : max) if (v != null) highest = Math.max(highest, v);
        if (log && highest > 0) {
            // bars grow from the axis minimum, which a log axis needs below every value
            st.setYAxisMin(Math.pow(10, Math.floor(Math.log10(lowest))));
            st.setYAxisMax(Math.pow(10, Math.ceil(Math.log10(highest))));
        } else {
            st.setYAxisLogarithmic(false);
        }
        boolean plain = !st.isYAxisLogarithmic() && highest >= 1e-3 && highest < 1e4;
        st.setYAxisDecimalPattern(plain ? "0.####" : st.isYAxisLogarithmic() ? "0.#E0" : "0.##E0");
        c.addSeries("max |grad|", x, log ? max : zeroed(max));
        c.addSeries("mean |grad|", x, log ? mean : zeroed(mean));
        return c;
    }

    private static Double plotted(double v, boolean log) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return null;
        if (log && v <= 0) return null;
        return v;
    }

    /** A missing bar drawn as 0 on a linear axis. */
    private static List<Double> zeroed(List<Double> v) {
        List<Double> out = new ArrayList<>(v.size());
        for (Double d : v) out.add(d == null ? 0.0 : d);
        return out;
    }

    /** The log10 update:parameter ratio per parameter of the last optimizer step, with DL4J's healthy band. */
    public CategoryChart updateChart() {
        return updateChart(WIDTH, HEIGHT);
    }

    public CategoryChart updateChart(int width, int height) {
        List<LayerGrad> rows = rows();
        List<String> x = new ArrayList<>();
        List<Double> r = new ArrayList<>(), lo = new ArrayList<>(), hi = new ArrayList<>();
        for (LayerGrad g : rows) {
            x.add(g.name());
            double v = g.updateRatio();
            r.add(Double.isFinite(v) ? v : 0.0);
            lo.add(thresholds.ratioLow());
            hi.add(thresholds.ratioHigh());
        }
        if (rows.isEmpty()) {
            x.add("(no parameters)");
            r.add(0.0);
            lo.add(thresholds.ratioLow());
            hi.add(thresholds.ratioHigh());
        }
        CategoryChart c = new CategoryChartBuilder().width(width).height(height)
                .title(step < 0 ? "Update:parameter ratio" : "Update:parameter ratio, step " + step)
                .xAxisTitle(step < 0 ? "parameter (registration order)" : "parameter (forward order)")
                .yAxisTitle("log10(mean |update| / mean |param|)").build();
        CategoryStyler st = c.getStyler();
        st.setLegendPosition(Styler.LegendPosition.OutsideS);
        st.setLegendLayout(Styler.LegendLayout.Horizontal);
        st.setXAxisLabelRotation(rows.size() > 6 ? 60 : 0);
        st.setChartBackgroundColor(Color.WHITE);
        st.setYAxisDecimalPattern("0.0");
        st.setOverlapped(true);
        c.addSeries("log10 update ratio", x, r);
        c.addSeries("too large above", x, hi).setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
        c.addSeries("too small below", x, lo).setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
        return c;
    }

    /** The bar chart as PNG bytes. */
    public byte[] png(int width, int height, boolean log) {
        return Images.png(chart(width, height, log));
    }

    /** The bar chart as SVG bytes. */
    public byte[] svg(int width, int height, boolean log) {
        return Images.svg(chart(width, height, log));
    }

    /** Saves the bar chart as PNG or SVG (by the extension), headless: {@code report.save("gradflow.png")}. */
    public Path save(String path) {
        return Images.save(chart(), path);
    }

    /** The findings as sentences, one a line, or a line saying the gradients look healthy. */
    public String findingsText() {
        List<Finding> f = findings();
        if (f.isEmpty()) return "No findings: gradients look healthy.";
        StringBuilder sb = new StringBuilder();
        for (Finding x : f) sb.append(sb.length() == 0 ? "" : "\n").append(x.message());
        return sb.toString();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(table().printAll());
        if (!activations.isEmpty()) sb.append("\n\n").append(deadTable().printAll());
        return sb.append("\n\n").append(findingsText()).toString();
    }
}
