package dev.nnlab.kernel.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class CellTest {
    @Test
    void javaOnlyCellIsOnePart() {
        assertEquals(List.of(new Cell.Java("int x = 1;\nx + 1", 0)), Cell.parse("int x = 1;\nx + 1"));
    }

    @Test
    void lineMagicsSplitTheJava() {
        List<Cell.Part> parts = Cell.parse("%maven a:b:1\nint x = 1;\n%classpath lib/*.jar\nx");
        assertEquals(List.of(new Cell.LineMagic("maven", "a:b:1", 0), new Cell.Java("int x = 1;\n", 1),
                new Cell.LineMagic("classpath", "lib/*.jar", 2), new Cell.Java("x", 3)), parts);
    }

    @Test
    void cellMagicTakesTheWholeBody() {
        assertEquals(List.of(new Cell.CellMagic("time", "", "int y = 2;\n%notmagic")),
                Cell.parse("%%time\nint y = 2;\n%notmagic"));
    }

    @Test
    void percentContinuingAnExpressionIsJava() {
        assertEquals(List.of(new Cell.Java("int r = 10\n  % 3;", 0)), Cell.parse("int r = 10\n  % 3;"));
    }
}
