package dev.nnlab.gradflow;

import java.util.Locale;

/** A gradient-flow diagnostic: one sentence naming the layer and the number. */
public sealed interface Finding {
    /** The parameter or module the finding is about, like {@code 0.weight} or {@code 1}. */
    String layer();

    /** The sentence. */
    String message();

    /** Mean |grad| orders of magnitude below the largest parameter's ({@code largestLayer}), or below the floor. */
    record Vanishing(String layer, double meanAbs, String largestLayer, double largest, double floor)
            implements Finding {
        /** How many orders of magnitude below the largest. */
        public double orders() {
            return Math.log10(largest / meanAbs);
        }

        @Override
        public String message() {
            String head = "vanishing gradient: " + layer + " has mean |grad| " + num(meanAbs);
            if (meanAbs == 0) return head + ": every gradient value is zero.";
            String floorText = meanAbs < floor ? "below the floor " + num(floor) : "";
            if (layer.equals(largestLayer)) return head + ", " + floorText + ".";
            return head + String.format(Locale.ROOT, ", %.1f orders of magnitude below %s's %s", orders(), largestLayer,
                    num(largest)) + (floorText.isEmpty() ? "." : " and " + floorText + ".");
        }
    }

    /** A gradient norm above the limit, or NaN/Inf values. */
    record Exploding(String layer, double norm, long nonFinite, double limit) implements Finding {
        @Override
        public String message() {
            if (nonFinite > 0) {
                return "exploding gradient: " + layer + " has " + nonFinite + " NaN/Inf gradient value"
                        + (nonFinite == 1 ? "." : "s.");
            }
            return "exploding gradient: " + layer + " has grad norm " + num(norm) + ", above the limit " + num(limit)
                    + ".";
        }
    }

    /** A ReLU-family module most of whose units output zero for (nearly) the whole batch. */
    record Dead(String layer, String type, int dead, int units, double deadBatch) implements Finding {
        @Override
        public String message() {
            return String.format(Locale.ROOT, "dead units: %s (%s) has %d of %d units (%.0f%%) zero for %s of the batch.",
                    layer, type, dead, units, 100.0 * dead / units,
                    deadBatch >= 1 ? "all" : String.format(Locale.ROOT, "more than %.0f%%", 100 * deadBatch));
        }
    }

    /** A parameter that requires grad but got none: not used in forward, or cut from the graph. */
    record Missing(String layer, String type) implements Finding {
        @Override
        public String message() {
            return "missing gradient: " + layer + " (" + type + ") requires grad but got none; is it used in forward?";
        }
    }

    /** A log10 update:parameter ratio outside the healthy range (DL4J: near -3; above -2 or below -4 is trouble). */
    record UpdateRatio(String layer, double log10Ratio, double low, double high) implements Finding {
        @Override
        public String message() {
            String how = log10Ratio > high ? "above " + fmt(high) + ": updates are too large (learning rate too high?)"
                    : "below " + fmt(low) + ": updates are too small (learning rate too low?)";
            return "update ratio: " + layer + " has log10 update:parameter ratio " + fmt(log10Ratio) + ", " + how + ".";
        }
    }

    private static String num(double v) {
        if (Double.isNaN(v)) return "nan";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        double a = Math.abs(v);
        if (a != 0 && (a < 1e-3 || a >= 1e4)) return String.format(Locale.ROOT, "%.2e", v);
        return String.format(Locale.ROOT, "%.4g", v).replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", "");
    }

    private static String fmt(double v) {
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
