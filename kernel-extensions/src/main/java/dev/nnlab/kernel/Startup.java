package dev.nnlab.kernel;

import dev.nnlab.kernel.eval.CellException;
import dev.nnlab.kernel.eval.Repl;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What every session starts with: imports, NNLAB_CLASSPATH and NNLAB_STARTUP_SCRIPT. */
final class Startup {
    /** The jshell tool's default imports. */
    static final List<String> JAVA = List.of("java.io", "java.math", "java.net", "java.nio.file", "java.util",
            "java.util.concurrent", "java.util.function", "java.util.prefs", "java.util.regex", "java.util.stream");

    /** The library's packages; those present at run time are imported. */
    static final List<String> NNLAB = List.of("dev.nnlab.tensor", "dev.nnlab.autograd", "dev.nnlab.nn",
            "dev.nnlab.nn.functional", "dev.nnlab.nn.init", "dev.nnlab.optim", "dev.nnlab.io", "dev.nnlab.hooks",
            "dev.nnlab.gradflow", "dev.nnlab.bench", "dev.nnlab.summary", "dev.nnlab.progress", "dev.nnlab.plot", "dev.nnlab.spark");

    private Startup() {
    }

    static List<String> importsFor(ClassLoader loader) {
        List<String> out = new ArrayList<>();
        JAVA.forEach(p -> out.add("import " + p + ".*;"));
        for (String p : NNLAB) {
            if (loader.getResource(p.replace('.', '/') + "/") != null) {
                out.add("import " + p + ".*;");
            }
        }
        if (loader.getResource("dev/nnlab/tensor/Tensor.class") != null) {
            out.add("import static dev.nnlab.tensor.Tensor.*;");
        }
        // Names that java.lang or java.util also have would be ambiguous on demand; a single-type import settles it.
        for (String c : List.of("dev.nnlab.nn.Module", "dev.nnlab.bench.Timer")) {
            if (loader.getResource(c.replace('.', '/') + ".class") != null) out.add("import " + c + ";");
        }
        out.add("import static dev.nnlab.kernel.display.Display.*;");
        return out;
    }

    /**
     * Evaluates the imports: the on-demand ones as one snippet (one JShell evaluation instead of two dozen,
     * each of which compiled every import before it), headed by {@link Imports}; the single-type ones
     * alone, so that a cell's {@code import java.lang.Module;} replaces ours as in JShell.
     */
    static void imports(Repl repl) {
        List<String> all = importsFor(repl.classLoader());
        StringBuilder onDemand = new StringBuilder("import static " + Imports.class.getName() + ".*;");
        List<String> single = new ArrayList<>();
        for (String i : all) {
            if (i.endsWith(".*;")) {
                onDemand.append('\n').append(i);
            } else {
                single.add(i);
            }
        }
        try {
            repl.evalSnippet(onDemand.toString(), "startup");
        } catch (CellException e) {
            single = all; // one bad import would reject them all: one at a time, the others are kept
        }
        for (String i : single) {
            try {
                repl.evalSnippet(i, "startup");
            } catch (CellException e) {
                Log.warn("start-up import failed: " + i + ": " + e.evalue());
            }
        }
    }

    static void classpath(Repl repl) {
        String cp = System.getenv("NNLAB_CLASSPATH");
        if (cp == null || cp.isBlank()) {
            return;
        }
        for (String entry : cp.split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                repl.addToClasspath(Path.of(entry.strip()).toAbsolutePath().toString());
            }
        }
    }

    /** NNLAB_STARTUP_SCRIPT: a file of cell code (.jsh), or the code itself. */
    static void script(Repl repl) {
        String s = System.getenv("NNLAB_STARTUP_SCRIPT");
        if (s == null || s.isBlank()) {
            return;
        }
        try {
            Path p = Path.of(s.strip());
            String code = s.length() < 4096 && Files.isRegularFile(p) ? Files.readString(p) : s;
            repl.eval(code, "startup", 0);
        } catch (CellException e) {
            Log.warn("NNLAB_STARTUP_SCRIPT failed: " + e.ename() + ": " + e.evalue());
        } catch (Exception e) {
            Log.error("NNLAB_STARTUP_SCRIPT failed", e);
        }
    }
}
