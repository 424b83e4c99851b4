package dev.nnlab.kernel.magics;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Resolves paths with glob patterns (*, ?, **, {a,b}) against the file system. */
final class Globs {
    private Globs() {
    }

    static List<Path> resolve(String pattern) throws IOException {
        String p = pattern.startsWith("~/") ? System.getProperty("user.home") + pattern.substring(1) : pattern;
        int firstGlob = indexOfGlob(p);
        if (firstGlob < 0) {
            Path path = Path.of(p);
            return Files.exists(path) ? List.of(path.toAbsolutePath()) : List.of();
        }
        int slash = p.lastIndexOf('/', firstGlob);
        Path base = slash < 0 ? Path.of("") : Path.of(slash == 0 ? "/" : p.substring(0, slash));
        Path absBase = base.toAbsolutePath();
        String rest = slash < 0 ? p : p.substring(slash + 1);
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + rest);
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(absBase)) {
            return out;
        }
        int depth = rest.contains("**") ? Integer.MAX_VALUE : rest.split("/").length;
        try (Stream<Path> s = Files.walk(absBase, depth)) {
            s.filter(x -> !x.equals(absBase) && m.matches(absBase.relativize(x))).sorted().forEach(out::add);
        }
        return out;
    }

    private static int indexOfGlob(String p) {
        for (int i = 0; i < p.length(); i++) {
            if ("*?[{".indexOf(p.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
