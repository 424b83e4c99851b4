package dev.nnlab.summary;

/** The mode a summary's forward pass runs in, like torchinfo's {@code mode}; each module's own is restored after. */
public enum Mode {
    /** {@code model.eval()}: Dropout off, BatchNorm on its running statistics. */
    EVAL,
    /** {@code model.train()}: the pass leaves BatchNorm's running statistics as they were all the same. */
    TRAIN,
    /** Each module as it is. */
    SAME
}
