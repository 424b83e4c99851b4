package dev.nnlab.kernel.magics;

import dev.nnlab.kernel.NnlabKernel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dflib.jjava.jupyter.kernel.magic.LineMagic;
import org.dflib.jjava.jupyter.kernel.magic.MagicsArgs;

/** {@code %classpath [PATH ...]}: adds directories or jars (globs allowed); lists the class path without args. */
public final class ClasspathMagic implements LineMagic<Void, NnlabKernel>, Documented {
    static final String USAGE = "%classpath [PATH_OR_GLOB ...]   e.g. %classpath lib/*.jar build/classes";
    private static final MagicsArgs ARGS = MagicsArgs.builder().varargs("paths").onlyKnownKeywords().build();

    @Override
    public String usage() {
        return USAGE;
    }

    @Override
    public Void eval(NnlabKernel kernel, List<String> args) throws Exception {
        List<String> paths = MagicException.parse(ARGS, args, "classpath", USAGE).get("paths");
        if (paths == null || paths.isEmpty()) {
            List<String> cp = kernel.repl().classpath();
            System.out.println(cp.isEmpty() ? "(nothing added to the class path yet)" : String.join("\n", cp));
            return null;
        }
        List<Path> found = new ArrayList<>();
        for (String p : paths) {
            List<Path> hits = Globs.resolve(p);
            if (hits.isEmpty()) {
                throw new MagicException("classpath", USAGE, "no file or directory matches " + p);
            }
            found.addAll(hits);
        }
        kernel.addToClasspath(found);
        return null;
    }
}
