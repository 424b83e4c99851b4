package dev.nnlab.progress;

import java.io.PrintStream;

/** Shows a bar as one line of text on System.out, rewritten in place with a carriage return. */
final class TextSink implements Progress.Sink {
    @Override
    public Progress.View open(Progress bar) {
        return new Progress.View() {
            private int width;

            @Override
            public void update(Progress p) {
                write(p, false);
            }

            @Override
            public void close(Progress p) {
                write(p, true);
            }

            private void write(Progress p, boolean last) {
                String line = p.line();
                // Pad over what a longer previous line left behind.
                String pad = line.length() < width ? " ".repeat(width - line.length()) : "";
                width = line.length();
                PrintStream out = System.out;
                out.print("\r" + line + pad + (last ? "\n" : ""));
                out.flush();
            }
        };
    }
}
