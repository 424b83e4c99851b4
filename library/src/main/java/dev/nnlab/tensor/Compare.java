package dev.nnlab.tensor;

/** Comparisons, logic, where and masks (bool results, no gradient except through where/maskedFill). */
final class Compare {
    static final int EQ = 0, NE = 1, LT = 2, LE = 3, GT = 4, GE = 5, AND = 6, OR = 7;

    private Compare() { }

    static Tensor compare(int op, Tensor a, Tensor b) {
        throw new UnsupportedOperationException("compare: not implemented yet");
    }

    static Tensor isnan(Tensor x) {
        throw new UnsupportedOperationException("isnan: not implemented yet");
    }

    static Tensor isinf(Tensor x) {
        throw new UnsupportedOperationException("isinf: not implemented yet");
    }

    static Tensor isfinite(Tensor x) {
        throw new UnsupportedOperationException("isfinite: not implemented yet");
    }

    static Tensor logicalNot(Tensor x) {
        throw new UnsupportedOperationException("logicalNot: not implemented yet");
    }

    static Tensor where(Tensor cond, Tensor a, Tensor b) {
        throw new UnsupportedOperationException("where: not implemented yet");
    }

    static Tensor maskedFill(Tensor x, Tensor mask, double value) {
        throw new UnsupportedOperationException("maskedFill: not implemented yet");
    }

    static boolean allclose(Tensor a, Tensor b, double rtol, double atol) {
        throw new UnsupportedOperationException("allclose: not implemented yet");
    }

    static boolean equal(Tensor a, Tensor b) {
        throw new UnsupportedOperationException("equal: not implemented yet");
    }
}
