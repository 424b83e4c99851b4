package dev.nnlab.kernel.magics;

import java.util.List;
import java.util.TreeSet;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.magic.LineMagic;
import org.dflib.jjava.jupyter.kernel.magic.MagicsArgs;

/** {@code %lsmagic}: lists the line and cell magics. */
public final class LsmagicMagic implements LineMagic<Void, BaseKernel>, Documented {
    static final String USAGE = "%lsmagic";
    private static final MagicsArgs ARGS = MagicsArgs.builder().onlyKnownKeywords().onlyKnownFlags().build();

    @Override
    public String usage() {
        return USAGE;
    }

    @Override
    public Void eval(BaseKernel kernel, List<String> args) {
        MagicException.parse(ARGS, args, "lsmagic", USAGE);
        StringBuilder b = new StringBuilder("Line magics:\n ");
        new TreeSet<>(kernel.getMagicsRegistry().getLineMagicNames()).forEach(n -> b.append(" %").append(n));
        b.append("\nCell magics:\n ");
        new TreeSet<>(kernel.getMagicsRegistry().getCellMagicNames()).forEach(n -> b.append(" %%").append(n));
        System.out.println(b);
        return null;
    }
}
