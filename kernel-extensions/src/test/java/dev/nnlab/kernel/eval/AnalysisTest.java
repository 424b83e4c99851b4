package dev.nnlab.kernel.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AnalysisTest {
    private static Repl repl;
    private static Analysis analysis;

    @BeforeAll
    static void start() {
        repl = new Repl(AnalysisTest.class.getClassLoader());
        analysis = new Analysis(repl, () -> Set.of("maven", "time", "%time"));
    }

    @AfterAll
    static void stop() {
        repl.close();
    }

    @Test
    void classifiesCompleteness() {
        for (String c : new String[] {"1 + 1", "int x = 1;", "class A {}", "%maven a:b:1", "%%time\nfoo(",
                "int a = 1;\nint b = 2;", ""}) {
            assertEquals("complete", analysis.isComplete(c), c);
        }
        for (String c : new String[] {"for (int i = 0; i < 3; i++) {", "class B {", "String s = \"a\" +",
                "int a = 1;\nvoid f() {"}) {
            assertEquals("incomplete", analysis.isComplete(c), c);
        }
        for (String c : new String[] {"int x = 1;)", "}"}) {
            assertEquals("invalid", analysis.isComplete(c), c);
        }
    }

    @Test
    void indentFollowsOpenBraces() {
        assertEquals("    ", Analysis.indent("class B {"));
        assertEquals("        ", Analysis.indent("class B {\n void f() {"));
        assertEquals("", Analysis.indent("class B { }"));
    }

    @Test
    void completesMembersAndMagics() {
        Analysis.Completion c = analysis.complete("int n = 1;\nMath.floorMo", 23);
        assertEquals(Set.of("floorMod("), Set.copyOf(c.matches()));
        assertEquals(16, c.start());
        c = analysis.complete("%ma", 3);
        assertEquals(java.util.List.of("maven"), c.matches());
        assertEquals(1, c.start());
    }

    @Test
    void inspectShowsTheSignature() {
        String doc = analysis.inspect("Math.max", 8, false);
        assertNotNull(doc);
        assertTrue(doc.contains("max("), doc);
    }
}
