package dev.nnlab.plot;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

import java.awt.GraphicsEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * XChart charts to PNG or SVG bytes and files, headless (nothing opens a window), with a clear error when the
 * machine has no fonts. The one place where the toolkit's charts and the kernel's chart renderer become images.
 */
public final class Images {
    private Images() { }

    /** The chart as PNG bytes. */
    public static byte[] png(Chart<?, ?> chart) {
        ready();
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The chart as an SVG document's bytes (UTF-8). */
    public static byte[] svg(Chart<?, ?> chart) {
        ready();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Writes {@code chart} to {@code path} as PNG or SVG, chosen by the file's extension; returns the path. */
    public static Path save(Chart<?, ?> chart, String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        byte[] bytes;
        if (lower.endsWith(".png")) bytes = png(chart);
        else if (lower.endsWith(".svg")) bytes = svg(chart);
        else throw new IllegalArgumentException("cannot save a chart as '" + path + "': use a .png or .svg file name");
        Path p = Path.of(path);
        try {
            return Files.write(p, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + p.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    private static void ready() {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
        if (GraphicsEnvironment.getLocalGraphicsEnvironment().getAvailableFontFamilyNames().length == 0) {
            throw new IllegalStateException("no fonts found to draw the chart's text; install some "
                    + "(Debian: apt-get install fonts-dejavu-core fontconfig)");
        }
    }
}
