package dev.nnlab.kernel.display;

import dev.nnlab.nn.Parameter;
import dev.nnlab.tensor.DType;
import dev.nnlab.tensor.Tensor;
import java.util.Locale;
import org.dflib.jjava.jupyter.kernel.display.RenderContext;
import org.dflib.jjava.jupyter.kernel.display.RenderFunction;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;

/**
 * A Tensor: text/plain is its repr (PyTorch's); text/html a header (shape, dtype, requires_grad, grad_fn) and, for
 * 0-D to 2-D, a table whose rows and columns past {@link #FULL} keep {@link #EDGE} at each end, with min, max, mean
 * and std for floating tensors. Higher dims show the repr, which PyTorch's rules already summarise.
 */
public final class TensorRenderer implements RenderFunction<Tensor> {
    /** A dimension up to this length is shown whole. */
    static final int FULL = 20;
    /** Items kept at each end of a longer dimension. */
    static final int EDGE = 5;
    private static final int STATS_LIMIT = 10_000_000;

    @Override
    public void render(Tensor t, RenderContext ctx) {
        ctx.renderIfRequested(MIMEType.TEXT_PLAIN, t::toString);
        ctx.renderIfRequested(MIMEType.TEXT_HTML, () -> html(t));
    }

    /** The header line: {@code tensor [2, 3] · torch.float32 · requires_grad=True · grad_fn=<AddBackward0>}. */
    public static String header(Tensor t) {
        StringBuilder b = new StringBuilder(t instanceof Parameter ? "Parameter" : "tensor")
                .append(' ').append(Tensor.shapeString(t.shape()))
                .append(" · ").append(t.dtype())
                .append(" · requires_grad=").append(t.requiresGrad() ? "True" : "False");
        if (t.gradFn() != null) {
            b.append(" · grad_fn=<").append(t.gradFn().name()).append('>');
        }
        if (t.grad() != null) {
            b.append(" · grad ").append(Tensor.shapeString(t.grad().shape()));
        }
        return b.toString();
    }

    public static String html(Tensor t) {
        StringBuilder b = new StringBuilder("<div class=\"nnlab-tensor\">")
                .append("<div style=\"font-family:monospace\">").append(Renderers.escape(header(t))).append("</div>");
        if (t.dim() <= 2 && t.numel() > 0) {
            table(t.detach(), b);
            if (t.isFloatingPoint() && t.numel() > 1 && t.numel() <= STATS_LIMIT) {
                b.append("<div style=\"font-family:monospace;color:#666\">").append(stats(t)).append("</div>");
            }
        } else {
            b.append(Renderers.html(t.toString()));
        }
        return b.append("</div>").toString();
    }

    private static void table(Tensor t, StringBuilder b) {
        int rows = t.dim() == 2 ? t.size(0) : 1;
        int cols = t.dim() == 0 ? 1 : t.size(-1);
        int[] ri = shown(rows);
        int[] ci = shown(cols);
        Tensor m = t.dim() == 2 ? t : t.reshape(1, cols);
        String fmt = format(m, ri, ci);
        b.append("<table style=\"font-family:monospace\"><thead><tr><th></th>");
        for (int j : ci) {
            b.append(j < 0 ? "<th>⋯</th>" : "<th>" + j + "</th>");
        }
        b.append("</tr></thead><tbody>");
        for (int i : ri) {
            b.append("<tr><th>").append(i < 0 ? "⋮" : t.dim() == 2 ? String.valueOf(i) : "").append("</th>");
            for (int j : ci) {
                b.append("<td style=\"text-align:right\">");
                b.append(i < 0 || j < 0 ? (i < 0 && j < 0 ? "⋱" : i < 0 ? "⋮" : "⋯") : cell(m, i, j, fmt));
                b.append("</td>");
            }
            b.append("</tr>");
        }
        b.append("</tbody></table>");
    }

    /** Indices shown along a dimension of length n; -1 marks the gap. */
    static int[] shown(int n) {
        if (n <= FULL) {
            int[] all = new int[n];
            for (int i = 0; i < n; i++) {
                all[i] = i;
            }
            return all;
        }
        int[] idx = new int[2 * EDGE + 1];
        for (int i = 0; i < EDGE; i++) {
            idx[i] = i;
            idx[EDGE + 1 + i] = n - EDGE + i;
        }
        idx[EDGE] = -1;
        return idx;
    }

    /** One number format for the shown cells: fixed 4 decimals, or scientific when the magnitudes call for it. */
    private static String format(Tensor m, int[] ri, int[] ci) {
        if (!m.isFloatingPoint()) {
            return "";
        }
        double max = 0;
        double min = Double.POSITIVE_INFINITY;
        for (int i : ri) {
            for (int j : ci) {
                if (i >= 0 && j >= 0) {
                    double a = Math.abs(m.get(i, j));
                    if (Double.isFinite(a)) {
                        max = Math.max(max, a);
                        if (a > 0) {
                            min = Math.min(min, a);
                        }
                    }
                }
            }
        }
        return max >= 1e5 || (min < 1e-4 && min > 0) ? "%.4e" : "%.4f";
    }

    private static String cell(Tensor m, int i, int j, String fmt) {
        double v = m.get(i, j);
        if (m.dtype() == DType.BOOL) {
            return v != 0 ? "True" : "False";
        }
        if (!m.isFloatingPoint()) {
            return String.valueOf((long) v);
        }
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        return String.format(Locale.ROOT, fmt, v);
    }

    /** {@code min -1.2 · max 3.4 · mean 0.01 · std 1.0}, plus NaN and Inf counts when there are any. */
    static String stats(Tensor t) {
        double[] v = t.detach().contiguous().toDoubleArray();
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        long nan = 0;
        long inf = 0;
        int n = 0;
        for (double x : v) {
            if (Double.isNaN(x)) {
                nan++;
            } else if (Double.isInfinite(x)) {
                inf++;
            } else {
                min = Math.min(min, x);
                max = Math.max(max, x);
                sum += x;
                n++;
            }
        }
        double mean = n == 0 ? Double.NaN : sum / n;
        double ss = 0;
        for (double x : v) {
            if (Double.isFinite(x)) {
                ss += (x - mean) * (x - mean);
            }
        }
        double std = n > 1 ? Math.sqrt(ss / (n - 1)) : Double.NaN;
        String s = String.format(Locale.ROOT, "min %.4g · max %.4g · mean %.4g · std %.4g", min, max, mean, std);
        if (nan > 0) {
            s += " · " + nan + " NaN";
        }
        if (inf > 0) {
            s += " · " + inf + " Inf";
        }
        return s;
    }
}
