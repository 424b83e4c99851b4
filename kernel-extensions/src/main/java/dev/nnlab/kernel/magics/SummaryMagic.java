package dev.nnlab.kernel.magics;

import dev.nnlab.nn.Module;
import dev.nnlab.summary.Mode;
import dev.nnlab.summary.ModelStatistics;
import dev.nnlab.summary.Summary;
import dev.nnlab.tensor.DType;
import java.util.List;
import java.util.Locale;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.magic.LineMagic;

/** {@code %summary MODEL --input 64,100}: torchinfo's table for a live model, as {@link Summary} computes it. */
public final class SummaryMagic implements LineMagic<ModelStatistics, BaseKernel>, Documented {
    static final int TIMED_PASSES = 5;
    static final Schema ARGS = Schema.of("summary", "layers, shapes, parameters, mult-adds and memory of a live "
                    + "model, from one forward pass with hooks under no-grad")
            .positional("MODEL", "a Module in the session (an expression: model, net.layers, ...)")
            .option("input", "SHAPE", "the input's shape, such as 64,100 (random normal, or zeros for int64)")
            .option("dtype", "DTYPE", "the input's dtype: float32 (default), float64 or int64 (token ids)")
            .option("depth", "N", "rows deeper than N are folded into their parent (default 3)")
            .option("mode", "MODE", "eval (default), train or same: the mode of the pass, restored after")
            .flag("times", "also time each layer (median of " + TIMED_PASSES + " passes) as a share of the forward");

    @Override
    public String usage() {
        return ARGS.usage();
    }

    @Override
    public ModelStatistics eval(BaseKernel kernel, List<String> args) {
        Parsed p = ARGS.parse(args);
        if (p == null) {
            return null;
        }
        int[] shape = p.shape("input");
        if (shape == null) {
            throw ARGS.error("--input is required: the shape of one input, such as --input 64,100");
        }
        int depth = p.intOption("depth", 3);
        if (depth < 0) {
            throw ARGS.error("--depth must be >= 0, got " + depth);
        }
        DType dtype = DType.valueOf(p.choice("dtype", "float32", "float32", "float64", "int64").toUpperCase(Locale.ROOT));
        Mode mode = Mode.valueOf(p.choice("mode", "eval", "eval", "train", "same").toUpperCase(Locale.ROOT));
        Module model = Live.get(kernel, ARGS, p.positional("MODEL"), Module.class);
        try {
            return Summary.of(model).input(dtype, shape).depth(depth).mode(mode).times(p.flag("times") ? TIMED_PASSES : 0)
                    .run();
        } catch (IllegalArgumentException e) {
            throw ARGS.error(e.getMessage().replaceFirst("^summary: ", ""));
        }
    }
}
