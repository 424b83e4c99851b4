package dev.nnlab.kernel.magics;

import dev.nnlab.bench.ProgressListener;
import dev.nnlab.progress.Progress;

/**
 * A benchmark's progress as a {@link Progress} bar of 100 steps (percent), with what runs now as its note: an
 * in-place HTML bar in the notebook, a text line elsewhere. Close it when the benchmark ends, however it ends.
 */
final class BenchProgress implements ProgressListener, AutoCloseable {
    private static final int STEPS = 100;

    private final Progress bar;
    private long done;

    BenchProgress(String label) {
        bar = Progress.start(label, STEPS);
    }

    @Override
    public void update(double fraction, String status) {
        long target = Math.round(Math.max(0, Math.min(1, fraction)) * STEPS);
        boolean news = !bar.note().equals(status == null ? "" : status);
        bar.note(status);
        bar.step(Math.max(0, target - done));
        done = Math.max(done, target);
        if (news) {
            bar.refresh(); // each stage shows as it starts, however soon it ends
        }
        if (fraction >= 1) {
            bar.close();
        }
    }

    @Override
    public void close() {
        bar.close();
    }
}
