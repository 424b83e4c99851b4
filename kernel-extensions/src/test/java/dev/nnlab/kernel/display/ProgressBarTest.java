package dev.nnlab.kernel.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnlab.progress.Progress;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    @AfterEach
    void restore() {
        Progress.install(null);
    }

    @Test
    void barWidthIsTheFractionDoneAndTextIsTheLine() {
        Progress.install(bar -> new Progress.View() {
            @Override
            public void update(Progress p) {
            }

            @Override
            public void close(Progress p) {
            }
        });
        Progress p = Progress.start("epoch <1>", 8).interval(3600);
        p.step(2);
        p.note("loss=0.5");
        DisplayData d = ProgressBar.data(p);
        assertEquals(p.line(), d.getData(MIMEType.TEXT_PLAIN));
        String h = (String) d.getData(MIMEType.TEXT_HTML);
        assertTrue(h.contains("width:25.0%"), h);
        assertTrue(h.contains("<span>epoch &lt;1&gt;</span>"), h);
        assertTrue(h.contains("25% 2/8 ["), h);
        assertTrue(h.contains("loss=0.5"), h);
    }

    @Test
    void aFastLoopSendsTheDisplayAndOneUpdate() {
        java.util.List<String> sent = new java.util.ArrayList<>();
        Display.install(new Display.Sink() {
            @Override
            public void display(DisplayData data, boolean update) {
                sent.add(update ? "update" : "display");
            }

            @Override
            public void clear(boolean wait) {
            }
        });
        org.dflib.jjava.jupyter.kernel.BaseKernel kernel = dev.nnlab.kernel.StockKernelTest.mini();
        try {
            Progress.install(new ProgressBar());
            try (Progress p = Progress.start("fast", 100_000).interval(3600)) {
                for (int i = 0; i < 100_000; i++) {
                    p.step();
                }
            }
        } finally {
            Display.install(null);
            dev.nnlab.kernel.StockKernelTest.close(kernel);
        }
        assertEquals(java.util.List.of("display", "update"), sent);
    }

    @Test
    void withoutAKernelTheBarFallsBackToText() {
        Progress.install(new ProgressBar());
        java.io.PrintStream old = System.out;
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(buf, true));
        try (Progress p = Progress.start("t", 1)) {
            p.step();
        } finally {
            System.setOut(old);
        }
        assertTrue(buf.toString().contains("\rt: 100%"), buf.toString());
    }
}
