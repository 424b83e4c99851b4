package dev.nnlab.kernel.magics;

import dev.nnlab.kernel.NnlabKernel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.dflib.jjava.jupyter.kernel.magic.LineMagic;
import org.dflib.jjava.jupyter.kernel.magic.MagicsArgs;
import org.eclipse.aether.resolution.DependencyResolutionException;

/** {@code %maven GROUP:ARTIFACT:VERSION ...}: resolves from Maven Central and adds the jars to the class path. */
public final class MavenMagic implements LineMagic<Void, NnlabKernel>, Documented {
    static final String USAGE = "%maven GROUP:ARTIFACT[:EXTENSION[:CLASSIFIER]]:VERSION ... [--repo URL]"
            + "   e.g. %maven org.apache.commons:commons-lang3:3.17.0";
    private static final MagicsArgs ARGS = MagicsArgs.builder().required("coordinates").varargs("more")
            .keyword("repo").onlyKnownKeywords().onlyKnownFlags().build();

    @Override
    public String usage() {
        return USAGE;
    }

    @Override
    public Void eval(NnlabKernel kernel, List<String> args) throws Exception {
        Map<String, List<String>> parsed = MagicException.parse(ARGS, args, "maven", USAGE);
        List<String> coords = new java.util.ArrayList<>(parsed.get("coordinates"));
        coords.addAll(parsed.getOrDefault("more", List.of()));
        for (String c : coords) {
            if (c.split(":").length < 3) {
                throw new MagicException("maven", USAGE, "bad coordinates '" + c + "'");
            }
        }
        List<Path> jars;
        try {
            jars = Resolver.resolve(coords, parsed.getOrDefault("repo", List.of()));
        } catch (DependencyResolutionException e) {
            throw new MagicException("maven", USAGE, "could not resolve " + String.join(" ", coords) + ": "
                    + e.getMessage());
        }
        kernel.addToClasspath(jars);
        System.out.println("Added " + jars.size() + (jars.size() == 1 ? " jar: " : " jars: ")
                + jars.stream().map(p -> p.getFileName().toString()).collect(Collectors.joining(", ")));
        return null;
    }
}
