package dev.nnlab.kernel.magics;

import dev.nnlab.kernel.NnlabKernel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.dflib.jjava.jupyter.kernel.magic.LineMagic;
import org.dflib.jjava.jupyter.kernel.magic.MagicsArgs;

/** {@code %jars GLOB ...}: adds jar files; a directory adds the jars directly inside it. */
public final class JarsMagic implements LineMagic<Void, NnlabKernel>, Documented {
    static final String USAGE = "%jars JAR_OR_GLOB_OR_DIR ...   e.g. %jars lib/*.jar";
    private static final MagicsArgs ARGS = MagicsArgs.builder().required("jar").varargs("more")
            .onlyKnownKeywords().build();

    @Override
    public String usage() {
        return USAGE;
    }

    @Override
    public Void eval(NnlabKernel kernel, List<String> args) throws Exception {
        var parsed = MagicException.parse(ARGS, args, "jars", USAGE);
        List<String> patterns = new ArrayList<>(parsed.get("jar"));
        patterns.addAll(parsed.getOrDefault("more", List.of()));
        List<Path> jars = new ArrayList<>();
        for (String p : patterns) {
            for (Path hit : Globs.resolve(p)) {
                if (Files.isDirectory(hit)) {
                    try (Stream<Path> s = Files.list(hit)) {
                        s.filter(JarsMagic::isJar).sorted().forEach(jars::add);
                    }
                } else if (isJar(hit)) {
                    jars.add(hit);
                }
            }
        }
        if (jars.isEmpty()) {
            throw new MagicException("jars", USAGE, "no jar file matches " + String.join(" ", patterns));
        }
        kernel.addToClasspath(jars);
        return null;
    }

    private static boolean isJar(Path p) {
        return p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p);
    }
}
