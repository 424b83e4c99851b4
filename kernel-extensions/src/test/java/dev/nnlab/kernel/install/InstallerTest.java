package dev.nnlab.kernel.install;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The kernelspec opens the class-data archive the way its kind needs, and only with the java that made it. */
class InstallerTest {
    private static final String JAVA = "/jdk/bin/java";
    private static final Path JAR = Path.of("/k/nnlab-kernel.jar");

    @Test
    void anAotCacheIsOpenedWithAotCache() {
        String spec = Installer.kernelJson(JAVA, JAR, Path.of("/k/nnlab.aot"), "Java (nnlab)", java.util.Map.of());
        assertTrue(spec.contains("-XX:AOTCache=/k/nnlab.aot"), spec);
        assertFalse(spec.contains("SharedArchiveFile") || spec.contains("-Xshare"), spec);
        assertTrue(spec.contains("[ \\\"$J\\\" = \\\"" + JAVA + "\\\" ]"), spec);
    }

    @Test
    void aDynamicArchiveIsOpenedWithSharedArchiveFile() {
        String spec = Installer.kernelJson(JAVA, JAR, Path.of("/k/nnlab.jsa"), "Java (nnlab)", java.util.Map.of());
        assertTrue(spec.contains("-XX:SharedArchiveFile=/k/nnlab.jsa"), spec);
        assertFalse(spec.contains("AOTCache"), spec);
    }

    @Test
    void noArchiveNoOption() {
        String spec = Installer.kernelJson(JAVA, JAR, null, "Java (nnlab)", java.util.Map.of());
        assertFalse(spec.contains("AOTCache") || spec.contains("SharedArchiveFile"), spec);
    }
}
