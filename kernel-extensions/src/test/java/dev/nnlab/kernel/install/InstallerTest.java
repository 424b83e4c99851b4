package dev.nnlab.kernel.install;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kernelspec opens the class-data archive only with the java that made it, and the Vector API where it is. */
class InstallerTest {
    private static final String JAVA = "/jdk/bin/java";
    private static final Path JAR = Path.of("/k/nnlab-kernel.jar");

    @Test
    void theArchiveIsOpenedOnlyWithTheJavaThatMadeIt() {
        String spec = Installer.kernelJson(JAVA, JAR, Path.of("/k/nnlab.jsa"), "Java (nnlab)", java.util.Map.of());
        assertTrue(spec.contains("[ \\\"$J\\\" = \\\"" + JAVA + "\\\" ] && C=\\\"-XX:SharedArchiveFile=/k/nnlab.jsa"), spec);
    }

    @Test
    void noArchiveNoOption() {
        String spec = Installer.kernelJson(JAVA, JAR, null, "Java (nnlab)", java.util.Map.of());
        assertFalse(spec.contains("AOTCache") || spec.contains("SharedArchiveFile"), spec);
    }

    /** A fake runtime image: bin/java and a release file listing these modules. */
    private static String image(Path dir, String modules) throws IOException {
        Files.createDirectories(dir.resolve("bin"));
        Path java = Files.writeString(dir.resolve("bin/java"), "");
        Files.writeString(dir.resolve("release"), "JAVA_VERSION=\"17.0.15\"\nMODULES=\"" + modules + "\"\n");
        return java.toString();
    }

    @Test
    void theVectorModuleIsAddedOnlyWhenTheJavaHasIt(@TempDir Path tmp) throws IOException {
        String with = image(tmp.resolve("full"), "java.base java.logging jdk.incubator.vector jdk.jshell");
        String without = image(tmp.resolve("jlinked"), "java.base java.logging jdk.jshell");
        String spec = Installer.kernelJson(with, JAR, null, "Java (nnlab)", java.util.Map.of());
        String clause = "[ \\\"$J\\\" = \\\"" + with + "\\\" ] && C=\\\"--add-modules=jdk.incubator.vector\\\"";
        assertTrue(spec.contains(clause), spec);
        assertTrue(Installer.jvmOpts(with).endsWith(" --add-modules=jdk.incubator.vector"));
        String plain = Installer.kernelJson(without, JAR, null, "Java (nnlab)", java.util.Map.of());
        assertFalse(plain.contains("--add-modules"), plain);
        assertFalse(Installer.jvmOpts(without).contains("--add-modules"));
        String cds = Installer.kernelJson(with, JAR, Path.of("/k/nnlab.jsa"), "Java (nnlab)", java.util.Map.of());
        String both = "C=\\\"-XX:SharedArchiveFile=/k/nnlab.jsa -Xshare:auto -Xlog:cds=off --add-modules=jdk.incubator.vector\\\"";
        assertTrue(cds.contains(both), cds);
    }

    @Test
    void thisJdkHasTheVectorModule() {
        assertTrue(Installer.hasVectorModule(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    }
}
