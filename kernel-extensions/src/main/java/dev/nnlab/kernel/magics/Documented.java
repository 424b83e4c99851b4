package dev.nnlab.kernel.magics;

/** A magic that can say how it is used, for {@code %help NAME} and {@code %NAME --help}. */
public interface Documented {
    String usage();
}
