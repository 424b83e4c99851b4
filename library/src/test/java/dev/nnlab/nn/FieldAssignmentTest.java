package dev.nnlab.nn;

import dev.nnlab.optim.SGD;
import dev.nnlab.tensor.DType;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Assigning a field that holds a parameter, buffer or submodule is what PyTorch's {@code __setattr__} does: forward,
 * {@code parameters()}, {@code stateDict()}, optimizers and repr all see the new value, and a field holding state that
 * was never registered fails at once with the call to use.
 */
class FieldAssignmentTest {
    /** The steps: reassign {@code m.weight}, call, and ask the registry. */
    @Test
    void reassignedWeightIsWhatTheRegistryHolds() {
        Linear m = new Linear(10, 5);
        Parameter zeros = new Parameter(Tensor.zeros(5, 10));
        m.weight = zeros;
        Tensor x = Tensor.randn(3, 10);
        TensorAsserts.assertClose(m.bias.detach().unsqueeze(0).expand(3, 5), m.call(x).detach(), 0, 0, "forward uses zeros");
        assertSame(zeros, m.parameters().get(0));
        assertEquals(0.0, m.parameters().get(0).sum().item());
        assertSame(zeros, m.namedParameters().get("weight"));
        assertEquals(0.0, m.stateDict().get("weight").abs().sum().item());
        assertSame(zeros, m.getParameter("weight"));
        assertEquals(List.of("weight", "bias"), new ArrayList<>(m.stateDict().keySet()), "position kept");
    }

    /** An optimizer made after the assignment trains the tensor that forward uses. */
    @Test
    void optimizerTrainsWhatForwardUses() {
        Linear m = new Linear(4, 2);
        m.weight = new Parameter(Tensor.zeros(2, 4));
        SGD opt = SGD.builder(m.parameters()).lr(0.5).build();
        Tensor x = Tensor.ones(1, 4);
        double before = m.call(x).sum().item();
        m.call(x).sum().backward();
        opt.step();
        // d sum / dW = 1 for every entry, d / db = 1: one step of lr 0.5 lowers each output by 0.5 * (4 + 1)
        assertEquals(before - 2 * 0.5 * 5, m.call(x).sum().item(), 1e-5);
        assertEquals(-0.5, m.weight.detach().toDoubleArray()[0], 1e-7);
    }

    @Test
    void biasSetToNullLeavesTheRegistry() {
        Linear m = new Linear(3, 2);
        m.bias = null;
        assertEquals(List.of("weight"), new ArrayList<>(m.namedParameters().keySet()));
        assertEquals(List.of("weight"), new ArrayList<>(m.stateDict().keySet()));
        assertEquals(6, m.numParameters());
    }

    @Test
    void registerParameterByNameWritesTheField() {
        Linear m = new Linear(3, 2);
        m.parameters();
        Parameter p = new Parameter(Tensor.ones(2, 3));
        m.registerParameter("weight", p);
        assertSame(p, m.weight);
        // Also before any registry access (the binding is made then)
        Linear fresh = new Linear(3, 2);
        Parameter q = new Parameter(Tensor.ones(2, 3));
        fresh.registerParameter("weight", q);
        assertSame(q, fresh.weight);
        assertSame(q, fresh.parameters().get(0));
    }

    @Test
    void reassignedBufferIsSavedAndLoaded() {
        BatchNorm1d bn = new BatchNorm1d(3);
        Tensor mean = Tensor.full(new int[] {3}, 2.0);
        bn.runningMean = mean;
        assertSame(mean, bn.namedBuffers().get("running_mean"));
        assertTrue(bn.stateDict().get("running_mean").equal(mean));
        var sd = bn.stateDict();
        sd.put("running_mean", Tensor.full(new int[] {3}, 7.0));
        bn.loadStateDict(sd);
        assertEquals(7.0, bn.runningMean.toDoubleArray()[1], "load copies into the tensor the field holds");
        bn.eval();
        Tensor y = bn.call(Tensor.full(new int[] {1, 3}, 7.0));
        assertEquals(0.0, y.abs().sum().item(), 1e-6, "eval forward normalises with the loaded mean");
    }

    static final class Net extends Module {
        Linear fc = registerModule("fc", new Linear(4, 3));
        final ReLU act = registerModule("act", new ReLU());

        @Override
        public Tensor forward(Tensor x) {
            return act.call(fc.call(x));
        }
    }

    @Test
    void reassignedSubmoduleIsAChild() {
        Net net = new Net();
        Linear wider = new Linear(4, 6);
        net.fc = wider;
        assertSame(wider, net.children().get(0));
        assertSame(wider, net.getSubmodule("fc"));
        assertEquals(List.of("fc.weight", "fc.bias"), new ArrayList<>(net.namedParameters().keySet()));
        assertEquals(30, net.numParameters());
        assertTrue(net.toString().contains("(fc): Linear(in_features=4, out_features=6, bias=True)"), net::toString);
        net.eval();
        assertFalse(wider.isTraining(), "train/eval reach the new child");
        net.toDouble();
        assertEquals(DType.FLOAT64, wider.weight.dtype());
    }

    @Test
    void registeringTheWrongTypeForATypedFieldChangesNothing() {
        Net net = new Net();
        Linear fc = net.fc;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> net.registerModule("fc", new Tanh()));
        assertEquals("cannot register a Tanh as 'fc': it is held in the field Net.fc of type Linear", e.getMessage());
        assertSame(fc, net.fc);
        assertSame(fc, net.getSubmodule("fc"));
    }

    @Test
    void aFinalFieldCannotBeReplacedBehindForwardsBack() {
        Net net = new Net();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> net.registerModule("act", new ReLU()));
        assertTrue(e.getMessage().startsWith("cannot replace 'act': it is held in the final field Net.act"), e::getMessage);
        CrossEntropyLoss loss = new CrossEntropyLoss(Tensor.ones(3), -100, "mean", 0.0);
        Tensor w = loss.weight;
        assertThrows(IllegalStateException.class, () -> loss.registerBuffer("weight", Tensor.zeros(3)));
        assertSame(w, loss.namedBuffers().get("weight"));
    }

    static final class Forgot extends Module {
        Linear fc = new Linear(4, 3);

        @Override
        public Tensor forward(Tensor x) {
            return fc.call(x);
        }
    }

    @Test
    void anUnregisteredModuleFieldFailsAtFirstCallWithTheFix() {
        Forgot m = new Forgot();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.call(Tensor.randn(2, 4)));
        assertTrue(e.getMessage().startsWith("Forgot.fc holds a Linear that is not registered, so parameters(), "
                + "stateDict() and optimizers would not see it: write `fc = registerModule(\"fc\", new Linear(...))`"),
                e::getMessage);
        assertThrows(IllegalStateException.class, m::parameters);
        m.fc = m.registerModule("fc", m.fc);
        assertEquals(15, m.numParameters());
        assertNotNull(m.call(Tensor.randn(2, 4)));
    }

    static final class LooseParameter extends Module {
        Parameter scale = new Parameter(Tensor.ones(1));
    }

    @Test
    void anUnregisteredParameterFieldFails() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new LooseParameter().stateDict());
        assertTrue(e.getMessage().contains("`scale = registerParameter(\"scale\", new Parameter(...))`"), e::getMessage);
    }

    static final class Stack extends Module {
        final ModuleList layers = registerModule("layers", new ModuleList(new Linear(2, 2), new Linear(2, 2)));
        Linear last = layers.get(-1);
    }

    @Test
    void aFieldMayPointIntoAChildButNotOutOfTheTree() {
        Stack s = new Stack();
        assertEquals(12, s.numParameters(), "a field into a registered child is fine");
        s.last = new Linear(2, 2);
        IllegalStateException e = assertThrows(IllegalStateException.class, s::parameters);
        assertTrue(e.getMessage().startsWith("Stack.last holds a Linear that is not registered"), e::getMessage);
    }

    @Test
    void theArticlesListingAsAPyTorchUserWritesIt() {
        // ARTICLE.md §2.1's module, which assigns self.layer2.weight = nn.Parameter(...) as Python does
        var m = new ArticleListing03Test.ParameterManagementModule(new int[] {10}, new int[] {5, 5});
        List<List<Object>> actual = new ArrayList<>();
        m.namedParameters().forEach((n, p) -> {
            List<Object> shape = new ArrayList<>();
            for (int d : p.shape()) shape.add((long) d);
            actual.add(List.of(n, shape));
        });
        assertEquals(NnFacts.<List<Object>>model("ParameterManagementModule", "parameters"), actual);
        assertEquals(NnFacts.<Long>model("ParameterManagementModule", "numel"), m.numParameters());
        assertSame(m.layer2.weight, m.getParameter("layer2.weight"));
        assertTrue(m.layer2.weight.sharesStorageWith(m.layer1.weight));
        // The registry's layer2.weight gets the gradient that forward produced
        m.call(Tensor.randn(3, 10)).sum().backward();
        assertNotNull(m.getParameter("layer2.weight").grad());
        assertEquals(2, m.layer2.weight.grad().dim());
        assertEquals(10, m.layer2.weight.grad().shape()[0]);
    }

    @Test
    void aRealTieByAssignmentCountsOnceAndAccumulates() {
        Linear enc = new Linear(3, 3, false);
        Linear dec = new Linear(3, 3, false);
        dec.weight = enc.weight;
        Sequential ae = new Sequential(enc, new Tanh(), dec);
        assertEquals(1, ae.parameters().size(), "listed once, like PyTorch");
        assertEquals(9, ae.numParameters());
        assertEquals(List.of("0.weight", "2.weight"), new ArrayList<>(ae.stateDict().keySet()), "saved under each name");
        Tensor x = Tensor.randn(4, 3);
        ae.call(x).sum().backward();

        // Independent check: the same net untied, each copy starting from W; the tie's gradient is their sum
        Linear a = new Linear(3, 3, false);
        Linear b = new Linear(3, 3, false);
        a.weight.detach().copy_(enc.weight.detach());
        b.weight.detach().copy_(enc.weight.detach());
        new Sequential(a, new Tanh(), b).call(x).sum().backward();
        TensorAsserts.assertClose(a.weight.grad().add(b.weight.grad()), enc.weight.grad(), 1e-6, 1e-7, "tied grad");
        assertSame(enc.weight.grad(), dec.weight.grad());
    }

    @Test
    void removingAnEntryClearsItsField() {
        Net net = new Net();
        net.parameters();
        net.removeModule("fc");
        assertNull(net.fc);
        assertEquals(0, net.numParameters());
    }
}
