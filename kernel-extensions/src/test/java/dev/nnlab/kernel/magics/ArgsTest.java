package dev.nnlab.kernel.magics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ArgsTest {
    @Test
    void splitsLikeAShell() {
        assertEquals(List.of("a:b:1", "c:d:2"), Args.split("  a:b:1   c:d:2 "));
        assertEquals(List.of("my file.jsh", "x"), Args.split("\"my file.jsh\" x"));
        assertEquals(List.of("it's"), Args.split("'it'\\''s'"));
        assertEquals(List.of("a b"), Args.split("a\\ b"));
        assertEquals(List.of(), Args.split("   "));
        assertEquals(List.of("heads.get(\"a b\")", "--input", "64,100"), Args.split("heads.get(\"a b\") --input 64,100"));
        assertEquals(List.of("m.get('x')"), Args.split("m.get('x')"));
        assertEquals(List.of("--path=layers.*"), Args.split("--path='layers.*'"));
        assertEquals(List.of("s.of(\"q\\\"\")"), Args.split("s.of(\"q\\\"\")"));
    }

    @Test
    void keepsAJavaExpressionWholeInsideBrackets() {
        assertEquals(List.of("List.of(a, b)", "--every", "2"), Args.split("List.of(a, b) --every 2"));
        assertEquals(List.of("f(g(1, 2), \"x y\")", "z"), Args.split("f(g(1, 2), \"x y\") z"));
        assertEquals(List.of("new", "int[]", "{1, 2}"), Args.split("new int[] {1, 2}"));
        assertEquals(List.of("m.get( 'a' )"), Args.split("m.get( 'a' )"));
        assertEquals(List.of("a)", "b"), Args.split("a) b"));
    }

    @Test
    void unclosedQuoteIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> Args.split("\"open"));
    }

    @Test
    void badArgumentsNameTheMagicAndItsUsage() throws Exception {
        MagicException e = assertThrows(MagicException.class, () -> new MavenMagic().eval(null, List.of()));
        assertTrue(e.getMessage().startsWith("%maven: "), e.getMessage());
        assertTrue(e.getMessage().contains("Usage: %maven GROUP:ARTIFACT"), e.getMessage());
        e = assertThrows(MagicException.class, () -> new MavenMagic().eval(null, List.of("junit")));
        assertTrue(e.getMessage().contains("bad coordinates 'junit'"), e.getMessage());
        e = assertThrows(MagicException.class, () -> new LoadMagic().eval(null, List.of("a", "b")));
        assertTrue(e.getMessage().contains("Usage: %load FILE"), e.getMessage());
        e = assertThrows(MagicException.class, () -> new JarsMagic().eval(null, List.of()));
        assertTrue(e.getMessage().startsWith("%jars: "), e.getMessage());
    }

    @Test
    void timeFormatsLikeIPython() {
        assertEquals("12.5 ms", TimeMagic.format(12_500_000L));
        assertEquals("2.00 s", TimeMagic.format(2_000_000_000L));
    }
}
