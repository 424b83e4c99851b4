package dev.nnlab.kernel.install;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Makes the class-data archive of what a kernel loads, by running the kernel's training once: JDK 25's AOT
 * cache (classes loaded and linked, and method profiles) where the java has it, else a dynamic AppCDS archive.
 */
final class Archive {
    private Archive() {
    }

    /** The archive ({@code nnlab.aot} or {@code nnlab.jsa}), or null when this java makes neither. */
    static Path create(String java, Path jar, Path dir) {
        Path aot = dir.resolve("nnlab.aot");
        Path jsa = dir.resolve("nnlab.jsa");
        try {
            Files.deleteIfExists(aot);
            Files.deleteIfExists(jsa);
            if (train(java, jar, List.of("-XX:AOTCacheOutput=" + aot), aot)) {
                return aot;
            }
            List<String> cds = List.of("-XX:ArchiveClassesAtExit=" + jsa, "-Xshare:auto", "-Xlog:cds=off",
                    "-Xlog:cds+dynamic=off");
            return train(java, jar, cds, jsa) ? jsa : null;
        } catch (IOException | InterruptedException e) {
            System.err.println("note: no class-data archive (" + e.getMessage() + "); the kernel starts without it");
            return null;
        }
    }

    /** True for the AOT cache, which the kernel opens with -XX:AOTCache rather than -XX:SharedArchiveFile. */
    static boolean isAotCache(Path archive) {
        return archive.getFileName().toString().endsWith(".aot");
    }

    /** Runs the training with the kernel's own JVM options, so that the archive fits the kernel's JVM. */
    private static boolean train(String java, Path jar, List<String> options, Path archive)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(options);
        cmd.addAll(List.of(Installer.jvmOpts(java).split(" ")));
        cmd.addAll(List.of("-jar", jar.toAbsolutePath().toString(), "--train"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return false;
        }
        return p.exitValue() == 0 && Files.isRegularFile(archive) && Files.size(archive) > 0;
    }
}
