package dev.nnlab.kernel;

/**
 * Heads the session's start-up imports, which JShell keeps as one snippet named after its first import: a
 * name no cell imports, so that a cell's own {@code import java.util.*;} adds an import instead of
 * replacing them all. It has no members, so importing it brings no name into the session.
 */
public final class Imports {
    private Imports() {
    }
}
