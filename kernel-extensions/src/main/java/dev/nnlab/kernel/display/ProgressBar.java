package dev.nnlab.kernel.display;

import dev.nnlab.progress.Progress;
import java.util.Locale;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

/**
 * Shows a {@link Progress} as an HTML bar (no widgets) that one display updates in place, with tqdm's line as its
 * text/plain for clients without HTML. If the kernel cannot display, the bar falls back to the text line.
 */
public final class ProgressBar implements Progress.Sink {
    @Override
    public Progress.View open(Progress bar) {
        String id;
        try {
            id = Display.display(data(bar));
        } catch (RuntimeException e) {
            return Progress.text().open(bar);
        }
        return new Progress.View() {
            private boolean broken;
            private long shownDone = -1;

            @Override
            public void update(Progress p) {
                show(p);
            }

            // A bar whose last update already showed it complete need not be sent again.
            @Override
            public void close(Progress p) {
                if (!(p.total() > 0 && shownDone == p.total() && p.done() == p.total())) {
                    show(p);
                }
            }

            // A bar that cannot be shown must not stop the training loop that steps it.
            private void show(Progress p) {
                if (broken) {
                    return;
                }
                try {
                    shownDone = p.done();
                    Display.updateDisplay(id, data(p));
                } catch (RuntimeException e) {
                    broken = true;
                }
            }
        };
    }

    static DisplayData data(Progress p) {
        DisplayData d = new DisplayData();
        d.putText(p.line());
        d.putHTML(html(p));
        return d;
    }

    /** A bar of divs with inline styles, which notebook renderers (GitHub's too) keep. */
    static String html(Progress p) {
        double f = p.total() > 0 ? p.fraction() : p.isClosed() ? 1 : 0;
        String color = p.isClosed() && p.total() > 0 && p.done() < p.total() ? "#e0a030" : "#4caf50";
        StringBuilder b = new StringBuilder("<div class=\"nnlab-progress\" style=\"font-family:monospace;display:flex;"
                + "align-items:center;gap:.6em\">");
        if (!p.label().isEmpty()) {
            b.append("<span>").append(Renderers.escape(p.label())).append("</span>");
        }
        b.append("<div style=\"width:20em;height:1em;border:1px solid #999;border-radius:3px;overflow:hidden\">")
                .append("<div style=\"height:100%;background:").append(color).append(";width:")
                .append(String.format(Locale.ROOT, "%.1f", 100 * f)).append("%\"></div></div><span>");
        if (p.total() > 0) {
            b.append(String.format(Locale.ROOT, "%d%% %d/%d [%s&lt;%s, %s]", (int) (100 * f), p.done(), p.total(),
                    Progress.clock(p.elapsed()), p.isClosed() ? Progress.clock(0) : Progress.clock(p.eta()),
                    p.rateText()));
        } else {
            b.append(String.format(Locale.ROOT, "%dit [%s, %s]", p.done(), Progress.clock(p.elapsed()), p.rateText()));
        }
        if (!p.note().isEmpty()) {
            b.append(' ').append(Renderers.escape(p.note()));
        }
        return b.append("</span></div>").toString();
    }
}
