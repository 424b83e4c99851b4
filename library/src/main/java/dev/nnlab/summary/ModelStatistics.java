package dev.nnlab.summary;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * What a {@link Summary} found, like torchinfo's {@code ModelStatistics}: {@link #toString()} is the aligned table,
 * the getters are its numbers. Sizes are in bytes; the table shows MB (10^6 bytes), as torchinfo does.
 */
public final class ModelStatistics {
    private static final String TREE = "├─";
    private final String model;
    private final List<SummaryRow> rows;
    private final int depth;
    private final long totalParams;
    private final long trainableParams;
    private final long multAdds;
    private final long inputBytes;
    private final long forwardBytes;
    private final long savedBytes;
    private final long paramBytes;
    private final double forwardSeconds;

    ModelStatistics(String model, List<SummaryRow> rows, int depth, long totalParams, long trainableParams,
                    long multAdds, long inputBytes, long forwardBytes, long savedBytes, long paramBytes,
                    double forwardSeconds) {
        this.model = model;
        this.rows = List.copyOf(rows);
        this.depth = depth;
        this.totalParams = totalParams;
        this.trainableParams = trainableParams;
        this.multAdds = multAdds;
        this.inputBytes = inputBytes;
        this.forwardBytes = forwardBytes;
        this.savedBytes = savedBytes;
        this.paramBytes = paramBytes;
        this.forwardSeconds = forwardSeconds;
    }

    /** The model's class name. */
    public String model() {
        return model;
    }

    /** One row per module call in forward order, down to the depth limit. */
    public List<SummaryRow> rows() {
        return rows;
    }

    public int depth() {
        return depth;
    }

    /** Parameters of the model, each shared (tied) parameter once. */
    public long totalParams() {
        return totalParams;
    }

    public long trainableParams() {
        return trainableParams;
    }

    public long nonTrainableParams() {
        return totalParams - trainableParams;
    }

    /** Multiply-adds of the whole forward pass (torchinfo's convention). */
    public long totalMultAdds() {
        return multAdds;
    }

    public long inputBytes() {
        return inputBytes;
    }

    /** Bytes of every leaf layer's output, each storage once (views share). */
    public long forwardBytes() {
        return forwardBytes;
    }

    /** Bytes autograd would keep for backward (inputs of Linear/Conv, outputs of ReLU, masks...), each once. */
    public long savedForBackwardBytes() {
        return savedBytes;
    }

    public long paramBytes() {
        return paramBytes;
    }

    /** Input, saved activations and parameters: what one training step holds at least. */
    public long totalBytes() {
        return inputBytes + savedBytes + paramBytes;
    }

    /** Seconds of the whole forward pass (median), NaN unless times were measured. */
    public double forwardSeconds() {
        return forwardSeconds;
    }

    public boolean hasTimes() {
        return !Double.isNaN(forwardSeconds);
    }

    /** The rows as a Tablesaw table, one column per field. */
    public Table toTable() {
        StringColumn layer = StringColumn.create("layer");
        StringColumn path = StringColumn.create("path");
        IntColumn dep = IntColumn.create("depth");
        StringColumn in = StringColumn.create("input shape");
        StringColumn out = StringColumn.create("output shape");
        LongColumn params = LongColumn.create("params");
        DoubleColumn pct = DoubleColumn.create("params %");
        StringColumn kernel = StringColumn.create("kernel shape");
        LongColumn macs = LongColumn.create("mult-adds");
        StringColumn train = StringColumn.create("trainable");
        Table t = Table.create("summary of " + model, layer, path, dep, in, out, params, pct, kernel, macs, train);
        DoubleColumn ms = DoubleColumn.create("time ms");
        DoubleColumn share = DoubleColumn.create("time %");
        if (hasTimes()) {
            t.addColumns(ms, share);
        }
        for (SummaryRow r : rows) {
            layer.append(r.type());
            path.append(r.path());
            dep.append(r.depth());
            in.append(shapes(r.inputShapes()));
            out.append(shapes(r.outputShapes()));
            params.append(r.params());
            pct.append(totalParams == 0 ? 0 : 100.0 * r.params() / totalParams);
            kernel.append(r.kernelShape() == null ? "" : Arrays.toString(r.kernelShape()));
            macs.append(r.multAdds());
            train.append(r.trainable());
            if (hasTimes()) {
                ms.append(r.seconds() * 1e3);
                share.append(100 * r.seconds() / forwardSeconds);
            }
        }
        return t;
    }

    /**
     * Where the model's weight and work sit: for each leaf row (or row at the depth limit), its share of the
     * parameters and of the mult-adds, and of the forward time when measured, in percent.
     */
    public CategoryChart chart() {
        List<String> names = new ArrayList<>();
        List<Double> params = new ArrayList<>();
        List<Double> work = new ArrayList<>();
        List<Double> time = new ArrayList<>();
        for (SummaryRow r : rows) {
            if (r.hasChildren() && r.depth() < depth) {
                continue;
            }
            names.add(r.path().isEmpty() ? r.type() : r.path() + " " + r.type());
            params.add(totalParams == 0 ? 0 : 100.0 * r.params() / totalParams);
            work.add(multAdds == 0 ? 0 : 100.0 * r.multAdds() / multAdds);
            time.add(hasTimes() ? 100 * r.seconds() / forwardSeconds : 0);
        }
        CategoryChart c = new CategoryChartBuilder().width(Math.max(480, Math.min(1200, 60 * names.size() + 160)))
                .height(360).title("summary of " + model).yAxisTitle("% of the model").build();
        c.getStyler().setXAxisLabelRotation(names.size() > 6 ? 45 : 0);
        if (names.isEmpty()) {
            return c;
        }
        c.addSeries("params", names, params);
        c.addSeries("mult-adds", names, work);
        if (hasTimes()) {
            c.addSeries("time", names, time);
        }
        return c;
    }

    /** The header and the cells of the table, as text; the kernel's HTML renderer uses the same. */
    public List<String> header() {
        List<String> h = new ArrayList<>(List.of("Layer (type (path))", "Input Shape", "Output Shape", "Param #",
                "Param %", "Kernel Shape", "Mult-Adds", "Trainable"));
        if (hasTimes()) {
            h.add("Time %");
        }
        return h;
    }

    /** One row's cells as the table prints them ({@code --} where torchinfo prints it). */
    public List<String> cells(SummaryRow r) {
        String name = (r.depth() == 0 ? "" : "│ ".repeat(r.depth() - 1) + TREE) + r.type()
                + (r.path().isEmpty() ? "" : " (" + r.path() + ")");
        boolean hasOwn = !r.trainable().equals("--");
        List<String> c = new ArrayList<>(List.of(name, shapes(r.inputShapes()), shapes(r.outputShapes()),
                r.params() > 0 ? String.format(Locale.ROOT, "%,d", r.params()) : hasOwn ? "(shared)" : "--",
                r.params() == 0 || totalParams == 0 ? "--" : String.format(Locale.ROOT, "%.2f%%", 100.0 * r.params() / totalParams),
                r.kernelShape() == null ? "--" : Arrays.toString(r.kernelShape()),
                r.multAdds() == 0 ? "--" : String.format(Locale.ROOT, "%,d", r.multAdds()),
                r.trainable()));
        if (hasTimes()) {
            c.add(String.format(Locale.ROOT, "%.1f%%", 100 * r.seconds() / forwardSeconds));
        }
        return c;
    }

    /** The totals under the table, as label and value pairs. */
    public List<String[]> totals() {
        List<String[]> t = new ArrayList<>();
        t.add(new String[] {"Total params", String.format(Locale.ROOT, "%,d", totalParams)});
        t.add(new String[] {"Trainable params", String.format(Locale.ROOT, "%,d", trainableParams)});
        t.add(new String[] {"Non-trainable params", String.format(Locale.ROOT, "%,d", nonTrainableParams())});
        t.add(new String[] {"Total mult-adds (M)", String.format(Locale.ROOT, "%.2f", multAdds / 1e6)});
        t.add(new String[] {"Input size (MB)", mb(inputBytes)});
        t.add(new String[] {"Forward pass size (MB)", mb(forwardBytes)});
        t.add(new String[] {"Saved for backward (MB)", mb(savedBytes)});
        t.add(new String[] {"Params size (MB)", mb(paramBytes)});
        t.add(new String[] {"Estimated total size (MB)", mb(totalBytes())});
        if (hasTimes()) {
            t.add(new String[] {"Forward time (ms, no-grad, median)", String.format(Locale.ROOT, "%.3f", forwardSeconds * 1e3)});
        }
        return t;
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.2f", bytes / 1e6);
    }

    static String shapes(List<int[]> shapes) {
        if (shapes.isEmpty()) {
            return "--";
        }
        List<String> s = new ArrayList<>();
        for (int[] x : shapes) {
            s.add(Arrays.toString(x));
        }
        return String.join(", ", s);
    }

    /** torchinfo's table: a rule, the header, a line per row, a rule, the totals. */
    @Override
    public String toString() {
        List<String> header = header();
        List<List<String>> body = new ArrayList<>();
        for (SummaryRow r : rows) {
            body.add(cells(r));
        }
        int[] w = new int[header.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = header.get(i).length();
            for (List<String> row : body) {
                w[i] = Math.max(w[i], row.get(i).length());
            }
        }
        int width = 0;
        for (int x : w) {
            width += x + 2;
        }
        String rule = "=".repeat(width - 2);
        StringBuilder b = new StringBuilder(rule).append('\n');
        line(b, header, w);
        b.append(rule).append('\n');
        for (List<String> row : body) {
            line(b, row, w);
        }
        b.append(rule).append('\n');
        List<String[]> totals = totals();
        for (int i = 0; i < totals.size(); i++) {
            b.append(totals.get(i)[0]).append(": ").append(totals.get(i)[1]).append('\n');
            if (i == 3) {
                b.append(rule).append('\n');
            }
        }
        return b.append(rule).toString();
    }

    private static void line(StringBuilder b, List<String> cells, int[] w) {
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            if (i == 0) {
                l.append(c).append(" ".repeat(w[i] - c.length()));
            } else {
                l.append(" ".repeat(w[i] - c.length())).append(c);
            }
            if (i < cells.size() - 1) {
                l.append("  ");
            }
        }
        b.append(l.toString().stripTrailing()).append('\n');
    }
}
