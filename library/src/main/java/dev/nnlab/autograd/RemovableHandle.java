package dev.nnlab.autograd;

/**
 * Removes the hook it was returned for. Like {@code torch.utils.hooks.RemovableHandle}: {@code remove()}
 * is idempotent, and try-with-resources scopes a hook to a block.
 */
public final class RemovableHandle implements AutoCloseable {
    private static long nextId;

    private final long id;
    private Runnable onRemove;

    public RemovableHandle(Runnable onRemove) {
        synchronized (RemovableHandle.class) {
            this.id = nextId++;
        }
        this.onRemove = onRemove;
    }

    public long id() {
        return id;
    }

    public boolean isRemoved() {
        return onRemove == null;
    }

    public void remove() {
        Runnable r = onRemove;
        onRemove = null;
        if (r != null) r.run();
    }

    @Override
    public void close() {
        remove();
    }

    @Override
    public String toString() {
        return "RemovableHandle(id=" + id + (isRemoved() ? ", removed" : "") + ")";
    }
}
