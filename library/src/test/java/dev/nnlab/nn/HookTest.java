package dev.nnlab.nn;

import dev.nnlab.autograd.NoGrad;
import dev.nnlab.autograd.RemovableHandle;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Forward, backward and global module hooks: order, replacement, scoping, failures. */
class HookTest {
    /** y = 2x + bias-free; a module whose gradients are easy to state. */
    static final class Double extends Module {
        @Override
        public Tensor forward(Tensor x) {
            return x.mul(2.0);
        }
    }

    /** Two tensors and a scale in, a record out: the shape of modules with non-tensor arguments and results. */
    static final class Mix extends Module {
        record Out(Tensor sum, int depth) { }

        @Override
        public Object forward(Object... args) {
            Tensor a = (Tensor) args[0];
            Tensor b = (Tensor) args[1];
            int depth = (Integer) args[2];
            return new Out(a.mul(b).mul((double) depth), depth);
        }
    }

    @Test
    void forwardOrderGlobalFirstPrependAndPreHooksBeforeForward() {
        List<String> log = new ArrayList<>();
        Module m = new Module() {
            @Override
            public Tensor forward(Tensor x) {
                log.add("forward");
                return x;
            }
        };
        m.registerForwardPreHook((mod, args) -> { log.add("pre1"); return null; });
        m.registerForwardPreHook((mod, args) -> { log.add("pre0"); return null; }, true);
        m.registerForwardHook((mod, args, out) -> { log.add("fwd1"); return null; });
        m.registerForwardHook((mod, args, out) -> { log.add("fwd0"); return null; }, true, false);
        try (RemovableHandle g1 = Module.registerModuleForwardPreHook((mod, args) -> { log.add("gpre"); return null; });
             RemovableHandle g2 = Module.registerModuleForwardHook((mod, args, out) -> { log.add("gfwd"); return null; })) {
            m.call(Tensor.ones(1));
        }
        assertEquals(List.of("gpre", "pre0", "pre1", "forward", "gfwd", "fwd0", "fwd1"), log);
        log.clear();
        m.call(Tensor.ones(1));
        assertEquals(List.of("pre0", "pre1", "forward", "fwd0", "fwd1"), log, "global hooks are gone after the try block");
    }

    @Test
    void hooksReplaceArgsAndOutput() {
        Double d = new Double();
        d.registerForwardPreHook((m, args) -> new Object[] {((Tensor) args[0]).add(1.0)});
        d.registerForwardHook((m, args, out) -> ((Tensor) out).add(100.0));
        assertEquals(104.0, d.call(Tensor.scalar(1)).item());
    }

    @Test
    void kwargsHooksSeeAndReplaceKeywordArguments() {
        List<Object> seen = new ArrayList<>();
        Module m = new Module() {
            @Override
            public Object forward(Object... args) {
                return ((Tensor) args[0]).mul(((Number) Kwargs.from(args).get("scale", 1.0)).doubleValue());
            }
        };
        m.registerForwardPreHook((mod, args, kwargs) -> {
            seen.add(kwargs.get("scale", null));
            return new Module.ArgsKwargs(args, Kwargs.of("scale", 10.0));
        }, false);
        m.registerForwardHook((mod, args, kwargs, out) -> {
            seen.add(kwargs.get("scale", null));
            return null;
        }, false, false);
        Tensor y = m.call(Tensor.scalar(2), Kwargs.of("scale", 3.0));
        assertEquals(20.0, y.item());
        assertEquals(List.of(3.0, 10.0), seen);
    }

    @Test
    void alwaysCallHookRunsWhenForwardThrows() {
        List<String> log = new ArrayList<>();
        Module m = new Module() {
            @Override
            public Tensor forward(Tensor x) {
                throw new IllegalStateException("forward failed");
            }
        };
        m.registerForwardHook((mod, a, o) -> { log.add("always"); return null; }, false, true);
        m.registerForwardHook((mod, a, o) -> { log.add("normal"); return null; });
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.call(Tensor.ones(1)));
        assertEquals("forward failed", e.getMessage());
        assertEquals(List.of("always"), log);
        log.clear();
        Double d = new Double();
        d.registerForwardPreHook((mod, a) -> { throw new IllegalStateException("pre failed"); });
        d.registerForwardHook((mod, a, o) -> { log.add("always after a failed pre-hook"); return null; }, false, true);
        assertThrows(Module.HookException.class, () -> d.call(Tensor.ones(1)));
        assertEquals(List.of("always after a failed pre-hook"), log);
    }

    @Test
    void backwardOrderPreHookThenHookGlobalFirst() {
        List<String> log = new ArrayList<>();
        Double d = new Double();
        d.registerFullBackwardPreHook((m, go) -> { log.add("bpre"); return null; });
        d.registerFullBackwardHook((m, gi, go) -> { log.add("bwd"); return null; });
        try (RemovableHandle g = Module.registerModuleFullBackwardHook((m, gi, go) -> { log.add("gbwd"); return null; });
             RemovableHandle gp = Module.registerModuleFullBackwardPreHook((m, go) -> { log.add("gbpre"); return null; })) {
            Tensor x = Tensor.ones(3).requiresGrad_();
            d.call(x).sum().backward();
        }
        assertEquals(List.of("gbpre", "bpre", "gbwd", "bwd"), log);
    }

    @Test
    void gradInputIsWithRespectToInputsAndNullWhereNotRequired() {
        Mix mix = new Mix();
        List<Tensor[]> gis = new ArrayList<>();
        List<Tensor[]> gos = new ArrayList<>();
        mix.registerFullBackwardHook((m, gi, go) -> { gis.add(gi); gos.add(go); return null; });
        Tensor a = Tensor.tensor(1f, 2f).requiresGrad_();
        Tensor b = Tensor.tensor(3f, 4f);
        Mix.Out out = mix.call(a, b, 2);
        assertEquals(2, out.depth());
        out.sum().sum().backward();
        assertEquals(1, gis.size());
        Tensor[] gi = gis.get(0);
        assertEquals(3, gi.length, "one entry per positional argument");
        assertArrayEquals(new double[] {6, 8}, gi[0].toDoubleArray(), 1e-6, "d(sum(2ab))/da = 2b");
        assertNull(gi[1], "b does not require grad");
        assertNull(gi[2], "the depth is not a tensor");
        assertEquals(2, gos.get(0).length, "one entry per record component");
        assertArrayEquals(new double[] {1, 1}, gos.get(0)[0].toDoubleArray(), 0);
        assertNull(gos.get(0)[1]);
        assertArrayEquals(new double[] {6, 8}, a.grad().toDoubleArray(), 1e-6);
    }

    @Test
    void backwardHooksDoNotFireWithoutRequiresGradOrUnderNoGrad() {
        List<String> log = new ArrayList<>();
        Linear lin = new Linear(3, 2);
        lin.registerFullBackwardHook((m, gi, go) -> { log.add("bwd"); return null; });
        lin.registerFullBackwardPreHook((m, go) -> { log.add("bpre"); return null; });
        lin.requiresGrad_(false);
        Tensor y = lin.call(Tensor.ones(1, 3));
        assertFalse(y.requiresGrad());
        lin.requiresGrad_(true);
        try (var g = NoGrad.enter()) {
            assertFalse(lin.call(Tensor.ones(1, 3)).requiresGrad());
        }
        assertEquals(List.of(), log);
        lin.call(Tensor.ones(1, 3)).sum().backward();
        assertEquals(List.of("bpre", "bwd"), log, "fires with all-null grad_input when only the weights require grad");
    }

    @Test
    void noInputGradHookSeesNullsAndMustNotReturnGradients() {
        Linear lin = new Linear(3, 2);
        List<Tensor[]> gis = new ArrayList<>();
        lin.registerFullBackwardHook((m, gi, go) -> { gis.add(gi); return null; });
        lin.call(Tensor.ones(1, 3)).sum().backward();
        assertEquals(1, gis.get(0).length);
        assertNull(gis.get(0)[0]);
        lin.registerFullBackwardHook((m, gi, go) -> new Tensor[] {Tensor.ones(1, 3)});
        Module.HookException e = assertThrows(Module.HookException.class, () -> lin.call(Tensor.ones(1, 3)).sum().backward());
        assertEquals("Error in full backward hook of Linear: Backward hook for Modules where no input requires gradient "
                + "should always return None or None for all gradients.", e.getMessage());
    }

    @Test
    void backwardHookReplacesGradInput() {
        Double d = new Double();
        d.registerFullBackwardHook((m, gi, go) -> new Tensor[] {gi[0].mul(10.0)});
        Tensor x = Tensor.ones(2).requiresGrad_();
        d.call(x).sum().backward();
        assertArrayEquals(new double[] {20, 20}, x.grad().toDoubleArray(), 0);
    }

    @Test
    void backwardPreHookReplacesGradOutput() {
        Double d = new Double();
        List<Tensor> seen = new ArrayList<>();
        d.registerFullBackwardPreHook((m, go) -> new Tensor[] {go[0].mul(3.0)});
        d.registerFullBackwardHook((m, gi, go) -> { seen.add(go[0]); return null; });
        Tensor x = Tensor.ones(2).requiresGrad_();
        d.call(x).sum().backward();
        assertArrayEquals(new double[] {6, 6}, x.grad().toDoubleArray(), 0);
        assertArrayEquals(new double[] {3, 3}, seen.get(0).toDoubleArray(), 0, "the hook sees the replaced grad_output");
    }

    @Test
    void wrongArityNamesTheModule() {
        Sequential seq = new Sequential(new Double(), new Double());
        RemovableHandle h = seq.get(1).registerFullBackwardHook((m, gi, go) -> new Tensor[] {gi[0], gi[0]});
        Tensor x = Tensor.ones(2).requiresGrad_();
        Module.HookException e = assertThrows(Module.HookException.class, () -> seq.call(x).sum().backward());
        assertEquals("Error in full backward hook of '1' (Double): Backward hook returned an invalid number of "
                + "grad_input, got 2, but expected 1", e.getMessage());
        h.remove();
        seq.get(0).registerFullBackwardPreHook((m, go) -> new Tensor[0]);
        Tensor x2 = Tensor.ones(2).requiresGrad_();
        e = assertThrows(Module.HookException.class, () -> seq.call(x2).sum().backward());
        assertTrue(e.getMessage().startsWith("Error in full backward pre-hook of '0' (Double): Backward pre hook "
                + "returned an invalid number of grad_output, got 0, but expected 1"), e.getMessage());
    }

    @Test
    void exceptionInHookCarriesPathAndKindAndModuleStaysUsable() {
        ArticleListing07Test.SampleModel model = new ArticleListing07Test.SampleModel();
        Module lin = model.getSubmodule("net.2");
        List<String> log = new ArrayList<>();
        lin.registerForwardHook((m, a, o) -> { log.add("kept"); return null; });
        RemovableHandle bad = lin.registerForwardHook((m, a, o) -> { throw new IllegalArgumentException("boom"); });
        Module.HookException e = assertThrows(Module.HookException.class, () -> model.call(Tensor.ones(2, 10)));
        assertEquals("Error in forward hook of 'net.2' (Linear): IllegalArgumentException: boom", e.getMessage());
        assertEquals("forward hook", e.kind());
        assertSame(lin, e.module());
        assertTrue(e.getCause() instanceof IllegalArgumentException);
        bad.remove();
        assertArrayEquals(new int[] {2, 1}, model.call(Tensor.ones(2, 10)).shape());
        assertEquals(List.of("kept", "kept"), log, "the other hook stayed registered");

        RemovableHandle pre = lin.registerForwardPreHook((m, a) -> { throw new IllegalStateException("pre"); });
        e = assertThrows(Module.HookException.class, () -> model.call(Tensor.ones(2, 10)));
        assertEquals("Error in forward pre-hook of 'net.2' (Linear): IllegalStateException: pre", e.getMessage());
        pre.close();

        List<String> bwdLog = new ArrayList<>();
        lin.registerFullBackwardHook((m, gi, go) -> { bwdLog.add("kept"); return null; });
        RemovableHandle badBwd = lin.registerFullBackwardHook((m, gi, go) -> { throw new IllegalStateException("bwd"); });
        Tensor x = Tensor.ones(2, 10).requiresGrad_();
        Tensor loss = model.call(x).sum();
        e = assertThrows(Module.HookException.class, loss::backward);
        assertEquals("Error in full backward hook of 'net.2' (Linear): IllegalStateException: bwd", e.getMessage());
        badBwd.remove();
        model.zeroGrad();
        Tensor x2 = Tensor.ones(2, 10).requiresGrad_();
        model.call(x2).sum().backward();
        assertNotNull(x2.grad(), "a fresh forward and backward work after the failure");
        assertEquals(List.of("kept", "kept"), bwdLog);
    }

    @Test
    void handlesAreIdempotentAndScopeHooks() {
        Double d = new Double();
        List<String> log = new ArrayList<>();
        try (RemovableHandle h = d.registerForwardHook((m, a, o) -> { log.add("in scope"); return null; })) {
            d.call(Tensor.ones(1));
            h.remove();
            h.remove();
            assertTrue(h.isRemoved());
        }
        d.call(Tensor.ones(1));
        assertEquals(List.of("in scope"), log);
        RemovableHandle h2 = d.registerForwardPreHook((m, a) -> { log.add("pre"); return null; });
        h2.close();
        h2.close();
        d.call(Tensor.ones(1));
        assertEquals(List.of("in scope"), log);
    }

    @Test
    void aHookMayRemoveItselfWhileRunning() {
        Double d = new Double();
        List<String> log = new ArrayList<>();
        RemovableHandle[] self = new RemovableHandle[1];
        self[0] = d.registerForwardHook((m, a, o) -> { log.add("once"); self[0].remove(); return null; });
        d.registerForwardHook((m, a, o) -> { log.add("always"); return null; });
        d.call(Tensor.ones(1));
        d.call(Tensor.ones(1));
        assertEquals(List.of("once", "always", "always"), log);
    }

    @Test
    void hooksSeeNonTensorArgumentsAndResults() {
        Mix mix = new Mix();
        List<Object> seen = new ArrayList<>();
        mix.registerForwardPreHook((m, args) -> {
            seen.add(args[2]);
            return new Object[] {args[0], args[1], 5};
        });
        mix.registerForwardHook((m, args, out) -> {
            seen.add(((Mix.Out) out).depth());
            return null;
        });
        Mix.Out out = mix.call(Tensor.ones(1), Tensor.ones(1), 3);
        assertEquals(5, out.depth());
        assertEquals(List.of(3, 5), seen);
    }

    @Test
    void tiedParameterGetsGradientsOfBothUses() {
        Linear enc = new Linear(3, 4, false);
        Module tied = new Module() {
            final Linear e = registerModule("enc", enc);

            @Override
            public Tensor forward(Tensor x) {
                return Tensor.linear(e.call(x), e.weight.t(), null);
            }
        };
        assertEquals(12, tied.numParameters());
        Tensor x = Tensor.randn(2, 3);
        tied.call(x).sum().backward();
        Tensor g = enc.weight.grad();
        assertNotNull(g);
        // d/dW of sum(x W^T W) = W (1 x^T) ... checked against the sum of both uses computed separately
        Tensor w = enc.weight.detach().clone().requiresGrad_();
        Tensor first = Tensor.linear(x, w, null);
        Tensor wFixed = w.detach();
        Tensor.linear(first, wFixed.t(), null).sum().backward();
        Tensor g1 = w.grad().clone();
        Tensor w2 = enc.weight.detach().clone().requiresGrad_();
        Tensor.linear(Tensor.linear(x, wFixed, null), w2.t(), null).sum().backward();
        TensorAsserts.assertClose(g1.add(w2.grad()), g, 1e-5, 1e-6, "grad of a tied weight = sum of both uses");
    }
}
