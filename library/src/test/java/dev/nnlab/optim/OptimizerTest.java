package dev.nnlab.optim;

import dev.nnlab.nn.Parameter;
import dev.nnlab.tensor.DType;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OptimizerTest {
    private static <E extends Throwable> void assertMessage(Class<E> type, String message, Runnable r) {
        E e = assertThrows(type, r::run);
        assertEquals(message, e.getMessage());
    }

    private static Parameter param(float... values) {
        return new Parameter(Tensor.tensor(values));
    }

    private static void grad(Tensor p, float... values) {
        p.setGrad(Tensor.tensor(values));
    }

    @Test
    void sgdIsParamMinusLrTimesGrad() {
        Parameter p = param(1, 2, 3);
        SGD opt = new SGD(List.of(p), 0.5);
        grad(p, 2, -4, 0);
        opt.step();
        assertArrayEquals(new float[] {0, 4, 3}, p.toFloatArray());
        assertTrue(p.isLeaf() && p.requiresGrad());
    }

    @Test
    void firstMomentumBufferIsTheGradientItselfWithoutDampening() {
        Parameter p = param(0, 0);
        SGD opt = SGD.builder(List.of(p)).lr(1).momentum(0.9).dampening(0.5).build();
        grad(p, 1, 2);
        opt.step();
        Tensor buf = (Tensor) opt.state().get(p).get("momentum_buffer");
        assertArrayEquals(new float[] {1, 2}, buf.toFloatArray());
        assertArrayEquals(new float[] {-1, -2}, p.toFloatArray());
        opt.step();
        // buf = 0.9 * buf + (1 - 0.5) * grad
        assertArrayEquals(new float[] {1.4f, 2.8f}, buf.toFloatArray(), 1e-6f);
        assertNotSame(p.grad().storage(), buf.storage());
    }

    @Test
    void adamWDecaysWeightsEvenWithZeroGradientButAdamDoesNot() {
        Parameter a = param(1, -2), w = param(1, -2);
        Adam adam = Adam.builder(List.of(a)).lr(0.1).build();
        AdamW adamw = AdamW.builder(List.of(w)).lr(0.1).weightDecay(0.5).build();
        grad(a, 0, 0);
        grad(w, 0, 0);
        adam.step();
        adamw.step();
        assertArrayEquals(new float[] {1, -2}, a.toFloatArray());
        assertArrayEquals(new float[] {0.95f, -1.9f}, w.toFloatArray());
        assertEquals(0.01, new AdamW(List.of(param(1))).defaults().get("weight_decay"));
        assertEquals(0.0, new Adam(List.of(param(1))).defaults().get("weight_decay"));
    }

    @Test
    void adamsFirstStepMovesEachCoordinateByAboutLr() {
        // With bias correction, step 1 is lr * g / (|g| + eps') for every coordinate.
        Parameter p = new Parameter(Tensor.tensor(DType.FLOAT64, 0, 0, 0));
        Adam opt = new Adam(List.of(p), 0.01);
        p.setGrad(Tensor.tensor(DType.FLOAT64, 1e3, -2, 1e-3));
        opt.step();
        assertArrayEquals(new double[] {-0.01, 0.01, -0.01}, p.toDoubleArray(), 1e-7);
    }

    @Test
    void paramGroupsHaveTheirOwnOptions() {
        Parameter body = param(1), head = param(1), late = param(1);
        SGD opt = new SGD(List.of(new ParamGroup(List.of(body)), new ParamGroup(List.of(head)).set("lr", 0.0)), 0.5);
        opt.addParamGroup(new ParamGroup(List.of(late)).set("lr", 2.0));
        assertEquals(3, opt.paramGroups().size());
        assertEquals(0.5, opt.paramGroups().get(0).lr());
        assertEquals(0.0, opt.paramGroups().get(1).lr());
        assertEquals(0.0, opt.paramGroups().get(2).getDouble("momentum"));
        for (Parameter p : List.of(body, head, late)) grad(p, 1);
        opt.step();
        assertEquals(0.5, body.item());
        assertEquals(1.0, head.item());
        assertEquals(-1.0, late.item());
        opt.paramGroups().get(1).setLr(1);
        opt.step();
        assertEquals(0.0, head.item());
    }

    @Test
    void constructionErrorsUsePyTorchsText() {
        Parameter p = param(1);
        assertMessage(IllegalArgumentException.class, "optimizer got an empty parameter list", () -> new SGD(List.<Tensor>of(), 0.1));
        assertMessage(IllegalArgumentException.class, "Invalid learning rate: -0.1", () -> new SGD(List.of(p), -0.1));
        assertMessage(IllegalArgumentException.class, "Invalid momentum value: -1.0",
                () -> SGD.builder(List.of(p)).momentum(-1).build());
        assertMessage(IllegalArgumentException.class, "Nesterov momentum requires a momentum and zero dampening",
                () -> SGD.builder(List.of(p)).momentum(0.9).dampening(0.1).nesterov(true).build());
        assertMessage(IllegalArgumentException.class, "Invalid weight_decay value: -0.001",
                () -> SGD.builder(List.of(p)).weightDecay(-1e-3).build());
        assertMessage(IllegalArgumentException.class, "Invalid epsilon value: -1e-08", () -> Adam.builder(List.of(p)).eps(-1e-8).build());
        assertMessage(IllegalArgumentException.class, "Invalid beta parameter at index 0: 1.0",
                () -> Adam.builder(List.of(p)).betas(1, 0.9).build());
        assertMessage(IllegalArgumentException.class, "Invalid beta parameter at index 1: -0.5",
                () -> AdamW.builder(List.of(p)).betas(0.9, -0.5).build());
        SGD opt = new SGD(List.of(p), 0.1);
        assertMessage(IllegalArgumentException.class, "some parameters appear in more than one parameter group",
                () -> opt.addParamGroup(List.of(p)));
        assertEquals(1, opt.paramGroups().size());
        Tensor leaf = Tensor.ones(2).requiresGrad_();
        assertMessage(IllegalArgumentException.class, "can't optimize a non-leaf Tensor", () -> new SGD(List.of(leaf.mul(2)), 0.1));
    }

    @Test
    void zeroGradSetsToNoneByDefaultOrZeroesInPlace() {
        Parameter p = param(1, 2), q = param(3);
        SGD opt = new SGD(List.of(p, q), 0.1);
        grad(p, 5, 6);
        Tensor g = p.grad();
        opt.zeroGrad(false);
        assertSame(g, p.grad());
        assertArrayEquals(new float[] {0, 0}, g.toFloatArray());
        opt.zeroGrad();
        assertNull(p.grad());
        assertNull(q.grad());
    }

    @Test
    void paramsWithoutGradAreSkippedAndGetNoState() {
        Parameter p = param(1), q = param(2);
        Adam opt = new Adam(List.of(p, q), 0.1);
        grad(p, 1);
        opt.step();
        assertEquals(2.0, q.item());
        assertTrue(opt.state().containsKey(p));
        assertTrue(!opt.state().containsKey(q));
    }

    @Test
    void stepWithClosureReevaluatesTheLossWithGrad() {
        Parameter p = param(3);
        SGD opt = new SGD(List.of(p), 0.25);
        Tensor loss;
        try (var s = dev.nnlab.autograd.NoGrad.enter()) {
            loss = opt.step(() -> {
                opt.zeroGrad();
                Tensor l = p.mul(p).sum();
                l.backward();
                return l;
            });
        }
        assertEquals(9.0, loss.item());
        assertEquals(1.5, p.item());
    }

    @Test
    void stateDictIsKeyedByParameterIndexLikePyTorch() {
        Parameter a = param(1, 2), b = param(3), c = param(4);
        Adam opt = Adam.builder(List.of(new ParamGroup(List.of(a, b)), new ParamGroup(List.of(c)).set("lr", 0.5))).amsgrad(true).build();
        grad(a, 1, 1);
        grad(c, 1);
        opt.step();
        Optimizer.StateDict sd = opt.stateDict();
        assertEquals(List.of(0, 2), List.copyOf(sd.state().keySet()));
        assertEquals(List.of("step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"), List.copyOf(sd.state().get(0).keySet()));
        assertEquals(1.0, ((Tensor) sd.state().get(2).get("step")).item());
        assertEquals(DType.FLOAT32, ((Tensor) sd.state().get(2).get("step")).dtype());
        assertEquals(List.of(0, 1), sd.paramGroups().get(0).get("params"));
        assertEquals(List.of(2), sd.paramGroups().get(1).get("params"));
        assertEquals(0.5, sd.paramGroups().get(1).get("lr"));
        assertEquals(List.of(0.9, 0.999), sd.paramGroups().get(0).get("betas"));
        assertEquals(true, sd.paramGroups().get(0).get("amsgrad"));
    }

    private static float[] train(Function<List<Parameter>, Optimizer> make, boolean reload) {
        Parameter p = param(1, -1, 0.5f), q = param(2);
        Optimizer opt = make.apply(List.of(p, q));
        float[][] grads = {{0.3f, -1, 2}, {1, 0.5f, -0.2f}, {-0.7f, 0.1f, 0.4f}, {0.2f, 0.2f, 0.2f}};
        for (int s = 0; s < grads.length; s++) {
            if (reload && s == 2) {
                Optimizer.StateDict sd = opt.stateDict();
                opt = make.apply(List.of(p, q));
                opt.loadStateDict(sd);
            }
            grad(p, grads[s]);
            grad(q, grads[s][0]);
            opt.step();
        }
        float[] out = new float[4];
        System.arraycopy(p.toFloatArray(), 0, out, 0, 3);
        out[3] = (float) q.item();
        return out;
    }

    @Test
    void loadStateDictResumesExactly() {
        List<Function<List<Parameter>, Optimizer>> makers = List.of(
                ps -> SGD.builder(ps).lr(0.1).momentum(0.9).nesterov(true).build(),
                ps -> Adam.builder(ps).lr(0.05).amsgrad(true).build(),
                ps -> AdamW.builder(ps).lr(0.05).build());
        for (Function<List<Parameter>, Optimizer> make : makers) {
            assertArrayEquals(train(make, false), train(make, true));
        }
    }

    @Test
    void loadStateDictRestoresOptionsAndRejectsMismatchesUntouched() {
        Parameter a = param(1), b = param(2);
        SGD src = SGD.builder(List.of(a, b)).lr(0.3).momentum(0.5).build();
        grad(a, 1);
        src.step();
        Optimizer.StateDict sd = src.stateDict();

        SGD dst = new SGD(List.of(param(0), param(0)), 0.01);
        dst.loadStateDict(sd);
        assertEquals(0.3, dst.paramGroups().get(0).lr());
        assertEquals(1, dst.state().size());
        Tensor buf = (Tensor) dst.state().get(dst.paramGroups().get(0).params().get(0)).get("momentum_buffer");
        assertNotSame(buf.storage(), ((Tensor) src.state().get(a).get("momentum_buffer")).storage());

        SGD one = new SGD(List.of(param(0)), 0.01);
        assertMessage(IllegalArgumentException.class,
                "loaded state dict contains a parameter group that doesn't match the size of optimizer's group",
                () -> one.loadStateDict(sd));
        SGD two = new SGD(List.of(new ParamGroup(List.of(param(0))), new ParamGroup(List.of(param(0)))), 0.01);
        assertMessage(IllegalArgumentException.class, "loaded state dict has a different number of parameter groups",
                () -> two.loadStateDict(sd));
        assertEquals(0.01, one.paramGroups().get(0).lr());
        assertTrue(one.state().isEmpty());
    }

    @Test
    void stepLrDecaysEveryGroupAndRecordsInitialLr() {
        SGD opt = new SGD(List.of(new ParamGroup(List.of(param(0))), new ParamGroup(List.of(param(0))).set("lr", 1.0)), 0.1);
        StepLR sched = new StepLR(opt, 2, 0.5);
        assertEquals(List.of(0.1, 1.0), sched.getLastLr());
        assertEquals(1.0, opt.paramGroups().get(1).getDouble("initial_lr"));
        double[] seen = new double[5];
        for (int e = 0; e < 5; e++) {
            opt.step();
            sched.step();
            seen[e] = opt.paramGroups().get(1).lr();
        }
        assertArrayEquals(new double[] {1.0, 0.5, 0.5, 0.25, 0.25}, seen);
        assertEquals(5, sched.lastEpoch());
        SGD fresh = new SGD(List.of(param(0)), 0.1);
        assertMessage(IllegalArgumentException.class,
                "param 'initial_lr' is not specified in param_groups[0] when resuming scheduler with last_epoch >= 0.",
                () -> new StepLR(fresh, 2, 0.5, 3));
    }

    @Test
    void pythonFloatFormatting() {
        assertEquals("0.001", Optimizer.py(1e-3));
        assertEquals("1e-08", Optimizer.py(1e-8));
        assertEquals("-1.0", Optimizer.py(-1));
        assertEquals("1e+16", Optimizer.py(1e16));
        assertEquals("0.0001", Optimizer.py(1e-4));
        assertEquals("100.0", Optimizer.py(100));
        assertEquals("0.0", Optimizer.py(0));
    }

    @Test
    void optimizerStateIsReachableByParameter() {
        Parameter p = param(1);
        SGD opt = SGD.builder(List.of(p)).lr(0.1).momentum(0.9).build();
        grad(p, 1);
        opt.step();
        Map<String, Object> st = opt.state().get(p);
        assertEquals(List.of("momentum_buffer"), List.copyOf(st.keySet()));
    }
}
