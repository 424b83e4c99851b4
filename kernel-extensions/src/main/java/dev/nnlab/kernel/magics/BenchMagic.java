package dev.nnlab.kernel.magics;

import dev.nnlab.bench.BenchMode;
import dev.nnlab.bench.Benchmark;
import dev.nnlab.bench.Compare;
import dev.nnlab.bench.Containers;
import dev.nnlab.bench.Measurement;
import dev.nnlab.bench.Timer;
import dev.nnlab.kernel.eval.CellException;
import dev.nnlab.nn.Module;
import java.util.Arrays;
import java.util.List;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.magic.CellMagic;
import org.dflib.jjava.jupyter.kernel.magic.LineMagic;

/**
 * {@code %bench containers}, {@code %bench MODEL... --input SHAPE} and {@code %%bench}: the benchmark harness of
 * {@code dev.nnlab.bench} on live models and cell code, with a progress bar while it runs. Results are a
 * {@link Compare} or a {@link Measurement}, which render as a table plus a chart. The timing runs on the session's
 * thread ({@link InSession}), so the stop button ends it and the session's state is kept.
 */
public final class BenchMagic implements LineMagic<Object, BaseKernel>, CellMagic<Object, BaseKernel>, Documented {
    static final Schema LINE = Schema.of("bench", "times models in each mode (median, IQR, a table and a chart);"
                    + " 'containers' reproduces the article's section 3.1")
            .rest("MODEL", "'containers', or expressions naming live Modules (model, net.layers, ...)")
            .option("input", "SHAPE", "the input shape for MODELs, such as 64,100")
            .option("batch", "N", "the batch size for containers (default 64)")
            .flag("fair", "containers: the same layers held by a Sequential, a ModuleList loop and a ModuleDict loop")
            .option("modes", "LIST", "any of fwd,nograd,fwdbwd (default all three)")
            .option("min-time", "DURATION", "timed seconds per model and mode, such as 1s or 500ms (default 0.2s)")
            .option("max-warmup", "DURATION", "longest warm-up per model and mode (default 3s)")
            .flag("spark", "time each model and mode as a task on the session's Spark cluster (the 'Java (nnlab,"
                    + " Spark)' kernel); MODELs are then expressions that build the models, such as \"new Net(32)\"");
    static final Schema CELL = Schema.of("%bench", "times the cell body like %%timeit: median ± IQR per call")
            .option("setup", "CODE", "code run once before timing, such as \"var x = randn(64, 100);\"")
            .option("min-time", "DURATION", "timed seconds (default 0.2s)")
            .option("max-warmup", "DURATION", "longest warm-up (default 3s)");
    private static final double MIN_TIME = 0.2;
    private static final double MAX_WARMUP = 3.0;

    @Override
    public String usage() {
        return LINE.usage() + "\n\n" + CELL.usage();
    }

    @Override
    public Object eval(BaseKernel kernel, List<String> args) {
        Parsed p = LINE.parse(args);
        if (p == null) {
            return null;
        }
        List<String> models = p.rest();
        if (models.isEmpty()) {
            throw LINE.error("nothing to time: name live models (%bench model other --input 64,100) or 'containers'");
        }
        List<BenchMode> modes = modes(p);
        double minTime = p.duration("min-time", MIN_TIME);
        double maxWarmup = p.duration("max-warmup", MAX_WARMUP);
        boolean containers = containers(p, models);
        int batch = containers ? p.intOption("batch", 64) : 0;
        if (containers && batch < 1) {
            throw LINE.error("--batch must be at least 1, got " + batch);
        }
        int[] shape = containers ? null : p.shape("input");
        if (!containers && shape == null) {
            throw LINE.error("give the models' input shape, such as --input 64,100");
        }
        if (p.flag("spark")) {
            return spark(kernel, p.flag("fair"), batch, shape, models, modes, minTime, maxWarmup);
        }
        Benchmark b;
        if (containers) {
            b = p.flag("fair") ? Containers.fair(batch) : Containers.article(batch);
        } else {
            b = new Benchmark(title(models, shape)).input(shape);
            for (String expr : models) {
                Module m = Live.get(kernel, LINE, expr, Module.class);
                try {
                    b.model(expr, m);
                } catch (IllegalArgumentException e) {
                    throw LINE.error(e.getMessage());
                }
            }
        }
        b.modes(modes).minTime(minTime).warmup(Math.min(0.2, maxWarmup), maxWarmup);
        try (BenchProgress bar = new BenchProgress("%bench " + String.join(" ", models))) {
            return InSession.call(kernel, b.progress(bar)::run);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw LINE.error(e.getMessage());
        }
    }

    /** True for 'containers' (alone, with --batch or --fair), false for MODELs (with --input); else an error. */
    private static boolean containers(Parsed p, List<String> models) {
        if (models.contains("containers") && models.size() > 1) {
            throw LINE.error("'containers' is a benchmark of its own: give it alone, or name live models only");
        }
        if (models.equals(List.of("containers"))) {
            if (p.has("input")) {
                throw LINE.error("containers take a --batch, not an --input (their input is BATCHx100)");
            }
            return true;
        }
        if (p.has("batch") || p.flag("fair")) {
            throw LINE.error("--batch and --fair are for 'containers'; give live models an --input SHAPE");
        }
        return false;
    }

    private static String title(List<String> models, int[] shape) {
        return String.join(" vs ", models) + ", input " + String.join("x", Arrays.stream(shape).mapToObj(String::valueOf)
                .toList());
    }

    /**
     * Times the benchmark on the session's Spark cluster ({@code dev.nnlab.spark.BenchSweep}, on the Spark kernel's
     * class path only): the benchmark is written as a cell lambda that builds it, so that executors run it as they run
     * any cell's code, and the models are made there. The kernel itself never links to Spark.
     */
    private static Object spark(BaseKernel kernel, boolean fair, int batch, int[] shape, List<String> models,
                                List<BenchMode> modes, double minTime, double maxWarmup) {
        String recipe;
        if (shape == null) {
            recipe = "dev.nnlab.bench.Containers." + (fair ? "fair" : "article") + "(" + batch + ")";
        } else {
            StringBuilder b = new StringBuilder("new dev.nnlab.bench.Benchmark(").append(literal(title(models, shape)))
                    .append(").input(").append(String.join(", ", Arrays.stream(shape).mapToObj(String::valueOf).toList()))
                    .append(")");
            for (String expr : models) {
                b.append(".model(").append(literal(expr)).append(", (dev.nnlab.nn.Module) (").append(expr).append("))");
            }
            recipe = b.toString();
        }
        List<String> keys = modes.stream().map(BenchMode::key).toList();
        recipe += ".modes(dev.nnlab.bench.BenchMode.list(" + literal(String.join(",", keys)) + ")).minTime(" + minTime
                + ").warmup(" + Math.min(0.2, maxWarmup) + ", " + maxWarmup + ")";
        if (!Boolean.TRUE.equals(kernel.evalRaw("java.lang.invoke.MethodHandles.lookup().lookupClass().getClassLoader()"
                + ".getResource(\"dev/nnlab/spark/BenchSweep.class\") != null"))) {
            throw LINE.error("--spark needs Spark on the class path: start the 'Java (nnlab, Spark)' kernel"
                    + " (./nnlab notebook installs it beside 'Java (nnlab)'), then a cluster in it, such as"
                    + " var cluster = Cluster.start(\"local-cluster[2,1,1024]\")");
        }
        try {
            return kernel.evalRaw("dev.nnlab.spark.BenchSweep.run(dev.nnlab.spark.Cluster.current(), () -> " + recipe
                    + ").compare()");
        } catch (CellException e) {
            if (e.ename().endsWith("IllegalArgumentException") || e.ename().endsWith("IllegalStateException")) {
                throw LINE.error(e.evalue());
            }
            throw e;
        }
    }

    /** {@code s} as a Java string literal. */
    static String literal(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                default -> b.append(c);
            }
        }
        return b.append('"').toString();
    }

    @Override
    public Object eval(BaseKernel kernel, List<String> args, String body) {
        Parsed p = CELL.parse(args);
        if (p == null) {
            return null;
        }
        if (body.isBlank()) {
            throw CELL.error("the cell has no code to time");
        }
        double minTime = p.duration("min-time", MIN_TIME);
        double maxWarmup = p.duration("max-warmup", MAX_WARMUP);
        String setup = p.option("setup", null);
        if (setup != null) {
            kernel.evalRaw(setup);
        }
        Runnable stmt = compile(kernel, body);
        Timer t = new Timer(stmt).label("cell").minTime(minTime).warmup(Math.min(0.2, maxWarmup), maxWarmup);
        try (BenchProgress bar = new BenchProgress("%%bench")) {
            return InSession.call(kernel, t.progress(bar)::blockedAutorange);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw CELL.error(e.getMessage());
        }
    }

    /** Compiles the body once, as a Runnable lambda in the session, so that what is timed is the code, not javac. */
    static Runnable compile(BaseKernel kernel, String body) {
        String code = body.strip();
        if (!code.endsWith(";") && !code.endsWith("}")) {
            code += ";";
        }
        Object r = kernel.evalRaw("(Runnable) () -> {\n" + code + "\n}");
        if (!(r instanceof Runnable run)) {
            throw CELL.error("the cell body did not compile to a statement block");
        }
        return run;
    }

    private static List<BenchMode> modes(Parsed p) {
        String v = p.option("modes", "fwd,nograd,fwdbwd");
        try {
            return BenchMode.list(v);
        } catch (IllegalArgumentException e) {
            throw LINE.error("--modes: " + e.getMessage());
        }
    }
}
