package dev.nnlab.kernel.eval;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Calls that would end the JVM, in class files javac made (these nested classes). */
class ExitRewriterTest {
    static final class Plain {
        int f() {
            return 1;
        }
    }

    static final class Exits {
        void f() {
            System.exit(2);
        }
    }

    static final class Halts {
        void f() {
            Runtime.getRuntime().halt(2);
        }
    }

    static final class SaysExit {
        String f() {
            return "exit";
        }
    }

    private static byte[] bytes(Class<?> c) throws IOException {
        try (InputStream in = c.getResourceAsStream(c.getName().substring(c.getName().lastIndexOf('.') + 1) + ".class")) {
            return in.readAllBytes();
        }
    }

    private static boolean callsSystemExit(byte[] classFile) {
        return new String(classFile, StandardCharsets.ISO_8859_1).contains("dev/nnlab/kernel/eval/SystemExit");
    }

    @Test
    void aClassThatCallsNeitherIsLeftAsItIs() throws IOException {
        byte[] plain = bytes(Plain.class);
        assertSame(plain, ExitRewriter.rewrite(plain));
    }

    @Test
    void exitAndHaltAreRewritten() throws IOException {
        for (Class<?> c : new Class<?>[] {Exits.class, Halts.class}) {
            byte[] before = bytes(c);
            assertFalse(callsSystemExit(before), c.getName());
            assertTrue(callsSystemExit(ExitRewriter.rewrite(before)), c.getName());
        }
    }

    @Test
    void aConstantNamedExitGoesThroughTheRewriterAndKeepsItsCode() throws IOException {
        byte[] before = bytes(SaysExit.class);
        byte[] after = ExitRewriter.rewrite(before);
        assertNotSame(before, after);
        assertFalse(callsSystemExit(after));
    }
}
