package dev.nnlab.kernel;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.ObjectName;

/**
 * Keeps javac and JShell out of the C2 compiler once the session's first cells have run. Each cell runs two
 * javac passes through thousands of javac methods; over a session's first few hundred cells C2 kept compiling
 * them, about as much CPU again as the cells themselves, while C1's code runs javac almost as fast. The
 * library and cell code keep C2, and what C2 compiled before stays. Set at JVM start the directive made the
 * boot slower, and set at the end of the boot the first 30 cells (javac then ran longer on profiled C1 code),
 * so it comes after {@link #CELLS} cells. {@code -Dnnlab.javacC2=true} leaves the JIT as it is.
 */
final class Jit {
    /** HotSpot compiler directives (the format of {@code -XX:CompilerDirectivesFile}). */
    static final String DIRECTIVES = "[{ match: [\"com/sun/tools/javac/*.*\", \"jdk/jshell/*.*\","
            + " \"jdk/internal/shellsupport/*.*\"], c2: { Exclude: true } }]";
    private static final String DCMD = "com.sun.management:type=DiagnosticCommand";
    /** Executed cells after which the directive is added. */
    static final int CELLS = 30;

    private Jit() {
    }

    /** {@link #limitJavac()} on a thread of its own, so that no cell waits for it. */
    static void limitJavacSoon() {
        Thread t = new Thread(Jit::limitJavac, "nnlab-jit");
        t.setDaemon(true);
        t.start();
    }

    /** Adds {@link #DIRECTIVES} to this JVM; a JVM without the diagnostic command keeps its JIT as it is. */
    static void limitJavac() {
        if (Boolean.getBoolean("nnlab.javacC2")) {
            return;
        }
        Path file = null;
        try {
            file = Files.createTempFile("nnlab-jit-", ".json");
            Files.writeString(file, DIRECTIVES);
            String out = dcmd("compilerDirectivesAdd", file.toString());
            if (!out.contains("1 compiler directives added")) {
                Log.warn("javac's JIT directive was not taken: " + out.strip());
            }
        } catch (Exception | LinkageError e) {
            Log.warn("javac's JIT directive was not taken: " + e);
        } finally {
            if (file != null) {
                file.toFile().delete();
            }
        }
    }

    /** Runs a HotSpot diagnostic command (what jcmd runs) in this JVM and returns its output. */
    static String dcmd(String operation, String... args) throws Exception {
        return String.valueOf(ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName(DCMD), operation,
                new Object[] {args}, new String[] {String[].class.getName()}));
    }
}
