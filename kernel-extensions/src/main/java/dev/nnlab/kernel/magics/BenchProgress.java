package dev.nnlab.kernel.magics;

import dev.nnlab.bench.ProgressListener;
import java.io.PrintStream;

/** A benchmark's progress as one text line that rewrites itself ({@code \r}), as tqdm's text bar does in Jupyter. */
final class BenchProgress implements ProgressListener {
    private static final int WIDTH = 24;
    private static final long EVERY_NS = 200_000_000L;

    private final PrintStream out;
    private final long start = System.nanoTime();
    private long last;
    private int lastLength;
    private boolean finished;

    BenchProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public void update(double fraction, String status) {
        long now = System.nanoTime();
        if (finished || fraction < 1 && now - last < EVERY_NS) {
            return;
        }
        finished = fraction >= 1;
        last = now;
        int filled = (int) Math.round(Math.max(0, Math.min(1, fraction)) * WIDTH);
        String line = String.format("[%s%s] %3.0f%% %4.1f s  %s", "#".repeat(filled), ".".repeat(WIDTH - filled),
                fraction * 100, (now - start) / 1e9, status);
        String pad = " ".repeat(Math.max(0, lastLength - line.length()));
        lastLength = line.length();
        out.print("\r" + line + pad + (fraction >= 1 ? "\n" : ""));
        out.flush();
    }
}
