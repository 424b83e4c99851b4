package dev.nnlab.kernel.magics;

import dev.nnlab.kernel.NnlabKernel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.dflib.jjava.jupyter.kernel.magic.LineMagic;
import org.dflib.jjava.jupyter.kernel.magic.MagicsArgs;

/** {@code %load FILE}: runs a file of cell code (a .jsh script) as if it were typed in this cell. */
public final class LoadMagic implements LineMagic<Object, NnlabKernel>, Documented {
    static final String USAGE = "%load FILE   e.g. %load setup.jsh";
    private static final MagicsArgs ARGS = MagicsArgs.builder().required("file").onlyKnownKeywords().build();

    @Override
    public String usage() {
        return USAGE;
    }

    @Override
    public Object eval(NnlabKernel kernel, List<String> args) throws Exception {
        String file = MagicException.parse(ARGS, args, "load", USAGE).get("file").get(0);
        Path p = Path.of(file.startsWith("~/") ? System.getProperty("user.home") + file.substring(1) : file);
        String code;
        try {
            code = Files.readString(p, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new MagicException("load", USAGE, "no such file: " + p.toAbsolutePath());
        }
        return kernel.evalCell(code);
    }
}
