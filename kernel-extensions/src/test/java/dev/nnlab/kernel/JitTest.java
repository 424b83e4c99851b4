package dev.nnlab.kernel;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The kernel's JIT directive reaches this JVM's compiler, and only for javac and JShell. */
class JitTest {
    @Test
    void javacAndJShellLeaveC2() throws Exception {
        assertFalse(Jit.dcmd("compilerDirectivesPrint").contains("com/sun/tools/javac"));
        Jit.limitJavac();
        String printed = Jit.dcmd("compilerDirectivesPrint");
        try {
            for (String match : new String[] {"com/sun/tools/javac/*.*", "jdk/jshell/*.*"}) {
                assertTrue(printed.contains(match), printed);
            }
            assertFalse(printed.contains("dev/nnlab"), printed);
        } finally {
            Jit.dcmd("compilerDirectivesRemove");
        }
    }
}
