package dev.nnlab.kernel.magics;

import dev.nnlab.kernel.NnlabKernel;
import java.util.List;
import org.dflib.jjava.jupyter.kernel.magic.CellMagic;
import org.dflib.jjava.jupyter.kernel.magic.LineMagic;

/** {@code %time CODE} and {@code %%time}: runs the code once and prints the wall time it took. */
public final class TimeMagic implements LineMagic<Object, NnlabKernel>, CellMagic<Object, NnlabKernel>, Documented {
    static final String USAGE = "%time STATEMENT_OR_EXPRESSION   or a cell starting with %%time";

    @Override
    public String usage() {
        return USAGE;
    }

    @Override
    public Object eval(NnlabKernel kernel, List<String> args) {
        String code = kernel.magicLine();
        if (code.isBlank()) {
            throw new MagicException("time", USAGE, "nothing to time");
        }
        return time(kernel, code);
    }

    @Override
    public Object eval(NnlabKernel kernel, List<String> args, String body) {
        if (!args.isEmpty()) {
            throw new MagicException("time", USAGE, "%%time takes no arguments, got " + String.join(" ", args));
        }
        return time(kernel, body);
    }

    private static Object time(NnlabKernel kernel, String code) {
        long t0 = System.nanoTime();
        try {
            return kernel.evalCell(code);
        } finally {
            System.out.println("Wall time: " + format(System.nanoTime() - t0));
        }
    }

    static String format(long nanos) {
        if (nanos < 1_000_000L) {
            return String.format("%.1f µs", nanos / 1e3);
        }
        if (nanos < 1_000_000_000L) {
            return String.format("%.1f ms", nanos / 1e6);
        }
        return String.format("%.2f s", nanos / 1e9);
    }
}
