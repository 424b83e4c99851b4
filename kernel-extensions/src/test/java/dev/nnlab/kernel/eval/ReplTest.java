package dev.nnlab.kernel.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The in-process JShell on the JDK running the tests. */
class ReplTest {
    private static Repl repl;

    @BeforeAll
    static void start() {
        repl = new Repl(ReplTest.class.getClassLoader());
        repl.eval("import java.util.*;", "setup", 0);
    }

    @AfterAll
    static void stop() {
        repl.close();
    }

    @Test
    void trailingExpressionGivesTheObjectItself() {
        repl.eval("List<String> names = new ArrayList<>(List.of(\"a\"));", "t", 0);
        Object v = repl.eval("names", "t", 0);
        assertEquals(List.of("a"), v);
        repl.eval("names.add(\"b\");", "t", 0);
        assertSame(v, repl.eval("names", "t", 0));
        assertEquals(3, repl.eval("1 + 2", "t", 0));
        assertSame(Repl.NO_VALUE, repl.eval("int unused = 4;", "t", 0));
    }

    @Test
    void expressionsLeaveNoVariableBehind() {
        long before = repl.shell().variables().filter(v -> repl.shell().status(v).isActive()).count();
        assertEquals(2, repl.eval("1 + 1", "t", 0));
        assertEquals("x", repl.eval("\"x\"", "t", 0));
        assertThrows(CellException.class, () -> repl.eval("Integer.parseInt(\"no\")", "t", 0));
        assertEquals(before, repl.shell().variables().filter(v -> repl.shell().status(v).isActive()).count());
    }

    @Test
    void distinctExpressionsAreCompiledOnceEach() {
        int before = repl.refusedRedefinitions();
        for (int i = 0; i < 20; i++) {
            assertEquals(i + 1, repl.eval(i + " + 1", "t", 0));
        }
        assertEquals("x1", repl.eval("\"x\" + 1", "t", 0));
        assertEquals(before, repl.refusedRedefinitions(), "expressions were compiled again under new class names");
    }

    @Test
    void aNameDeclaredAgainIsCompiledTwiceAsJShellDoesLocally() {
        repl.eval("int lr = 1;", "t", 0);
        int before = repl.refusedRedefinitions();
        repl.eval("int lr = 2;", "t", 0);
        repl.eval("int lr = 3;", "t", 0);
        assertEquals(3, repl.eval("lr", "t", 0));
        assertEquals(before + 2, repl.refusedRedefinitions());
    }

    @Test
    void onlyActiveDeclarationsKeepTheirClassFiles() {
        try (Repl r = new Repl(ReplTest.class.getClassLoader())) {
            assertTrue(r.classFiles().reachable(), "jdk.jshell is not open to the kernel (Add-Opens, --add-opens)");
            r.eval("int base = 1;", "t", 0);
            r.eval("int plusBase(int a) { return a + base; }", "t", 0);
            r.eval("class Box { static class In { int w = 4; } int v = 3; }", "t", 0);
            int declared = r.classFiles().count();
            for (int i = 0; i < 20; i++) {
                assertEquals(i + 1, r.eval(i + " + 1", "t", 0));
                r.eval("base = base + 0;", "t", 0);
                r.eval("for (int k = 0; k < 1; k++) { new Object() { }.hashCode(); }", "t", 0);
                r.eval("new java.util.ArrayList<String>().clear()", "t", 0);
                r.eval("int base = " + i + ";", "t", 0); // plusBase is compiled again, under a new class name
            }
            assertEquals(declared, r.classFiles().count(), "class files of snippets no later snippet can name are kept");
            assertEquals(19 + 3 + 4, r.eval("plusBase(new Box().v) + new Box.In().w", "t", 0));
            r.eval("class Box { int v = 5; }", "t", 0);
            assertEquals(24, r.eval("plusBase(new Box().v)", "t", 0));
        }
    }

    @Test
    void theOutermostClassOfAClassFileIsJShellsWrapper() {
        assertEquals("REPL.$JShell$12_13B", ClassFiles.outermost("REPL.$JShell$12_13B$Box$In"));
        assertEquals("REPL.$JShell$7", ClassFiles.outermost("REPL.$JShell$7"));
        assertEquals("REPL.$JShell$7", ClassFiles.outermost("REPL.$JShell$7$1"));
    }

    @Test
    void anExpressionsValueIsNotHeldAfterTheCell() throws Exception {
        java.lang.ref.WeakReference<Object> ref = new java.lang.ref.WeakReference<>(
                repl.eval("new byte[1 << 20]", "t", 0));
        for (int i = 0; i < 50 && ref.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertTrue(ref.get() == null, "the value of `new byte[1 << 20]` is still reachable after the cell");
    }

    @Test
    void severalSnippetsInOneCell() {
        assertEquals(12, repl.eval("int a = 3;\nint b = 4;\na * b", "t", 0));
    }

    @Test
    void aVoidCallRunsOnceAndShowsNoValue() {
        repl.eval("int[] runs = {0};\nvoid bump() { runs[0]++; }", "t", 0);
        assertSame(Repl.NO_VALUE, repl.eval("bump()", "t", 0));
        assertSame(Repl.NO_VALUE, repl.eval("bump(); // twice", "t", 0));
        assertEquals(2, repl.eval("runs[0]", "t", 0));
        CellException e = assertThrows(CellException.class, () -> repl.eval("int q = 1;\nbump(q);", "cell[9]", 0));
        assertEquals("CompileError", e.ename());
        assertTrue(e.evalue().contains("cannot be applied"), e.evalue());
        assertTrue(e.traceback().contains("cell[9], line 2: bump(q);"), e.traceback().toString());
        assertEquals(2, repl.eval("runs[0]", "t", 0));
    }

    @Test
    void aCompoundAssignmentShowsNoValueAndLeavesNoVariable() {
        repl.eval("int steps = 1;", "t", 0);
        long before = repl.shell().variables().filter(v -> repl.shell().status(v).isActive()).count();
        assertSame(Repl.NO_VALUE, repl.eval("steps += 2;", "t", 0));
        assertSame(Repl.NO_VALUE, repl.eval("steps *= 5", "t", 0));
        assertEquals(15, repl.eval("steps", "t", 0));
        assertEquals(before, repl.shell().variables().filter(v -> repl.shell().status(v).isActive()).count(),
                "a temporary variable ($1) was kept");
        CellException e = assertThrows(CellException.class, () -> repl.eval("nowhere += 1;", "t", 0));
        assertTrue(e.evalue().contains("cannot find symbol"), e.evalue());
        assertEquals(15, repl.eval("steps", "t", 0));
    }

    @Test
    void compileErrorPointsAtTheLine() {
        CellException e = assertThrows(CellException.class,
                () -> repl.eval("int ok = 1;\nint bad = missing + 1;", "cell[7]", 0));
        assertEquals("CompileError", e.ename());
        assertTrue(e.traceback().contains("cell[7], line 2: int bad = missing + 1;"), e.traceback().toString());
        assertEquals(1, repl.eval("ok", "t", 0));
    }

    @Test
    void systemExitIsReportedNotObeyed() {
        CellException e = assertThrows(CellException.class, () -> repl.eval("System.exit(3)", "t", 0));
        assertEquals("SystemExit", e.ename());
        e = assertThrows(CellException.class, () -> repl.eval("Runtime.getRuntime().halt(2);", "t", 0));
        assertEquals("SystemExit", e.ename());
    }

    @Test
    void runtimeExceptionKeepsOnlyCellFrames() {
        repl.eval("void fail() { throw new IllegalStateException(\"nope\"); }", "cell[2]", 0);
        CellException e = assertThrows(CellException.class, () -> repl.eval("fail();", "cell[3]", 0));
        assertEquals("IllegalStateException", e.ename());
        assertEquals("nope", e.evalue());
        String tb = String.join("\n", e.traceback());
        assertTrue(tb.contains("at fail (cell[2], line 1)"), tb);
        assertTrue(tb.contains("at cell[3], line 1"), tb);
        assertTrue(!tb.contains("jdk.jshell") && !tb.contains("reflect"), tb);
    }

    @Test
    void stopEndsAnEndlessLoopAndKeepsState() throws Exception {
        repl.eval("int kept = 5;", "t", 0);
        CompletableFuture<Throwable> run = CompletableFuture.supplyAsync(() -> {
            try {
                repl.eval("while (true) {}", "t", 0);
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        while (!repl.running()) {
            Thread.sleep(10);
        }
        Thread.sleep(300);
        long t0 = System.nanoTime();
        repl.stop();
        Throwable t = run.get(5, TimeUnit.SECONDS);
        assertTrue(System.nanoTime() - t0 < 1_000_000_000L, "stop took over a second");
        assertTrue(t instanceof CellException c && c.ename().equals("Interrupted"), String.valueOf(t));
        assertEquals(5, repl.eval("kept", "t", 0));
    }
}
