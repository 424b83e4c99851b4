package dev.nnlab.kernel.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the classes that cells define into a folder, as Scala's REPL does for Spark: with
 * {@code -Dnnlab.repl.exportClasses=true} the kernel makes a fresh folder and names it in
 * {@code spark.repl.class.outputDir}, so that a SparkContext created in a cell serves the classes to its
 * executors. The bytes written are the compiler's, without the kernel's exit rewriting.
 */
final class ClassExport {
    private final Path dir;

    private ClassExport(Path dir) {
        this.dir = dir;
    }

    /** The export the system properties ask for, or null. */
    static ClassExport fromSystemProperties() {
        String dir = System.getProperty("spark.repl.class.outputDir");
        try {
            if (dir == null && Boolean.getBoolean("nnlab.repl.exportClasses")) {
                Path d = Files.createTempDirectory("nnlab-repl-classes-");
                d.toFile().deleteOnExit();
                System.setProperty("spark.repl.class.outputDir", d.toString());
                dir = d.toString();
            }
        } catch (IOException e) {
            System.err.println("nnlab: cannot export cell classes: " + e);
            return null;
        }
        return dir == null ? null : new ClassExport(Path.of(dir));
    }

    void write(String className, byte[] bytes) {
        Path f = dir.resolve(className.replace('.', '/') + ".class");
        try {
            Files.createDirectories(f.getParent());
            Path tmp = Files.createTempFile(f.getParent(), ".class-", ".tmp");
            Files.write(tmp, bytes);
            Files.move(tmp, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            System.err.println("nnlab: cannot export class " + className + " to " + dir + ": " + e);
        }
    }
}
