package dev.nnlab.kernel.magics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaTest {
    private static final Schema ADD = Schema.of("hooks add", "attaches recorders")
            .positional("MODEL", "the model")
            .option("what", "KIND", "activations, gradients or both")
            .option("input", "SHAPE", "input shape")
            .option("min-time", "TIME", "minimum time")
            .option("every", "N", "every N steps")
            .flag("log", "log scale");

    @Test
    void parsesPositionalsOptionsAndFlags() {
        Parsed p = ADD.parse(List.of("net.layers", "--what=gradients", "--input", "64,100", "--log"));
        assertEquals("net.layers", p.positional("MODEL"));
        assertEquals("gradients", p.choice("what", "both", "activations", "gradients", "both"));
        assertArrayEquals(new int[] {64, 100}, p.shape("input"));
        assertTrue(p.flag("log"));
        assertEquals(5, p.intOption("every", 5));
        assertEquals(1.0, p.duration("min-time", 1.0));
    }

    @Test
    void usageIsDerivedFromTheDeclaration() {
        String u = ADD.usage();
        assertTrue(u.startsWith("%hooks add MODEL [--what KIND] [--input SHAPE] [--min-time TIME] [--every N] [--log]"), u);
        assertTrue(u.contains("--what KIND") && u.contains("activations, gradients or both"), u);
    }

    @Test
    void helpPrintsUsageAndReturnsNull() {
        assertNull(ADD.parse(List.of("--help")));
    }

    @Test
    void badArgumentsNameTheProblemAndTheUsage() {
        assertError("missing MODEL", List.of());
        assertError("unknown option --whta", List.of("m", "--whta", "x"));
        assertError("--what needs a value (KIND)", List.of("m", "--what"));
        assertError("unexpected argument 'extra'", List.of("m", "extra"));
        assertError("--log takes no value", List.of("m", "--log=1"));
        MagicException e = assertThrows(MagicException.class,
                () -> ADD.parse(List.of("m", "--input", "64,abc")).shape("input"));
        assertTrue(e.getMessage().contains("--input must be a shape of positive sizes such as 64,100, got '64,abc'"));
        for (String bad : List.of("64,x", "64,", "64x")) {
            assertThrows(MagicException.class, () -> ADD.parse(List.of("m", "--input", bad)).shape("input"), bad);
        }
        e = assertThrows(MagicException.class, () -> ADD.parse(List.of("m", "--every", "two")).intOption("every", 1));
        assertTrue(e.getMessage().contains("--every must be an integer, got 'two'"));
        e = assertThrows(MagicException.class, () -> ADD.parse(List.of("m", "--what", "all"))
                .choice("what", "both", "activations", "gradients", "both"));
        assertTrue(e.getMessage().contains("--what must be one of activations, gradients, both, got 'all'"));
        e = assertThrows(MagicException.class, () -> ADD.parse(List.of("m", "--min-time", "-1s")).duration("min-time", 1));
        assertTrue(e.getMessage().contains("positive duration"));
    }

    @Test
    void durationsAndShapes() {
        Parsed p = ADD.parse(List.of("m", "--min-time", "500ms", "--input", "(1, 3, 28, 28)"));
        assertEquals(0.5, p.duration("min-time", 1), 1e-12);
        assertArrayEquals(new int[] {1, 3, 28, 28}, p.shape("input"));
        assertArrayEquals(new int[] {64, 100}, ADD.parse(List.of("m", "--input", "64x100")).shape("input"));
        assertFalse(p.flag("log"));
    }

    @Test
    void restCollectsTrailingPositionals() {
        Schema remove = Schema.of("hooks remove", "removes hooks").rest("ID", "hook ids").flag("all", "every hook");
        Parsed p = remove.parse(List.of("3", "7", "--all"));
        assertEquals(List.of("3", "7"), p.rest());
        assertThrows(IllegalArgumentException.class, () -> Schema.of("x", "y").rest("A", "a").positional("B", "b"));
    }

    private static void assertError(String problem, List<String> args) {
        MagicException e = assertThrows(MagicException.class, () -> ADD.parse(args));
        assertTrue(e.getMessage().startsWith("%hooks add: " + problem), e.getMessage());
        assertTrue(e.getMessage().contains("Usage: %hooks add MODEL"), e.getMessage());
    }
}
