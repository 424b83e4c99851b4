package dev.nnlab.kernel.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Expected texts are what JShell 17 prints for the same values ({@code jshell> new int[]{2, 100}}). */
class ValueRendererTest {
    record Point(int x, int y) { }

    record Sample(String name, int[] shape) { }

    @Test
    void primitiveArraysReadLikeJShell() {
        assertEquals("int[2] { 2, 100 }", ValueRenderer.text(new int[] {2, 100}));
        assertEquals("int[0] {  }", ValueRenderer.text(new int[0]));
        assertEquals("double[2] { 0.3333333333333333, 1.0E20 }", ValueRenderer.text(new double[] {1.0 / 3, 1e20}));
        assertEquals("float[1] { 1.5 }", ValueRenderer.text(new float[] {1.5f}));
        assertEquals("boolean[1] { true }", ValueRenderer.text(new boolean[] {true}));
        assertEquals("byte[1] { 1 }", ValueRenderer.text(new byte[] {1}));
        assertEquals("long[2] { 3, -4 }", ValueRenderer.text(new long[] {3, -4}));
        assertEquals("short[1] { 7 }", ValueRenderer.text(new short[] {7}));
        assertEquals("char[2] { 'a', '\\n' }", ValueRenderer.text(new char[] {'a', '\n'}));
    }

    @Test
    void objectAndNestedArraysReadLikeJShell() {
        assertEquals("int[2][] { int[3] { 1, 2, 3 }, int[1] { 4 } }", ValueRenderer.text(new int[][] {{1, 2, 3}, {4}}));
        assertEquals("String[2] { \"a\", null }", ValueRenderer.text(new String[] {"a", null}));
        assertEquals("Object[5] { \"x\", 1, long[1] { 3 }, 2.5, 'b' }",
                ValueRenderer.text(new Object[] {"x", 1, new long[] {3}, 2.5f, 'b'}));
        assertEquals("String[2][] { String[2] { null, null }, String[2] { null, null } }",
                ValueRenderer.text(new String[2][2]));
        assertEquals("Integer[1] { 1 }", ValueRenderer.text(new Integer[] {1}));
        assertEquals("List[1] { [1] }", ValueRenderer.text(new List<?>[] {List.of(1)}));
    }

    @Test
    void collectionsMapsAndRecordsShowTheArraysInside() {
        assertEquals("[a, b]", ValueRenderer.text(List.of("a", "b")));
        assertEquals("[int[2] { 64, 100 }]", ValueRenderer.text(List.of(new int[] {64, 100})));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("shape", new int[] {2});
        m.put("n", 3);
        assertEquals("{shape=int[1] { 2 }, n=3}", ValueRenderer.text(m));
        assertEquals("Point[x=1, y=2]", ValueRenderer.text(new Point(1, 2)));
        assertEquals("Sample[name=x, shape=int[2] { 2, 3 }]", ValueRenderer.text(new Sample("x", new int[] {2, 3})));
        List<Object> self = new ArrayList<>();
        self.add(1);
        self.add(self);
        assertEquals("[1, (this Collection)]", ValueRenderer.text(self));
        assertEquals("null", ValueRenderer.text(null));
    }

    @Test
    void longStringsAreCutWithANote() {
        String s = "x".repeat(1_000_000);
        String t = ValueRenderer.text(s);
        assertTrue(t.length() < ValueRenderer.LIMIT + 200, "length " + t.length());
        assertTrue(t.startsWith("x".repeat(ValueRenderer.LIMIT)));
        assertTrue(t.contains("1,000,000 characters"), t.substring(ValueRenderer.LIMIT));
        assertEquals("short", ValueRenderer.text("short"));
    }

    @Test
    void hugeArraysAndListsStayBounded() {
        String a = ValueRenderer.text(new int[5_000_000]);
        assertTrue(a.length() < ValueRenderer.LIMIT + 200, "length " + a.length());
        assertTrue(a.startsWith("int[5000000] { 0, 0"));
        assertTrue(a.contains(" more)"), a.substring(a.length() - 100));
        List<Integer> big = new ArrayList<>();
        for (int i = 0; i < 1_000_000; i++) {
            big.add(i);
        }
        String l = ValueRenderer.text(big);
        assertTrue(l.length() < ValueRenderer.LIMIT + 200, "length " + l.length());
        assertTrue(l.startsWith("[0, 1, 2, "));
    }

    @Test
    void aThrowingToStringStillShowsSomething() {
        Object bad = new Object() {
            @Override
            public String toString() {
                throw new IllegalStateException("boom");
            }
        };
        assertTrue(Renderers.text(bad).contains("toString failed"), Renderers.text(bad));
        assertTrue(ValueRenderer.text(List.of(bad)).contains("boom"));
    }
}
