package dev.nnlab.kernel.install;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code java -jar nnlab-kernel.jar install [--user|--sys-prefix|--prefix P] [--java JAVA]} writes the
 * {@code nnlab} kernelspec, with a copy of the kernel jar beside kernel.json. The kernel runs in one JVM;
 * a {@code sh} in front only reads NNLAB_JAVA and NNLAB_JVM_OPTS and then execs java.
 */
public final class Installer {
    static final String USAGE = "usage: java -jar nnlab-kernel.jar install [--user | --sys-prefix | --prefix PREFIX]"
            + " [--java JAVA] [--name NAME] [--display-name TEXT] [--env KEY=VALUE]...";
    /**
     * Compile thresholds five times HotSpot's, except for the library, the Vector API and cell code (JShell's package
     * {@code REPL}), which keep HotSpot's (a per-method scale of 0.2 on top). The code around the cells (javac, the
     * JDK, ZeroMQ, gson) was compiled sooner than it paid for, on the cores the cells wait for: JDK 17, 6 interleaved
     * kernels, first 30 cells at once 12.7 ms each instead of 15.1, CPU per warm cell 11.1 ms instead of 13.3; JDK 25,
     * 12.6 ms of CPU instead of 14.8. Five times javac's alone did not help (15.2 against 13.8 ms).
     */
    static final String THRESHOLDS = "-XX:CompileThresholdScaling=5 -XX:CompileCommand=quiet"
            + " -XX:CompileCommand=CompileThresholdScaling,dev/nnlab/*.*,0.2"
            + " -XX:CompileCommand=CompileThresholdScaling,jdk/incubator/vector/*.*,0.2"
            + " -XX:CompileCommand=CompileThresholdScaling,REPL/*.*,0.2";
    /**
     * The serial collector and a small initial heap: javac's garbage made ParallelGC grow its young generation, to
     * 350-390 MiB resident over 150 cells; the heap still grows to what a session's tensors need. Then the JIT's
     * {@link #THRESHOLDS}.
     */
    static final String JVM_OPTS = "-Djava.awt.headless=true -XX:+UseSerialGC -Xms64m -Xss16m " + THRESHOLDS;
    /** The SIMD statistics scan of dev.nnlab.hooks needs it; the JVM then prints one WARNING line, to the log. */
    static final String VECTOR = "--add-modules=jdk.incubator.vector";

    private Installer() {
    }

    public static int run(String[] args) throws IOException {
        Path prefix = null;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String name = "nnlab";
        String display = "Java (nnlab)";
        Map<String, String> env = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--user" -> prefix = null;
                case "--sys-prefix" -> prefix = sysPrefix();
                case "--prefix" -> prefix = Path.of(value(args, ++i, "--prefix"));
                case "--java" -> java = value(args, ++i, "--java");
                case "--name" -> name = value(args, ++i, "--name");
                case "--display-name" -> display = value(args, ++i, "--display-name");
                case "--env" -> {
                    String kv = value(args, ++i, "--env");
                    int eq = kv.indexOf('=');
                    if (eq <= 0) {
                        System.err.println("--env needs KEY=VALUE, got " + kv + "\n" + USAGE);
                        return 2;
                    }
                    env.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
                case "-h", "--help" -> {
                    System.out.println(USAGE);
                    return 0;
                }
                default -> {
                    System.err.println("unknown option " + args[i] + "\n" + USAGE);
                    return 2;
                }
            }
        }
        Path dir = (prefix == null ? userDataDir() : prefix.resolve("share").resolve("jupyter"))
                .resolve("kernels").resolve(name);
        Files.createDirectories(dir);
        Path jar = dir.resolve("nnlab-kernel.jar");
        Path self = selfJar();
        if (!self.toAbsolutePath().equals(jar.toAbsolutePath())) {
            Files.copy(self, jar, StandardCopyOption.REPLACE_EXISTING);
        }
        Path archive = Archive.create(java, jar, dir);
        Files.writeString(dir.resolve("kernel.json"), kernelJson(java, jar, archive, display, env), StandardCharsets.UTF_8);
        Logo.write(dir.resolve("logo-32x32.png"), 32);
        Logo.write(dir.resolve("logo-64x64.png"), 64);
        System.out.println("Installed kernelspec " + name + " in " + dir);
        return 0;
    }

    /** The kernel's JVM options on this java: {@link #JVM_OPTS}, and {@link #VECTOR} when its image has it. */
    static String jvmOpts(String java) {
        return hasVectorModule(java) ? JVM_OPTS + " " + VECTOR : JVM_OPTS;
    }

    /** True when the runtime image of this java lists jdk.incubator.vector (its {@code release} file). */
    static boolean hasVectorModule(String java) {
        try {
            Path release = Path.of(java).toRealPath().getParent().getParent().resolve("release");
            return Files.readString(release).matches("(?s).*\\bjdk\\.incubator\\.vector\\b.*");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * The kernelspec; argv goes through sh only to read the NNLAB_* variables, then execs one JVM. The
     * class-data archive, and the Vector API module, are used only with the java they were found for.
     */
    static String kernelJson(String java, Path jar, Path archive, String display, Map<String, String> env) {
        String option = archive == null ? "" : "-XX:SharedArchiveFile=" + archive + " " + Archive.OPTIONS;
        if (hasVectorModule(java)) option = (option + " " + VECTOR).trim();
        String own = option.isEmpty() ? "" : "[ \"$J\" = \"" + java + "\" ] && C=\"" + option + "\"; ";
        String script = "J=\"${NNLAB_JAVA:-" + java + "}\"; [ -d \"$J\" ] && J=\"$J/bin/java\"; C=; " + own
                + "exec \"$J\" $C " + JVM_OPTS + " $NNLAB_JVM_OPTS -jar \"" + jar.toAbsolutePath() + "\" \"$0\"";
        JsonArray argv = new JsonArray();
        argv.add("/bin/sh");
        argv.add("-c");
        argv.add(script);
        argv.add("{connection_file}");
        JsonObject spec = new JsonObject();
        spec.add("argv", argv);
        spec.addProperty("display_name", display);
        spec.addProperty("language", "java");
        spec.addProperty("interrupt_mode", "message");
        JsonObject vars = new JsonObject();
        env.forEach(vars::addProperty);
        spec.add("env", vars);
        JsonObject meta = new JsonObject();
        meta.addProperty("debugger", false);
        spec.add("metadata", meta);
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(spec) + "\n";
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
        }
        return args[i];
    }

    private static Path sysPrefix() {
        for (String var : new String[] {"VIRTUAL_ENV", "CONDA_PREFIX"}) {
            String v = System.getenv(var);
            if (v != null && !v.isBlank()) {
                return Path.of(v);
            }
        }
        throw new IllegalArgumentException("--sys-prefix needs an active virtualenv (VIRTUAL_ENV) or conda env"
                + " (CONDA_PREFIX); use --prefix PREFIX instead");
    }

    static Path userDataDir() {
        String d = System.getenv("JUPYTER_DATA_DIR");
        if (d != null && !d.isBlank()) {
            return Path.of(d);
        }
        String home = System.getProperty("user.home");
        String os = System.getProperty("os.name").toLowerCase();
        if (os.contains("mac")) {
            return Path.of(home, "Library", "Jupyter");
        }
        if (os.contains("win")) {
            return Path.of(System.getenv("APPDATA"), "jupyter");
        }
        String xdg = System.getenv("XDG_DATA_HOME");
        return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(home, ".local", "share")).resolve("jupyter");
    }

    private static Path selfJar() {
        try {
            return Path.of(Installer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot find the kernel jar", e);
        }
    }
}
