package dev.nnlab.progress;

import java.util.Collection;
import java.util.Iterator;
import java.util.Locale;
import java.util.NoSuchElementException;

/**
 * A progress bar with rate and ETA, like tqdm: {@code for (var b : Progress.over(loader, "epoch 1"))}, or
 * {@code Progress.start("fit", n)} with {@code step()} and {@code close()}. The sink hears at most one update per
 * {@link #interval(double) interval} (0.1 s), plus the first and the last, so a loop of a million steps sends a
 * handful of messages. Not thread-safe: step a bar from one thread.
 */
public final class Progress implements AutoCloseable {
    /** Where bars are shown; {@link #install} replaces the default text line. */
    public interface Sink {
        /** A new bar is starting; what it returns hears the bar's updates. */
        View open(Progress bar);
    }

    /** One shown bar: told of every throttled update, and once when the bar closes. */
    public interface View {
        void update(Progress bar);

        void close(Progress bar);
    }

    /** A {@link #mute} scope for try-with-resources; closing it never throws. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    private static final Sink TEXT = new TextSink();
    private static final View HIDDEN = new View() {
        @Override
        public void update(Progress bar) {
        }

        @Override
        public void close(Progress bar) {
        }
    };
    private static final ThreadLocal<boolean[]> MUTED = ThreadLocal.withInitial(() -> new boolean[1]);
    private static volatile Sink sink = TEXT;

    private final String label;
    private final long total;
    private final long startNanos;
    private long done;
    private long intervalNanos = 100_000_000L;
    private long nextNanos;
    private long lastNanos;
    private String note = "";
    private boolean closed;
    private View view;

    private Progress(String label, long total) {
        this.label = label == null ? "" : label;
        this.total = Math.max(total, 0);
        this.startNanos = System.nanoTime();
        this.lastNanos = startNanos;
    }

    /** Starts a bar of {@code total} steps (0 when the total is unknown) and shows it. */
    public static Progress start(String label, long total) {
        if (total < 0) {
            throw new IllegalArgumentException("total must be >= 0 (0 for unknown), got " + total);
        }
        Progress p = new Progress(label, total);
        p.view = muted() ? HIDDEN : sink.open(p);
        p.nextNanos = p.startNanos + p.intervalNanos;
        return p;
    }

    /** Iterates over {@code items} while a bar counts them; a Collection's size is the total. */
    public static <T> Iterable<T> over(Iterable<T> items, String label) {
        return over(items, label, items instanceof Collection<?> c ? c.size() : 0);
    }

    /** Iterates over {@code items}, {@code total} of them, while a bar counts them. */
    public static <T> Iterable<T> over(Iterable<T> items, String label, long total) {
        if (items == null) {
            throw new NullPointerException("Progress.over: items is null");
        }
        return () -> new Iterator<T>() {
            private final Iterator<T> it = items.iterator();
            private final Progress bar = start(label, total);
            private boolean pending;

            @Override
            public boolean hasNext() {
                if (bar.closed) {
                    return false;
                }
                if (it.hasNext()) {
                    return true;
                }
                finishPrevious();
                bar.close();
                return false;
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                finishPrevious();
                pending = true;
                return it.next();
            }

            // An item counts as done when the loop body asks for the next one (tqdm's way).
            private void finishPrevious() {
                if (pending) {
                    pending = false;
                    bar.step();
                }
            }
        };
    }

    /** Installs where bars are shown (the kernel installs an HTML bar); null restores the text line. */
    public static void install(Sink s) {
        sink = s == null ? TEXT : s;
    }

    /**
     * Until the scope closes, bars started on this thread count as usual but show nothing, like tqdm's
     * {@code disable=True}. A Spark task runs under it: an executor has no notebook, and its log no use for a bar.
     */
    public static Scope mute() {
        boolean[] cell = MUTED.get();
        boolean previous = cell[0];
        cell[0] = true;
        return () -> cell[0] = previous;
    }

    /** True on a thread inside {@link #mute}. */
    public static boolean muted() {
        return MUTED.get()[0];
    }

    /** The sink bars go to now. */
    public static Sink sink() {
        return sink;
    }

    /** The text line sink, {@code \r}-updated on System.out: what plain JShell uses. */
    public static Sink text() {
        return TEXT;
    }

    /** One step done. */
    public void step() {
        step(1);
    }

    /** {@code n} steps done. */
    public void step(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + n);
        }
        done += n;
        long now = System.nanoTime();
        if (!closed && (now >= nextNanos || (total > 0 && done >= total))) {
            publish(now);
        }
    }

    /** Sets a short text shown after the bar, such as {@code "loss=0.412"} (tqdm's postfix). */
    public Progress note(String text) {
        note = text == null ? "" : text;
        return this;
    }

    /** Shows the bar now, whatever the interval (tqdm's {@code refresh()}); a closed bar stays as it is. */
    public void refresh() {
        if (!closed) {
            publish(System.nanoTime());
        }
    }

    /** Sets the least time between two updates the sink hears, in seconds (0.1 by default). */
    public Progress interval(double seconds) {
        if (!(seconds >= 0)) {
            throw new IllegalArgumentException("interval must be >= 0 seconds, got " + seconds);
        }
        intervalNanos = (long) (seconds * 1e9);
        nextNanos = lastNanos + intervalNanos;
        return this;
    }

    /** Shows the final count and ends the bar; closing twice does nothing. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        lastNanos = System.nanoTime();
        view.close(this);
    }

    private void publish(long now) {
        lastNanos = now;
        nextNanos = now + intervalNanos;
        view.update(this);
    }

    public String label() {
        return label;
    }

    /** Steps done so far. */
    public long done() {
        return done;
    }

    /** The number of steps expected, 0 when unknown. */
    public long total() {
        return total;
    }

    public String note() {
        return note;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Seconds from start to the last update (to the close, once closed). */
    public double elapsed() {
        return (lastNanos - startNanos) / 1e9;
    }

    /** Steps per second so far, 0 before any time has passed. */
    public double rate() {
        double s = elapsed();
        return s > 0 ? done / s : 0;
    }

    /** Seconds left at the current rate; NaN when the total or the rate is unknown. */
    public double eta() {
        double r = rate();
        return total > 0 && r > 0 ? Math.max(total - done, 0) / r : Double.NaN;
    }

    /** Done over total, in [0, 1]; NaN when the total is unknown. */
    public double fraction() {
        return total > 0 ? Math.min(1.0, (double) done / total) : Double.NaN;
    }

    /** tqdm's line: {@code epoch 1:  45%|████▌     | 45/100 [00:02<00:03, 19.50it/s]}. */
    public String line() {
        StringBuilder b = new StringBuilder();
        if (!label.isEmpty()) {
            b.append(label).append(": ");
        }
        if (total > 0) {
            double f = fraction();
            b.append(String.format(Locale.ROOT, "%3d%%|", (int) (f * 100))).append(blocks(f, 10)).append("| ")
                    .append(done).append('/').append(total)
                    .append(" [").append(clock(elapsed())).append('<').append(closed ? clock(0) : clock(eta()));
        } else {
            b.append(done).append("it [").append(clock(elapsed()));
        }
        b.append(", ").append(rateText()).append(']');
        if (!note.isEmpty()) {
            b.append(' ').append(note);
        }
        return b.toString();
    }

    /** The rate as tqdm prints it: {@code 19.50it/s}, or {@code 2.31s/it} when slower than one a second. */
    public String rateText() {
        double r = rate();
        if (r <= 0) {
            return "?it/s";
        }
        return r >= 1 ? String.format(Locale.ROOT, "%.2fit/s", r) : String.format(Locale.ROOT, "%.2fs/it", 1 / r);
    }

    /** {@code mm:ss}, or {@code h:mm:ss} past an hour, {@code ?} for NaN. */
    public static String clock(double seconds) {
        if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
            return "?";
        }
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60);
    }

    /** A bar of {@code width} characters in eighths, as tqdm draws it. */
    static String blocks(double f, int width) {
        int eighths = (int) Math.round(f * width * 8);
        StringBuilder b = new StringBuilder(width);
        for (int i = 0; i < width; i++) {
            int e = Math.min(8, Math.max(0, eighths - i * 8));
            b.append(e == 0 ? ' ' : "▏▎▍▌▋▊▉█".charAt(e - 1));
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return line();
    }
}
