package dev.nnlab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnlab.kernel.eval.Repl;
import org.junit.jupiter.api.Test;

/** The warm-up runs on a JShell of its own, leaves the user's untouched, and stops when asked. */
class WarmUpTest {
    private static final ClassLoader LOADER = WarmUpTest.class.getClassLoader();

    @Test
    void aStoppedWarmUpDoesNothing() {
        WarmUp w = new WarmUp();
        w.stop();
        w.run(LOADER);
        assertEquals(0, w.done());
    }

    @Test
    void itRunsEverySnippetAndTheUsersJShellSeesNone() {
        try (Repl user = new Repl(LOADER)) {
            user.eval("int kept = 42;", "cell[1]", 0);
            WarmUp w = new WarmUp();
            w.run(LOADER);
            assertEquals(WarmUp.ROUNDS * WarmUp.SNIPPETS.size(), w.done());
            assertEquals(1, user.shell().snippets().count());
            assertEquals(42, user.eval("kept", "cell[2]", 0));
            assertTrue(user.shell().variables().noneMatch(v -> v.name().equals("x") || v.name().equals("s")));
        }
    }

    @Test
    void stopEndsItAfterTheSnippetInHand() throws Exception {
        WarmUp w = new WarmUp();
        Thread t = new Thread(() -> w.run(LOADER));
        t.start();
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (w.done() < 3 && t.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        w.stop();
        int atStop = w.done();
        t.join(120_000);
        assertFalse(t.isAlive());
        assertTrue(w.done() <= atStop + 1, w.done() + " snippets, " + atStop + " when stopped");
        assertTrue(w.done() < WarmUp.ROUNDS * WarmUp.SNIPPETS.size());
    }
}
