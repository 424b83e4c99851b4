package dev.nnlab.bench;

import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How to show many {@link Measurement}s, as {@code torch.utils.benchmark.Compare}: one row per label (a model), one
 * column per mode, medians trimmed to their significant figures, each time's ratio to the fastest in its column, and
 * measurements with a wide spread marked {@code (! 14%)}. As text ({@link #toString}), a Tablesaw {@link #table} and
 * an XChart {@link #chart}.
 */
public final class Compare {
    private final String title;
    private final List<Measurement> measurements;
    private final List<String> notes;
    private final List<String> rows = new ArrayList<>();
    private final List<String> columns = new ArrayList<>();
    private final Map<String, Measurement> byCell = new LinkedHashMap<>();
    private final Measurement.Unit unit;

    public Compare(String title, List<Measurement> measurements, List<String> notes) {
        if (measurements == null || measurements.isEmpty()) {
            throw new IllegalArgumentException("Compare needs at least one measurement");
        }
        this.title = title == null ? "" : title;
        this.measurements = List.copyOf(measurements);
        this.notes = notes == null ? List.of() : List.copyOf(notes);
        double fastest = Double.POSITIVE_INFINITY;
        for (Measurement m : measurements) {
            if (!rows.contains(m.label())) rows.add(m.label());
            if (!columns.contains(m.mode())) columns.add(m.mode());
            if (byCell.put(key(m.label(), m.mode()), m) != null) {
                throw new IllegalArgumentException("two measurements for " + m.label() + " / " + m.mode());
            }
            fastest = Math.min(fastest, m.median());
        }
        unit = Measurement.Unit.of(fastest);
    }

    public Compare(String title, List<Measurement> measurements) {
        this(title, measurements, List.of());
    }

    public static Compare of(Measurement... measurements) {
        return new Compare("", Arrays.asList(measurements));
    }

    public String title() {
        return title;
    }

    public List<Measurement> measurements() {
        return measurements;
    }

    /** Row labels (models) in first-seen order. */
    public List<String> rows() {
        return List.copyOf(rows);
    }

    /** Column names (modes) in first-seen order. */
    public List<String> columns() {
        return List.copyOf(columns);
    }

    /** Explanations shown under the table. */
    public List<String> notes() {
        return notes;
    }

    /** The measurement of a row and column, or null when there is none. */
    public Measurement get(String row, String column) {
        return byCell.get(key(row, column));
    }

    /** The display unit's symbol, chosen from the fastest median (ns, µs, ms or s). */
    public String unit() {
        return unit.symbol;
    }

    /** Median of a cell divided by the fastest median in its column (1.0 for the fastest); NaN when missing. */
    public double relative(String row, String column) {
        Measurement m = get(row, column);
        if (m == null) return Double.NaN;
        double fastest = Double.POSITIVE_INFINITY;
        for (String r : rows) {
            Measurement o = get(r, column);
            if (o != null) fastest = Math.min(fastest, o.median());
        }
        return fastest == 0 ? Double.NaN : m.median() / fastest;
    }

    /** A cell's median in {@link #unit}, trimmed to its significant figures; NaN when missing. */
    public double value(String row, String column) {
        Measurement m = get(row, column);
        return m == null ? Double.NaN : Measurement.trim(m.median() / unit.scale, m.significantFigures());
    }

    /**
     * A cell as shown: the trimmed median with as many decimals as the column's least precise entry supports
     * (PyTorch's rule), then {@code (! 14%)} when IQR/median is above 10%; empty when missing.
     */
    public String cell(String row, String column) {
        Measurement m = get(row, column);
        if (m == null) return "";
        String s = String.format(Locale.ROOT, "%." + decimals(column) + "f", value(row, column));
        return m.hasWarnings() ? s + String.format(Locale.ROOT, " (! %.0f%%)", m.relativeIqr() * 100) : s;
    }

    /** A cell's ratio to the fastest in its column, as shown ("1.00x"); empty when missing. */
    public String relativeCell(String row, String column) {
        double r = relative(row, column);
        return Double.isNaN(r) ? "" : String.format(Locale.ROOT, "%.2fx", r);
    }

    private int decimals(String column) {
        int d = Integer.MAX_VALUE;
        for (String r : rows) {
            Measurement m = get(r, column);
            if (m == null || m.median() == 0) continue;
            int leading = (int) Math.ceil(Math.log10(m.median() / unit.scale));
            d = Math.min(d, Math.max(m.significantFigures() - leading, 0));
        }
        return d == Integer.MAX_VALUE ? 1 : d;
    }

    /** The warnings of every measurement that has any, one line each, naming its row and column. */
    public List<String> warnings() {
        List<String> out = new ArrayList<>();
        for (Measurement m : measurements) {
            for (String w : m.warnings()) out.add(name(m) + ": " + w);
        }
        return out;
    }

    /**
     * The numbers as a Tablesaw table: a {@code model} column, then per mode the trimmed median in {@link #unit}
     * ("fwd (µs)") and the ratio to the column's fastest ("fwd rel"), then {@code warnings} (the marked cells).
     */
    public Table table() {
        Table t = Table.create(title.isEmpty() ? "benchmark" : title);
        t.addColumns(StringColumn.create("model", rows));
        for (String c : columns) {
            double[] v = new double[rows.size()], rel = new double[rows.size()];
            for (int i = 0; i < rows.size(); i++) {
                v[i] = value(rows.get(i), c);
                rel[i] = Math.rint(relative(rows.get(i), c) * 100) / 100;
            }
            t.addColumns(DoubleColumn.create(header(c), v), DoubleColumn.create(prefix(c) + "rel", rel));
        }
        String[] marks = new String[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            List<String> flagged = new ArrayList<>();
            for (String c : columns) {
                Measurement m = get(rows.get(i), c);
                if (m != null && m.hasWarnings()) {
                    flagged.add(String.format(Locale.ROOT, "%sIQR %.0f%%", prefix(c), m.relativeIqr() * 100));
                }
            }
            marks[i] = String.join(", ", flagged);
        }
        t.addColumns(StringColumn.create("warnings", marks));
        return t;
    }

    /** The header of a column's times, such as "fwd (µs)". */
    public String header(String column) {
        return prefix(column) + "(" + unit.symbol + ")";
    }

    private static String prefix(String column) {
        return column.isEmpty() ? "" : column + " ";
    }

    /** A grouped bar chart, 800 x 400: modes along the axis, one bar per model, the median in {@link #unit}. */
    public CategoryChart chart() {
        return chart(800, 400);
    }

    public CategoryChart chart(int width, int height) {
        CategoryChart chart = new CategoryChartBuilder().width(width).height(height)
                .title(title.isEmpty() ? "benchmark" : title)
                .xAxisTitle(columns.size() == 1 && columns.get(0).isEmpty() ? "" : "mode")
                .yAxisTitle("median (" + unit.symbol + ")").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        List<String> x = new ArrayList<>();
        for (String c : columns) x.add(c.isEmpty() ? "time" : c);
        for (String r : rows) {
            List<Double> y = new ArrayList<>();
            for (String c : columns) {
                Measurement m = get(r, c);
                y.add(m == null ? 0.0 : m.median() / unit.scale);
            }
            chart.addSeries(r.isEmpty() ? "stmt" : r, x, y);
        }
        return chart;
    }

    /** PyTorch's layout: a titled table of times with their relative figures, the unit, warnings and notes. */
    @Override
    public String toString() {
        List<String[]> lines = new ArrayList<>();
        List<String> head = new ArrayList<>(List.of(""));
        for (String c : columns) {
            head.add(header(c));
            head.add(prefix(c) + "rel");
        }
        lines.add(head.toArray(new String[0]));
        for (String r : rows) {
            List<String> line = new ArrayList<>(List.of(r));
            for (String c : columns) {
                line.add(cell(r, c));
                line.add(relativeCell(r, c));
            }
            lines.add(line.toArray(new String[0]));
        }
        int[] width = new int[head.size()];
        for (String[] l : lines) {
            for (int i = 0; i < l.length; i++) width[i] = Math.max(width[i], l[i].length());
        }
        StringBuilder b = new StringBuilder();
        int total = 0;
        for (int w : width) total += w + 3;
        String t = title.isEmpty() ? "" : " " + title + " ";
        int dashes = Math.max(4, total - t.length() - 2);
        b.append('[').append("-".repeat(dashes / 2)).append(t).append("-".repeat(dashes - dashes / 2)).append("]\n");
        for (String[] l : lines) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < l.length; i++) {
                String pad = " ".repeat(width[i] - l[i].length());
                line.append(i == 0 ? l[i] + pad : "   " + pad + l[i]);
            }
            b.append(line.toString().stripTrailing()).append('\n');
        }
        b.append("\nTimes are medians in ").append(unit.word).append(" (").append(unit.symbol)
                .append("); rel is the ratio to the fastest in the column.");
        List<String> warnings = warnings();
        if (!warnings.isEmpty()) {
            b.append("\nWarnings ((! N%) marks IQR/median above ").append((int) (Measurement.WARN * 100)).append("%):");
            for (String w : warnings) b.append("\n  ").append(w);
        }
        for (String n : notes) b.append("\n").append(n);
        return b.toString();
    }

    private static String name(Measurement m) {
        return m.mode().isEmpty() ? m.label() : m.label() + " " + m.mode();
    }

    private static String key(String row, String column) {
        return row + "\u0000" + column;
    }
}
