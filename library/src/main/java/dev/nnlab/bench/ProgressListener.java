package dev.nnlab.bench;

/**
 * Told how far a benchmark has got, so that a notebook can show a progress bar: {@code fraction} of the whole job
 * in [0, 1] and what runs now ("ModuleList fwd: warming up"). Called at most every few tens of milliseconds.
 */
@FunctionalInterface
public interface ProgressListener {
    /** The listener that ignores progress. */
    ProgressListener NONE = (fraction, status) -> { };

    void update(double fraction, String status);
}
