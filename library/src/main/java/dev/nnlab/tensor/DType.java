package dev.nnlab.tensor;

/** Element types, named like PyTorch's {@code torch.float32} and friends. */
public enum DType {
    FLOAT32("torch.float32", 4),
    FLOAT64("torch.float64", 8),
    INT64("torch.int64", 8),
    BOOL("torch.bool", 1);

    private final String torchName;
    private final int itemSize;

    DType(String torchName, int itemSize) {
        this.torchName = torchName;
        this.itemSize = itemSize;
    }

    public boolean isFloatingPoint() {
        return this == FLOAT32 || this == FLOAT64;
    }

    public int itemSize() {
        return itemSize;
    }

    /** The result type of a binary op, by PyTorch's promotion order bool &lt; int64 &lt; float32 &lt; float64. */
    public static DType promote(DType a, DType b) {
        return a.rank() >= b.rank() ? a : b;
    }

    private int rank() {
        switch (this) {
            case BOOL: return 0;
            case INT64: return 1;
            case FLOAT32: return 2;
            default: return 3;
        }
    }

    @Override
    public String toString() {
        return torchName;
    }
}
