package dev.nnlab.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProgressTest {
    /** Records what a sink hears: "open", "update N", "close N". */
    static final class Recorder implements Progress.Sink {
        final List<String> events = new ArrayList<>();

        @Override
        public Progress.View open(Progress bar) {
            events.add("open " + bar.label());
            return new Progress.View() {
                @Override
                public void update(Progress p) {
                    events.add("update " + p.done());
                }

                @Override
                public void close(Progress p) {
                    events.add("close " + p.done());
                }
            };
        }
    }

    @AfterEach
    void restore() {
        Progress.install(null);
    }

    @Test
    void throttledUpdatesAreFewAndTheLastIsAlwaysShown() {
        Recorder r = new Recorder();
        Progress.install(r);
        Progress p = Progress.start("fit", 100_000).interval(3600);
        for (int i = 0; i < 100_000; i++) {
            p.step();
        }
        p.close();
        p.close();
        assertEquals(List.of("open fit", "update 100000", "close 100000"), r.events);
    }

    @Test
    void refreshShowsTheBarAtOnceUntilItIsClosed() {
        Recorder r = new Recorder();
        Progress.install(r);
        Progress p = Progress.start("fit", 10).interval(3600);
        p.step(2);
        p.note("stage 2").refresh();
        p.close();
        p.refresh();
        assertEquals(List.of("open fit", "update 2", "close 2"), r.events);
    }

    @Test
    void intervalZeroReportsEveryStep() {
        Recorder r = new Recorder();
        Progress.install(r);
        try (Progress p = Progress.start("x", 3).interval(0)) {
            p.step();
            p.step(2);
        }
        assertEquals(List.of("open x", "update 1", "update 3", "close 3"), r.events);
    }

    @Test
    void overYieldsEveryItemAndCountsEachAfterItsBody() {
        Recorder r = new Recorder();
        Progress.install(r);
        List<String> seen = new ArrayList<>();
        for (String s : Progress.over(List.of("a", "b", "c"), "epoch 1")) {
            seen.add(s);
        }
        assertEquals(List.of("a", "b", "c"), seen);
        assertEquals("open epoch 1", r.events.get(0));
        assertEquals("close 3", r.events.get(r.events.size() - 1));
    }

    @Test
    void overAnIterableOfUnknownSizeCountsWithoutTotal() {
        Recorder r = new Recorder();
        Progress.install(r);
        Iterable<Integer> gen = () -> new Iterator<>() {
            int i;

            @Override
            public boolean hasNext() {
                return i < 4;
            }

            @Override
            public Integer next() {
                return i++;
            }
        };
        int n = 0;
        for (int ignored : Progress.over(gen, "stream")) {
            n++;
        }
        assertEquals(4, n);
        assertEquals("close 4", r.events.get(r.events.size() - 1));
    }

    @Test
    void lineShowsPercentCountAndBarLikeTqdm() {
        Progress.install(new Recorder());
        Progress p = Progress.start("epoch 1", 10).interval(3600);
        p.step(3);
        String line = p.note("loss=0.5").line();
        assertTrue(line.startsWith("epoch 1:  30%|███       | 3/10 ["), line);
        assertTrue(line.endsWith("] loss=0.5"), line);
        assertEquals(0.3, p.fraction(), 1e-12);
    }

    @Test
    void unknownTotalShowsCountOnly() {
        Progress.install(new Recorder());
        Progress p = Progress.start("", 0);
        p.step(7);
        assertTrue(p.line().startsWith("7it ["), p.line());
        assertTrue(Double.isNaN(p.eta()));
        assertTrue(Double.isNaN(p.fraction()));
    }

    @Test
    void blocksDrawEighths() {
        assertEquals("████▌     ", Progress.blocks(0.45, 10));
        assertEquals("          ", Progress.blocks(0, 10));
        assertEquals("██████████", Progress.blocks(1, 10));
    }

    @Test
    void clockFormatsLikeTqdm() {
        assertEquals("00:07", Progress.clock(7.2));
        assertEquals("02:05", Progress.clock(125));
        assertEquals("1:02:05", Progress.clock(3725));
        assertEquals("?", Progress.clock(Double.NaN));
    }

    @Test
    void textSinkRewritesOneLineAndEndsIt() {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try (Progress p = Progress.start("t", 2).interval(0)) {
            p.step();
            p.step();
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        assertEquals(3, out.split("\r", -1).length - 1, out);
        assertTrue(out.endsWith("\n"), out);
        assertEquals(1, out.split("\n", -1).length - 1, out);
        assertTrue(out.contains("2/2"), out);
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Progress.start("x", -1));
        Progress p = Progress.start("x", 1);
        assertThrows(IllegalArgumentException.class, () -> p.step(-1));
        assertThrows(IllegalArgumentException.class, () -> p.interval(-1));
        assertThrows(NullPointerException.class, () -> Progress.over(null, "x"));
    }

    @Test
    void aMutedThreadsBarsCountButShowNothing() throws Exception {
        Recorder r = new Recorder();
        Progress.install(r);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try (Progress.Scope outer = Progress.mute()) {
            int n = 0;
            for (int i : Progress.over(List.of(1, 2, 3), "hidden")) {
                n += i;
            }
            assertEquals(6, n);
            try (Progress.Scope inner = Progress.mute()) {
                assertTrue(Progress.muted());
            }
            assertTrue(Progress.muted(), "an inner scope gives back the outer one");
            Progress p = Progress.start("counted", 4);
            p.step(4);
            p.close();
            assertEquals(4, p.done());
            assertTrue(p.isClosed());
            Progress.install(null);
            Progress.start("text sink, muted", 2).close();
        } finally {
            System.setOut(old);
        }
        assertEquals(List.of(), r.events);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        assertTrue(!Progress.muted());
        // another thread is not muted by this one's scope
        Progress.install(r);
        try (Progress.Scope s = Progress.mute()) {
            Thread t = new Thread(() -> Progress.start("other thread", 1).close());
            t.start();
            t.join();
        }
        assertEquals(List.of("open other thread", "close 0"), r.events);
    }
}
