package dev.nnlab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CursorTest {
    @Test
    void codePointsAndUtf16IndicesConvertBothWays() {
        String s = "\"😀\" + x";
        assertEquals(4, Cursor.toIndex(s, 3));
        assertEquals(3, Cursor.toCodePoints(s, 4));
        assertEquals(s.length(), Cursor.toIndex(s, 1000));
    }
}
