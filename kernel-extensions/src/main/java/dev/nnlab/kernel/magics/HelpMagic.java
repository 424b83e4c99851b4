package dev.nnlab.kernel.magics;

import java.util.List;
import java.util.Map;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.magic.LineMagic;

/** {@code %help NAME}: prints how a magic is used. */
public final class HelpMagic implements LineMagic<Void, BaseKernel>, Documented {
    private static final Schema ARGS = Schema.of("help", "shows how a magic is used (see %lsmagic for them all)")
            .positional("NAME", "the magic, with or without %");
    private final Map<String, Documented> magics;

    /** The usage texts by magic name; the extension fills the map as it registers magics. */
    public HelpMagic(Map<String, Documented> magics) {
        this.magics = magics;
    }

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
        String name = p.positional("NAME").replaceFirst("^%+", "");
        Documented magic = magics.get(name);
        if (magic == null) {
            boolean known = kernel.getMagicsRegistry().getLineMagicNames().contains(name)
                    || kernel.getMagicsRegistry().getCellMagicNames().contains(name);
            throw ARGS.error(known ? "%" + name + " has no usage text" : "no magic %" + name + " (see %lsmagic)");
        }
        System.out.println(magic.usage());
        return null;
    }
}
