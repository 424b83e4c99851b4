package dev.nnlab.kernel.install;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Makes the AppCDS archive of the classes a kernel loads, by running the kernel's training once. */
final class Archive {
    private Archive() {
    }

    /** The archive, or null when this java cannot make one (the kernel then starts without it). */
    static Path create(String java, Path jar, Path dir) {
        Path archive = dir.resolve("nnlab.jsa");
        try {
            Files.deleteIfExists(archive);
            List<String> cmd = List.of(java, "-XX:ArchiveClassesAtExit=" + archive, "-Djava.awt.headless=true",
                    "-Xshare:auto", "-Xlog:cds=off", "-Xlog:cds+dynamic=off", "-jar", jar.toAbsolutePath().toString(),
                    "--train");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 && Files.size(archive) > 0 ? archive : null;
        } catch (IOException | InterruptedException e) {
            System.err.println("note: no class-data archive (" + e.getMessage() + "); the kernel starts without it");
            return null;
        }
    }
}
