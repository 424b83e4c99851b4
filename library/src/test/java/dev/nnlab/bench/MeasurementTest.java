package dev.nnlab.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Statistics and warnings of given run times, checked against values worked out by hand. */
class MeasurementTest {
    private static Measurement us(double... micros) {
        double[] s = new double[micros.length];
        for (int i = 0; i < s.length; i++) s[i] = micros[i] * 1e-6;
        return new Measurement("m", "fwd", s, 10, 1);
    }

    @Test
    void quantilesInterpolateLinearly() {
        // 9 runs 1..9 us, shuffled: p25 sits at sorted index 2 (3 us), p75 at index 6 (7 us)
        Measurement m = us(5, 1, 9, 3, 7, 2, 8, 4, 6);
        assertEquals(5e-6, m.median(), 1e-15);
        assertEquals(3e-6, m.quantile(0.25), 1e-15);
        assertEquals(4e-6, m.iqr(), 1e-15);
        assertEquals(1e-6, m.min(), 1e-15);
        assertEquals(9e-6, m.max(), 1e-15);
        assertEquals(5e-6, m.mean(), 1e-15);
        // population std of 1..9 is sqrt(60 / 9)
        assertEquals(Math.sqrt(60.0 / 9) * 1e-6, m.std(), 1e-15);
        // 4 runs: p25 at index 0.75 -> 1 + 0.75 * (2 - 1)
        assertEquals(1.75e-6, us(4, 1, 3, 2).quantile(0.25), 1e-15);
        assertEquals(9, m.runs());
        assertEquals(90, m.totalLoops());
    }

    @Test
    void aTightMeasurementHasNoWarnings() {
        Measurement m = us(100, 101, 100, 102, 100, 101);
        assertFalse(m.hasWarnings());
        assertTrue(m.warnings().isEmpty(), m.warnings().toString());
    }

    @Test
    void aSpreadAboveTenPercentIsFlagged() {
        // sorted 100 100 110 115 120: IQR = 115 - 100 = 15, median 110 -> 13.6%
        Measurement m = us(110, 100, 120, 100, 115);
        assertEquals(15.0 / 110, m.relativeIqr(), 1e-12);
        assertTrue(m.hasWarnings());
        assertEquals(List.of("IQR is 13.6% of the median: this could indicate system fluctuation."), m.warnings());
    }

    @Test
    void aSpreadAboveTwentyFivePercentIsCalledGross() {
        // sorted 100 100 110 130 140: IQR 30, median 110 -> 27.3%
        Measurement m = us(130, 100, 140, 110, 100);
        assertEquals(List.of("IQR is 27.3% of the median: this suggests significant environmental influence."),
                m.warnings());
    }

    @Test
    void fewRunsAreFlagged() {
        Measurement m = us(100, 100);
        assertFalse(m.hasWarnings());
        assertEquals(1, m.warnings().size());
        assertTrue(m.warnings().get(0).startsWith("only 2 runs"));
    }

    @Test
    void significantFiguresFollowPyTorch() {
        // identical runs: the confidence interval is PyTorch's floor of 25 ns, so figures = floor(log10(median / 25 ns))
        assertEquals(1, us(1, 1, 1, 1).significantFigures());        // log10(40) = 1.6
        assertEquals(2, us(10, 10, 10, 10).significantFigures());    // log10(400) = 2.6
        assertEquals(3, us(123.456, 123.456, 123.456, 123.456).significantFigures());
        assertEquals(4, us(1000, 1000, 1000, 1000).significantFigures()); // 4.6, capped at 4
        assertEquals(3.1, Measurement.trim(3.14159, 2), 1e-12);
        assertEquals(120000, Measurement.trim(123456, 2), 1e-9);
        assertEquals(0.00457, Measurement.trim(0.0045678, 3), 1e-15);
    }

    @Test
    void theSummaryIsOneTimeitLikeLine() {
        Measurement m = us(5, 1, 9, 3, 7, 2, 8, 4, 6);
        assertEquals("5.00 µs ± 4.0 µs (median ± IQR) per loop; mean 5.00 µs ± 2.6 µs std; 9 runs × 10 loops,"
                + " 1 thread; warm-up 0.00 s (see warnings)", m.summary());
    }

    @Test
    void badRunTimesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Measurement("m", "", new double[0], 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new Measurement("m", "", new double[] {Double.NaN}, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new Measurement("m", "", new double[] {-1}, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new Measurement("m", "", new double[] {1}, 0, 1));
    }

    @Test
    void theRunTimesAreCopied() {
        double[] t = {1e-6, 2e-6};
        Measurement m = new Measurement("m", "", t, 1, 1);
        t[0] = 5;
        m.times()[1] = 5;
        assertEquals(1.5e-6, m.median(), 1e-15);
    }
}
