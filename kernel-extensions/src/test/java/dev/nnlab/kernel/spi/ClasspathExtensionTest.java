package dev.nnlab.kernel.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.junit.jupiter.api.Test;

/**
 * The extension loads into a kernel that knows nothing of nnlab: {@link MiniKernel} runs in its own JVM with only
 * jjava-jupyter and its dependencies on the class path, and adds nnlab's classes and the library's dependencies in
 * a child loader, the way %classpath does in a stock JJava kernel.
 */
class ClasspathExtensionTest {
    private static String where(Class<?> c) throws Exception {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    @Test
    void magicsRenderersAndDisplayArriveThroughTheSpi() throws Exception {
        List<String> parent = new ArrayList<>();
        for (Class<?> c : List.of(BaseKernel.class, Gson.class, Class.forName("org.zeromq.ZMQ"),
                Class.forName("org.slf4j.LoggerFactory"))) {
            parent.add(where(c));
        }
        String tests = where(MiniKernel.class);
        parent.add(tests);
        List<String> child = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!parent.contains(Path.of(e).toString())) {
                child.add(e);
            }
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Djava.awt.headless=true", "-cp", String.join(File.pathSeparator, parent),
                MiniKernel.class.getName(), String.join(File.pathSeparator, child)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        Map<String, String> seen = new HashMap<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                seen.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        assertEquals("false", seen.get("parent-knows-nnlab"), out);
        for (String m : List.of("seed", "summary", "help", "lsmagic")) {
            assertTrue(seen.getOrDefault("magics", "").contains(m), out);
        }
        assertTrue(!seen.getOrDefault("magics", "").contains("maven"), out);
        assertEquals("int[2] { 2, 100 }", seen.get("array"), out);
        assertEquals("true", seen.get("tensor-html"), out);
        assertEquals("true", seen.get("summary"), out);
        assertEquals("1 html=true", seen.get("displayed"), out);
    }
}
