package dev.nnlab.kernel.magics;

import dev.nnlab.gradflow.GradFlow;
import dev.nnlab.gradflow.GradFlowHistory;
import dev.nnlab.gradflow.GradFlowWatch;
import dev.nnlab.gradflow.Thresholds;
import dev.nnlab.kernel.display.Display;
import dev.nnlab.kernel.display.GradFlowRenderer;
import dev.nnlab.nn.Module;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.magic.LineMagic;

/**
 * {@code %gradflow MODEL} after a backward: max/mean |grad| per layer as a chart, the diagnostics, the table on
 * request. {@code %gradflow watch|stop|history MODEL}: recording over training steps with a chart that updates in
 * place while the training cell runs.
 */
public final class GradflowMagic implements LineMagic<Object, BaseKernel>, Documented {
    static final Schema SHOW = Schema.of("gradflow", "after loss.backward(): max and mean |grad| per layer (forward "
                    + "order), with vanishing / exploding / missing-gradient diagnostics")
            .positional("MODEL", "the Module, as a JShell expression (model, net.layers, ...)")
            .flag("log", "log-scale |grad| axis")
            .flag("biases", "include biases (weights only by default)")
            .flag("table", "also show the table of mean/max |grad|, norm and zero fraction")
            .option("size", "W,H", "chart size in pixels (default 800,450)");
    static final Schema WATCH = Schema.of("gradflow watch", "record every N training steps (forwards with grad "
                    + "enabled) with hooks, dead ReLU units and update:parameter ratios included; shows a chart that "
                    + "updates while training runs")
            .positional("MODEL", "the Module, as a JShell expression")
            .option("every", "N", "record every N-th step (default 1)")
            .option("capacity", "K", "keep the latest K records (default 1000)")
            .option("size", "W,H", "size of each chart in pixels (default 800,450)");
    static final Schema STOP = Schema.of("gradflow stop", "remove the watch's hooks and show what it recorded")
            .positional("MODEL", "the watched Module");
    static final Schema HISTORY = Schema.of("gradflow history", "mean |grad| and the log10 update:parameter ratio "
                    + "over the recorded steps, with the latest diagnostics")
            .positional("MODEL", "the watched (or last watched) Module")
            .flag("heatmap", "a heatmap of log10 mean |grad| instead of lines")
            .flag("biases", "include biases")
            .flag("table", "also show the table, one row per step and parameter")
            .option("size", "W,H", "size of each chart in pixels (default 800,450)");
    /** Milliseconds between two updates of the live chart, so that rendering never dominates a fast loop. */
    private static final long REFRESH_MS = 250;

    /** The watches this magic started, kept after stop so that history still answers; and their live displays. */
    private final Map<Module, GradFlowWatch> watches = new IdentityHashMap<>();
    private final Map<GradFlowWatch, String> displays = new IdentityHashMap<>();

    @Override
    public String usage() {
        return SHOW.usage() + "\n\n" + WATCH.usage() + "\n\n" + STOP.usage() + "\n\n" + HISTORY.usage();
    }

    @Override
    public Object eval(BaseKernel kernel, List<String> args) {
        String sub = args.isEmpty() ? "" : args.get(0);
        List<String> rest = args.isEmpty() ? args : args.subList(1, args.size());
        return switch (sub) {
            case "watch" -> watch(kernel, WATCH.parse(rest));
            case "stop" -> stop(kernel, STOP.parse(rest));
            case "history" -> history(kernel, HISTORY.parse(rest));
            default -> show(kernel, SHOW.parse(args));
        };
    }

    private static Object show(BaseKernel kernel, Parsed p) {
        if (p == null) {
            return null;
        }
        Module model = Live.get(kernel, SHOW, p.positional("MODEL"), Module.class);
        int[] size = size(p);
        try {
            return GradFlowRenderer.report(GradFlow.report(model).withBiases(p.flag("biases")), p.flag("log"),
                    p.flag("table"), size[0], size[1]);
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw SHOW.error("'" + p.positional("MODEL") + "': " + e.getMessage());
        }
    }

    private Object watch(BaseKernel kernel, Parsed p) {
        if (p == null) {
            return null;
        }
        String expr = p.positional("MODEL");
        Module model = Live.get(kernel, WATCH, expr, Module.class);
        int every = p.intOption("every", 1);
        int capacity = p.intOption("capacity", 1000);
        int[] size = size(p);
        GradFlowWatch w;
        try {
            w = GradFlow.watch(model, every, capacity, Thresholds.defaults());
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw WATCH.error("'" + expr + "': " + e.getMessage());
        }
        watches.put(model, w);
        String id;
        try {
            id = Display.display(text("watching " + expr + " every " + every + " step" + (every == 1 ? "" : "s")
                    + "; the chart appears here after the first recorded backward"));
        } catch (IllegalStateException noDisplay) {
            System.out.println("watching " + expr + " every " + every + " steps (no live chart: " + noDisplay.getMessage()
                    + ")");
            return null;
        } catch (RuntimeException e) {
            w.stop();
            watches.remove(model);
            throw e;
        }
        displays.put(w, id);
        long[] last = {System.nanoTime() / 1_000_000 - REFRESH_MS};
        w.onRecord(r -> {
            long now = System.nanoTime() / 1_000_000;
            if (now - last[0] < REFRESH_MS) {
                return;
            }
            last[0] = now;
            Display.updateDisplay(id, GradFlowRenderer.history(w.history(), false, false, size[0], size[1]));
        });
        return null;
    }

    private Object stop(BaseKernel kernel, Parsed p) {
        if (p == null) {
            return null;
        }
        String expr = p.positional("MODEL");
        Module model = Live.get(kernel, STOP, expr, Module.class);
        GradFlowWatch w = GradFlow.watching(model);
        if (w == null) {
            throw STOP.error("'" + expr + "' is not watched; start with %gradflow watch " + expr);
        }
        GradFlowHistory h = w.stop();
        watches.put(model, w);
        String id = displays.remove(w);
        if (id != null) {
            Display.updateDisplay(id, GradFlowRenderer.history(h, false, false, GradFlowRenderer.WIDTH,
                    GradFlowRenderer.HEIGHT));
        }
        DisplayData d = GradFlowRenderer.history(h, false, false, GradFlowRenderer.WIDTH, GradFlowRenderer.HEIGHT);
        System.out.println("stopped watching " + expr + ": " + h.size() + " records over " + w.steps() + " steps");
        return d;
    }

    private Object history(BaseKernel kernel, Parsed p) {
        if (p == null) {
            return null;
        }
        String expr = p.positional("MODEL");
        Module model = Live.get(kernel, HISTORY, expr, Module.class);
        GradFlowWatch w = GradFlow.watching(model);
        if (w == null) {
            w = watches.get(model);
        }
        if (w == null) {
            throw HISTORY.error("'" + expr + "' was never watched; start with %gradflow watch " + expr);
        }
        int[] size = size(p);
        return GradFlowRenderer.history(w.history().withBiases(p.flag("biases")), p.flag("heatmap"), p.flag("table"),
                size[0], size[1]);
    }

    private static int[] size(Parsed p) {
        int[] s = p.shape("size");
        if (s == null) {
            return new int[] {GradFlowRenderer.WIDTH, GradFlowRenderer.HEIGHT};
        }
        if (s.length != 2) {
            throw p.schema().error("--size must be WIDTH,HEIGHT such as 800,450");
        }
        return s;
    }

    private static DisplayData text(String s) {
        return new DisplayData(s);
    }
}
