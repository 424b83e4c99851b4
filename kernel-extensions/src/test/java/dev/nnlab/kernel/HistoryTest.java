package dev.nnlab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryTest {
    private static History history() {
        History h = new History();
        h.add(1, "1 + 1", "2");
        h.add(2, "int x = 3;", null);
        h.add(3, "1 + 1", "2");
        h.add(4, "x * 2", "6");
        return h;
    }

    private static List<Integer> lines(List<History.Entry> entries) {
        return entries.stream().map(History.Entry::line).toList();
    }

    @Test
    void tailReturnsTheLastN() {
        assertEquals(List.of(3, 4), lines(history().tail(2)));
        assertEquals(List.of(1, 2, 3, 4), lines(history().tail(10)));
    }

    @Test
    void rangeIsHalfOpenAndForTheCurrentSession() {
        assertEquals(List.of(2), lines(history().range(History.SESSION, 2, 3)));
        assertEquals(List.of(2, 3, 4), lines(history().range(0, 2, 0)));
        assertEquals(List.of(), lines(history().range(7, 1, 5)));
    }

    @Test
    void searchMatchesGlobs() {
        assertEquals(List.of(1, 3), lines(history().search("1 ? 1", 0, false)));
        assertEquals(List.of(2, 4), lines(history().search("*x*", 0, false)));
        assertEquals(List.of(4), lines(history().search("*x*", 1, false)));
        assertEquals(List.of(1, 2, 3, 4), lines(history().search("*", 0, false)));
        assertEquals(List.of(), lines(history().search("1", 0, false)));
        assertEquals(List.of(2), lines(history().search("int [a-z]*", 0, false)));
    }

    @Test
    void uniqueSearchKeepsTheLatestOfEachInput() {
        assertEquals(List.of(3), lines(history().search("1 + 1", 0, true)));
        assertEquals(List.of(2, 3, 4), lines(history().search("*", 0, true)));
    }
}
