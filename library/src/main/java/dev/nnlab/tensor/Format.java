package dev.nnlab.tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** PyTorch's tensor repr ({@code torch/_tensor_str.py}): precision 4, line width 80, summarised past 1000 elements. */
final class Format {
    private static final int PRECISION = 4, LINE_WIDTH = 80, THRESHOLD = 1000, EDGE_ITEMS = 3;

    private Format() { }

    static String format(Tensor t) {
        String prefix = "tensor(";
        List<String> suffixes = new ArrayList<>();
        String body;
        if (t.numel() == 0) {
            if (t.dim() != 1) suffixes.add("size=" + tuple(t.shape));
            body = "[]";
        } else {
            boolean summarize = t.numel() > THRESHOLD;
            Tensor c = t.detach().contiguous();
            Element fmt = new Element(c, summarize);
            body = render(c, prefix.length(), summarize, fmt);
        }
        if (t.dtype() == DType.FLOAT64) suffixes.add("dtype=torch.float64");
        if (t.gradFn() != null) suffixes.add("grad_fn=<" + t.gradFn().name() + ">");
        else if (t.requiresGrad()) suffixes.add("requires_grad=True");
        StringBuilder s = new StringBuilder(prefix).append(body);
        int lastLine = s.length() - s.lastIndexOf("\n") + 1;
        for (String suffix : suffixes) {
            if (lastLine + suffix.length() + 2 > LINE_WIDTH) {
                s.append(",\n").append(" ".repeat(prefix.length())).append(suffix);
                lastLine = prefix.length() + suffix.length();
            } else {
                s.append(", ").append(suffix);
                lastLine += suffix.length() + 2;
            }
        }
        return s.append(')').toString();
    }

    private static String tuple(int[] shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) sb.append(i > 0 ? ", " : "").append(shape[i]);
        return sb.append(shape.length == 1 ? ",)" : ")").toString();
    }

    private static String render(Tensor t, int indent, boolean summarize, Element fmt) {
        if (t.dim() == 0) return fmt.format(t.storage.get(t.offset));
        if (t.dim() == 1) return vector(t, indent, summarize, fmt);
        int n = t.shape[0];
        List<String> slices = new ArrayList<>();
        if (summarize && n > 2 * EDGE_ITEMS) {
            for (int i = 0; i < EDGE_ITEMS; i++) slices.add(render(t.select(0, i), indent + 1, true, fmt));
            slices.add("...");
            for (int i = n - EDGE_ITEMS; i < n; i++) slices.add(render(t.select(0, i), indent + 1, true, fmt));
        } else {
            for (int i = 0; i < n; i++) slices.add(render(t.select(0, i), indent + 1, summarize, fmt));
        }
        String sep = "," + "\n".repeat(t.dim() - 1) + " ".repeat(indent + 1);
        return "[" + String.join(sep, slices) + "]";
    }

    private static String vector(Tensor t, int indent, boolean summarize, Element fmt) {
        int perLine = Math.max(1, (LINE_WIDTH - indent) / (fmt.width + 2));
        int n = t.shape[0];
        List<String> data = new ArrayList<>();
        if (summarize && n > 2 * EDGE_ITEMS) {
            for (int i = 0; i < EDGE_ITEMS; i++) data.add(fmt.format(t.get(i)));
            data.add(" ...");
            for (int i = n - EDGE_ITEMS; i < n; i++) data.add(fmt.format(t.get(i)));
        } else {
            for (int i = 0; i < n; i++) data.add(fmt.format(t.get(i)));
        }
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < data.size(); i += perLine) {
            lines.add(String.join(", ", data.subList(i, Math.min(data.size(), i + perLine))));
        }
        return "[" + String.join(",\n" + " ".repeat(indent + 1), lines) + "]";
    }

    /** Chooses integer, fixed or scientific notation from the values shown, like {@code _Formatter}. */
    private static final class Element {
        final DType dtype;
        boolean intMode = true, sciMode;
        int width = 1;

        Element(Tensor t, boolean summarize) {
            dtype = t.dtype();
            List<Double> values = new ArrayList<>();
            collect(t, summarize, values);
            if (!dtype.isFloatingPoint()) {
                for (double v : values) width = Math.max(width, format(v).length());
                return;
            }
            double min = Double.MAX_VALUE, max = 0;
            boolean any = false;
            for (double v : values) {
                if (Double.isFinite(v) && v != 0) {
                    any = true;
                    double a = Math.abs(v);
                    min = Math.min(min, a);
                    max = Math.max(max, a);
                    if (v != Math.ceil(v)) intMode = false;
                }
            }
            if (any) {
                if (intMode) sciMode = max / min > 1000 || max > 1e8;
                else sciMode = max / min > 1000 || max > 1e8 || min < 1e-4;
            }
            for (double v : values) width = Math.max(width, raw(v).length());
        }

        private static void collect(Tensor t, boolean summarize, List<Double> out) {
            if (t.dim() == 0) {
                out.add(t.storage.get(t.offset));
                return;
            }
            int n = t.shape[0];
            for (int i = 0; i < n; i++) {
                if (summarize && n > 2 * EDGE_ITEMS && i == EDGE_ITEMS) i = n - EDGE_ITEMS;
                collect(t.select(0, i), summarize, out);
            }
        }

        String raw(double v) {
            if (dtype == DType.BOOL) return v != 0 ? "True" : "False";
            if (!dtype.isFloatingPoint()) return Long.toString((long) v);
            if (Double.isNaN(v)) return "nan";
            if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
            if (sciMode) return String.format(Locale.ROOT, "%." + PRECISION + "e", v);
            if (intMode) return String.format(Locale.ROOT, "%.0f", v) + ".";
            return String.format(Locale.ROOT, "%." + PRECISION + "f", v);
        }

        String format(double v) {
            String r = raw(v);
            return " ".repeat(Math.max(0, width - r.length())) + r;
        }
    }
}
