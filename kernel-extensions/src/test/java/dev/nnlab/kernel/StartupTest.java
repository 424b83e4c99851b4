package dev.nnlab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnlab.kernel.eval.Repl;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartupTest {
    @Test
    void importsOnlyTheLibraryPackagesThatExist(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("dev/nnlab/tensor"));
        Files.write(dir.resolve("dev/nnlab/tensor/Tensor.class"), new byte[0]);
        Files.createDirectories(dir.resolve("dev/nnlab/nn"));
        Files.write(dir.resolve("dev/nnlab/nn/Module.class"), new byte[0]);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
            List<String> imports = Startup.importsFor(loader);
            assertTrue(imports.contains("import dev.nnlab.tensor.*;"), imports.toString());
            assertTrue(imports.contains("import dev.nnlab.nn.*;"), imports.toString());
            assertTrue(imports.contains("import static dev.nnlab.tensor.Tensor.*;"), imports.toString());
            assertTrue(imports.contains("import dev.nnlab.nn.Module;"), imports.toString());
            assertFalse(imports.contains("import dev.nnlab.optim.*;"), imports.toString());
            assertTrue(imports.contains("import java.util.*;"), imports.toString());
            assertTrue(imports.contains("import static dev.nnlab.kernel.display.Display.*;"), imports.toString());
        }
    }

    @Test
    void withoutTheLibraryNoLibraryImports() throws Exception {
        try (URLClassLoader loader = new URLClassLoader(new URL[0], null)) {
            assertTrue(Startup.importsFor(loader).stream().noneMatch(i -> i.contains("dev.nnlab.tensor")));
        }
    }

    @Test
    void theOnDemandImportsAreOneSnippetThatACellsOwnImportLeavesInPlace() {
        try (Repl r = new Repl(StartupTest.class.getClassLoader())) {
            Startup.imports(r);
            // the on-demand imports as one snippet; Module and Timer, the single-type ones, alone
            assertEquals(3, r.shell().imports().count(), r.shell().imports().map(i -> i.source()).toList().toString());
            r.eval("import java.util.*;\nimport static dev.nnlab.tensor.Tensor.*;", "cell[1]", 0);
            assertEquals(List.of(6), r.eval("List.of(zeros(2, 3).numel())", "cell[2]", 0));
            assertEquals("dev.nnlab.nn.Module", r.eval("Module.class.getName()", "cell[3]", 0));
            assertEquals("java.util.concurrent.TimeUnit", r.eval("TimeUnit.class.getName()", "cell[4]", 0));
            // a cell's single-type import replaces ours, as JShell's imports do
            r.eval("import java.lang.Module;", "cell[5]", 0);
            assertEquals("java.lang.Module", r.eval("Module.class.getName()", "cell[6]", 0));
        }
    }
}
