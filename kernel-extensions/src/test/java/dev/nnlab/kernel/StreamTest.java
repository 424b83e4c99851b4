package dev.nnlab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamTest {
    @Test
    void multiByteCharactersSplitAcrossWritesStayWhole() {
        List<String> out = new ArrayList<>();
        Stream s = new Stream("stdout", (name, text) -> out.add(text));
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
        s.write(euro, 0, 1);
        s.drain();
        s.write(euro, 1, 2);
        s.drain();
        assertEquals(List.of("€"), out);
    }

    @Test
    void largeWritesArePublishedInChunks() {
        List<String> out = new ArrayList<>();
        Stream s = new Stream("stdout", (name, text) -> out.add(text));
        byte[] big = "x".repeat(1_000_000).getBytes(StandardCharsets.UTF_8);
        s.write(big, 0, big.length);
        s.drain();
        assertEquals(1_000_000, out.stream().mapToInt(String::length).sum());
        assertEquals(true, out.size() > 1);
    }
}
