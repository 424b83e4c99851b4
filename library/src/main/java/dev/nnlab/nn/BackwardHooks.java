package dev.nnlab.nn;

import dev.nnlab.autograd.GradMode;
import dev.nnlab.autograd.Node;
import dev.nnlab.tensor.Tensor;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;

/**
 * The full backward hooks of one module call, PyTorch's {@code torch.utils.hooks.BackwardHook}: the module's tensor
 * inputs and outputs pass through identity nodes ({@code BackwardHookFunctionBackward}); the output node's pre-hook
 * captures grad_output and runs the backward pre-hooks, the input node's post-hook runs the backward hooks with
 * grad_input, the gradients w.r.t. the module's inputs.
 */
final class BackwardHooks {
    private static final String NAME = "BackwardHookFunctionBackward";

    private final Module module;
    private final Module.Hook[] hooks;
    private final Module.Hook[] preHooks;
    private int nInputs;
    private int[] inputIndex;
    private int nOutputs;
    private int[] outputIndex;
    private Tensor[] gradOutputs;

    BackwardHooks(Module module, Module.Hook[] hooks, Module.Hook[] preHooks) {
        this.module = module;
        this.hooks = hooks;
        this.preHooks = preHooks;
    }

    Object[] setupInput(Object[] args) {
        nInputs = args.length;
        Object[] r = wrap(args, false);
        return r;
    }

    Object setupOutput(Object result) {
        if (result instanceof Tensor t) return wrap(new Object[] {t}, true)[0];
        if (result instanceof Object[] a) return wrap(a, true);
        if (result != null && result.getClass().isRecord()) return wrapRecord(result);
        return result;
    }

    /** Routes the tensors of {@code values} that require grad through one identity node. */
    private Object[] wrap(Object[] values, boolean outputs) {
        if (outputs) nOutputs = values.length;
        if (!GradMode.isEnabled()) return values;
        int n = 0;
        for (Object v : values) if (v instanceof Tensor t && t.requiresGrad()) n++;
        if (n == 0) return values;
        int[] index = new int[n];
        Tensor[] ins = new Tensor[n];
        Tensor[] outs = new Tensor[n];
        Object[] r = values.clone();
        for (int i = 0, k = 0; i < values.length; i++) {
            if (values[i] instanceof Tensor t && t.requiresGrad()) {
                index[k] = i;
                ins[k] = t;
                outs[k] = t.detach();
                r[i] = outs[k++];
            }
        }
        Node node = Node.attach(NAME, g -> g.clone(), outs, ins);
        if (outputs) {
            outputIndex = index;
            node.registerPreHook(this::onGradOutputs);
        } else {
            inputIndex = index;
            node.registerPostHook((gradInputs, ignored) -> onGradInputs(gradInputs));
        }
        return r;
    }

    private Object wrapRecord(Object rec) {
        try {
            RecordComponent[] comps = rec.getClass().getRecordComponents();
            Object[] values = new Object[comps.length];
            Class<?>[] types = new Class<?>[comps.length];
            for (int i = 0; i < comps.length; i++) {
                comps[i].getAccessor().setAccessible(true);
                values[i] = comps[i].getAccessor().invoke(rec);
                types[i] = comps[i].getType();
            }
            Object[] wrapped = wrap(values, true);
            if (wrapped == values) return rec;
            Constructor<?> c = rec.getClass().getDeclaredConstructor(types);
            c.setAccessible(true);
            return c.newInstance(wrapped);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot set up backward hooks on the " + rec.getClass().getSimpleName()
                    + " returned by " + module.getName(), e);
        }
    }

    private Tensor[] onGradOutputs(Tensor[] grads) {
        gradOutputs = pack(outputIndex, grads, nOutputs);
        for (Module.Hook h : preHooks) {
            Tensor[] r;
            try {
                r = ((Module.BackwardPreHook) h.fn()).apply(module, gradOutputs);
            } catch (RuntimeException e) {
                throw Module.HookException.wrap(module, "full backward pre-hook", e);
            }
            if (r == null) continue;
            if (r.length != gradOutputs.length) {
                throw new Module.HookException(module, "full backward pre-hook", "Backward pre hook returned an invalid "
                        + "number of grad_output, got " + r.length + ", but expected " + gradOutputs.length, null);
            }
            gradOutputs = r;
        }
        Tensor[] local = gradOutputs;
        if (inputIndex == null) {
            // No input requires grad: the input node never runs, so the hooks run here with all-null grad_input.
            Tensor[] gradInputs = new Tensor[nInputs];
            for (Module.Hook h : hooks) {
                Tensor[] r;
                try {
                    r = ((Module.BackwardHook) h.fn()).apply(module, gradInputs, gradOutputs);
                } catch (RuntimeException e) {
                    throw Module.HookException.wrap(module, "full backward hook", e);
                }
                if (r != null) {
                    for (Tensor t : r) {
                        if (t != null) {
                            throw new Module.HookException(module, "full backward hook", "Backward hook for Modules "
                                    + "where no input requires gradient should always return None or None for all "
                                    + "gradients.", null);
                        }
                    }
                }
            }
            gradOutputs = null;
        }
        return unpack(outputIndex, local);
    }

    private Tensor[] onGradInputs(Tensor[] grads) {
        if (gradOutputs == null) return null;
        Tensor[] res = pack(inputIndex, grads, nInputs);
        for (Module.Hook h : hooks) {
            Tensor[] r;
            try {
                r = ((Module.BackwardHook) h.fn()).apply(module, res, gradOutputs);
            } catch (RuntimeException e) {
                throw Module.HookException.wrap(module, "full backward hook", e);
            }
            if (r == null) continue;
            if (r.length != res.length) {
                throw new Module.HookException(module, "full backward hook", "Backward hook returned an invalid number "
                        + "of grad_input, got " + r.length + ", but expected " + res.length, null);
            }
            res = r;
        }
        gradOutputs = null;
        return unpack(inputIndex, res);
    }

    private static Tensor[] pack(int[] index, Tensor[] values, int size) {
        Tensor[] r = new Tensor[size];
        for (int i = 0; i < index.length; i++) r[index[i]] = values[i];
        return r;
    }

    private static Tensor[] unpack(int[] index, Tensor[] values) {
        Tensor[] r = new Tensor[index.length];
        for (int i = 0; i < index.length; i++) r[i] = values[index[i]];
        return r;
    }
}
