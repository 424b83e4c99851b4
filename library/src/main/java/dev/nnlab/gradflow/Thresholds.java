package dev.nnlab.gradflow;

/**
 * When a gradient-flow diagnostic fires; change one with its wither: {@code Thresholds.defaults().vanishingOrders(4)}.
 *
 * @param vanishingOrders a parameter vanishes when its mean |grad| is this many orders of magnitude below the largest
 * @param vanishingFloor  ... or when its mean |grad| is below this absolute floor
 * @param explodingNorm   a parameter explodes when its gradient norm is above this limit (or any value is NaN/Inf)
 * @param deadBatch       a ReLU unit is dead when its output is zero for more than this fraction of the batch
 * @param deadUnits       a layer is reported when more than this fraction of its units is dead
 * @param ratioLow        a log10 update:parameter ratio below this is too small (DL4J: -4)
 * @param ratioHigh       a log10 update:parameter ratio above this is too large (DL4J: -2)
 */
public record Thresholds(double vanishingOrders, double vanishingFloor, double explodingNorm, double deadBatch,
                         double deadUnits, double ratioLow, double ratioHigh) {
    private static final Thresholds DEFAULTS = new Thresholds(3, 1e-8, 1e3, 0.99, 0.1, -4, -2);

    public Thresholds {
        check("vanishingOrders", vanishingOrders, vanishingOrders > 0, "a positive number of orders of magnitude");
        check("vanishingFloor", vanishingFloor, vanishingFloor >= 0, "a mean |grad| >= 0");
        check("explodingNorm", explodingNorm, explodingNorm > 0, "a gradient norm > 0");
        check("deadBatch", deadBatch, deadBatch > 0 && deadBatch <= 1, "a fraction of the batch in (0, 1]");
        check("deadUnits", deadUnits, deadUnits >= 0 && deadUnits < 1, "a fraction of the units in [0, 1)");
        check("ratioLow", ratioLow, true, "a log10 ratio");
        check("ratioHigh", ratioHigh, ratioHigh > ratioLow, "a log10 ratio above ratioLow (" + ratioLow + ")");
    }

    private static void check(String name, double v, boolean ok, String what) {
        if (Double.isNaN(v) || Double.isInfinite(v) || !ok) {
            throw new IllegalArgumentException("gradflow threshold " + name + " must be " + what + ", got " + v);
        }
    }

    /** Vanishing below 3 orders of the largest or 1e-8, exploding above norm 1e3, dead above 10% of units zero on 99% of the batch, ratio outside [-4, -2]. */
    public static Thresholds defaults() {
        return DEFAULTS;
    }

    public Thresholds vanishingOrders(double v) {
        return new Thresholds(v, vanishingFloor, explodingNorm, deadBatch, deadUnits, ratioLow, ratioHigh);
    }

    public Thresholds vanishingFloor(double v) {
        return new Thresholds(vanishingOrders, v, explodingNorm, deadBatch, deadUnits, ratioLow, ratioHigh);
    }

    public Thresholds explodingNorm(double v) {
        return new Thresholds(vanishingOrders, vanishingFloor, v, deadBatch, deadUnits, ratioLow, ratioHigh);
    }

    public Thresholds deadBatch(double v) {
        return new Thresholds(vanishingOrders, vanishingFloor, explodingNorm, v, deadUnits, ratioLow, ratioHigh);
    }

    public Thresholds deadUnits(double v) {
        return new Thresholds(vanishingOrders, vanishingFloor, explodingNorm, deadBatch, v, ratioLow, ratioHigh);
    }

    /** The healthy range of the log10 update:parameter ratio. */
    public Thresholds ratioRange(double low, double high) {
        return new Thresholds(vanishingOrders, vanishingFloor, explodingNorm, deadBatch, deadUnits, low, high);
    }
}
