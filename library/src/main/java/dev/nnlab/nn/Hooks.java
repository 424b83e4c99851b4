package dev.nnlab.nn;

import dev.nnlab.autograd.RemovableHandle;
import dev.nnlab.nn.Module.Hook;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Hook arrays (copy on write, so a hook may remove itself while they run) and the global hooks. */
final class Hooks {
    static final Hook[] NONE = new Hook[0];
    /** Global forward pre, forward, backward pre and backward hooks. */
    static final Hook[][] global = {NONE, NONE, NONE, NONE};
    /** Read on every call: zero keeps the no-hook path free of global lookups. */
    static int globalCount;
    /** The kind names, PyTorch's dictionaries without the underscores ({@code _forward_pre_hooks}...). */
    static final String[] KINDS = {"forward_pre", "forward", "backward_pre", "backward"};

    private Hooks() { }

    static Hook[] with(Hook[] a, Hook h, boolean prepend) {
        Hook[] r = new Hook[a.length + 1];
        System.arraycopy(a, 0, r, prepend ? 1 : 0, a.length);
        r[prepend ? 0 : a.length] = h;
        return r;
    }

    static Hook[] without(Hook[] a, Hook h) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == h) {
                Hook[] r = new Hook[a.length - 1];
                System.arraycopy(a, 0, r, 0, i);
                System.arraycopy(a, i + 1, r, i, a.length - i - 1);
                return r;
            }
        }
        return a;
    }

    static Hook[] concat(Hook[] a, Hook[] b) {
        if (a.length == 0) return b;
        if (b.length == 0) return a;
        Hook[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    static synchronized RemovableHandle addGlobal(int kind, Hook hook) {
        Hook[] registered = new Hook[1];
        RemovableHandle handle = new RemovableHandle(() -> {
            synchronized (Hooks.class) {
                Hook[] after = without(global[kind], registered[0]);
                if (after != global[kind]) {
                    global[kind] = after;
                    globalCount--;
                }
            }
        });
        registered[0] = hook.withId(handle.id());
        global[kind] = with(global[kind], registered[0], false);
        globalCount++;
        return handle;
    }

    /** The hooks of the four kinds (forward pre, forward, backward pre, backward) as a listing. */
    static List<Module.HookInfo> info(Hook[][] kinds) {
        List<Module.HookInfo> out = new ArrayList<>();
        for (int k = 0; k < kinds.length; k++) {
            for (Hook h : kinds[k]) out.add(new Module.HookInfo(KINDS[k], h.id(), h.fn()));
        }
        return out;
    }

    static <T> RemovableHandle add(List<T> list, T hook) {
        list.add(hook);
        return new RemovableHandle(() -> list.remove(hook));
    }
}
