package dev.nnlab.kernel.magics;

import dev.nnlab.tensor.Tensor;
import java.util.List;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.magic.LineMagic;

/** {@code %seed N}: seeds the global generator, like {@code torch.manual_seed(N)}, and says so. */
public final class SeedMagic implements LineMagic<Void, BaseKernel>, Documented {
    static final Schema ARGS = Schema.of("seed", "seeds the global random generator (Tensor.manualSeed), "
            + "so randn, rand, dropout and init repeat").positional("N", "the seed, an integer");

    @Override
    public String usage() {
        return ARGS.usage();
    }

    @Override
    public Void eval(BaseKernel kernel, List<String> args) {
        Parsed p = ARGS.parse(args);
        if (p == null) {
            return null;
        }
        String n = p.positional("N").strip();
        long seed;
        try {
            seed = Long.parseLong(n);
        } catch (NumberFormatException e) {
            throw ARGS.error("N must be an integer, got '" + n + "'");
        }
        Tensor.manualSeed(seed);
        System.out.println("Global generator seeded with " + seed + " (Tensor.manualSeed(" + seed + "L))");
        return null;
    }
}
