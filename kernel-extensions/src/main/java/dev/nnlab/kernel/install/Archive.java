package dev.nnlab.kernel.install;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Makes the class-data archive of what a kernel loads, by running the kernel's training once under
 * {@code -XX:ArchiveClassesAtExit}: a dynamic AppCDS archive, on JDK 17 and JDK 25 alike. JDK 25's AOT cache also
 * holds method profiles, but with an incubator module in the boot layer (the Vector API) it links no class ahead of
 * time, so a start-up spun its ~500 lambda and hidden classes again; the dynamic archive keeps them. JDK 25, launch
 * to the first cell's result, 8 interleaved kernels each: 483 ms (median) against 561 with the AOT cache.
 */
final class Archive {
    /** What opens the archive: the JVM falls back to no archive, silently, when it does not fit. */
    static final String OPTIONS = "-Xshare:auto -Xlog:cds=off";

    private Archive() {
    }

    /** The archive ({@code nnlab.jsa}), or null when this java makes none. */
    static Path create(String java, Path jar, Path dir) {
        Path jsa = dir.resolve("nnlab.jsa");
        try {
            Files.deleteIfExists(dir.resolve("nnlab.aot")); // an earlier install's AOT cache
            Files.deleteIfExists(jsa);
            return train(java, jar, jsa) ? jsa : null;
        } catch (IOException | InterruptedException e) {
            System.err.println("note: no class-data archive (" + e.getMessage() + "); the kernel starts without it");
            return null;
        }
    }

    /** Runs the training with the kernel's own JVM options, so that the archive fits the kernel's JVM. */
    private static boolean train(String java, Path jar, Path archive) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(java, "-XX:ArchiveClassesAtExit=" + archive, "-Xshare:auto",
                "-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
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
