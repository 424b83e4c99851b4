package dev.nnlab.autograd;

import dev.nnlab.tensor.DType;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tensor hooks and post-accumulate-grad hooks: replacement, order, removal. */
class HookTest {
    private static Tensor leaf(double... v) {
        return Tensor.tensor(DType.FLOAT64, v).requiresGrad_();
    }

    @Test
    void hookReplacesTheGradient() {
        Tensor x = leaf(1, 2);
        x.registerHook(g -> g.mul(10));
        x.mul(3).sum().backward();
        assertArrayEquals(new double[] {30, 30}, x.grad().toDoubleArray());
    }

    @Test
    void hookReturningNullKeepsTheGradient() {
        Tensor x = leaf(1, 2);
        List<double[]> seen = new ArrayList<>();
        x.registerHook(g -> {
            seen.add(g.toDoubleArray());
            return null;
        });
        x.mul(3).sum().backward();
        assertArrayEquals(new double[] {3, 3}, seen.get(0));
        assertArrayEquals(new double[] {3, 3}, x.grad().toDoubleArray());
    }

    @Test
    void hooksRunInRegistrationOrderEachSeeingThePreviousResult() {
        Tensor x = leaf(1);
        Tensor y = x.mul(2);
        List<String> order = new ArrayList<>();
        y.registerHook(g -> {
            order.add("first saw " + g.item());
            return g.add(1);
        });
        y.registerHook(g -> {
            order.add("second saw " + g.item());
            return g.mul(10);
        });
        y.sum().backward();
        assertEquals(List.of("first saw 1.0", "second saw 2.0"), order);
        assertEquals(40, x.grad().item());
    }

    @Test
    void postAccumulateGradHookRunsAfterTensorHooksAndSeesTheGrad() {
        Tensor x = leaf(1, 1);
        List<String> order = new ArrayList<>();
        x.registerHook(g -> {
            order.add("h1");
            return null;
        });
        x.registerPostAccumulateGradHook(t -> order.add("post " + t.grad().sum().item()));
        x.registerHook(g -> {
            order.add("h2");
            return null;
        });
        x.mul(3).sum().backward();
        assertEquals(List.of("h1", "h2", "post 6.0"), order);
        x.mul(3).sum().backward();
        assertEquals("post 12.0", order.get(order.size() - 1));
    }

    @Test
    void handlesRemoveHooks() {
        Tensor x = leaf(1);
        int[] calls = {0};
        RemovableHandle h = x.registerHook(g -> {
            calls[0]++;
            return g.mul(2);
        });
        RemovableHandle p = x.registerPostAccumulateGradHook(t -> calls[0] += 100);
        x.mul(1).sum().backward();
        assertEquals(101, calls[0]);
        assertEquals(2, x.grad().item());
        h.remove();
        p.remove();
        h.remove();
        assertTrue(h.isRemoved());
        x.mul(1).sum().backward();
        assertEquals(101, calls[0]);
        assertEquals(3, x.grad().item());
    }

    @Test
    void tryWithResourcesScopesAHook() {
        Tensor x = leaf(1);
        Tensor y = x.mul(1);
        try (RemovableHandle h = y.registerHook(g -> g.mul(5))) {
            y.sum().backward(null, true);
            assertEquals(5, x.grad().item());
        }
        y.sum().backward();
        assertEquals(6, x.grad().item());
    }

    @Test
    void registrationErrorsUsePyTorchsWords() {
        var e = assertThrows(IllegalStateException.class, () -> Tensor.zeros(2).registerHook(g -> g));
        assertEquals("cannot register a hook on a tensor that doesn't require gradient", e.getMessage());
        Tensor x = leaf(1);
        e = assertThrows(IllegalStateException.class, () -> x.mul(2).registerPostAccumulateGradHook(t -> { }));
        assertEquals("post accumulate grad hooks cannot be registered on non-leaf tensors", e.getMessage());
    }
}
