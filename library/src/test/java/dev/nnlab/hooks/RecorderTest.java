package dev.nnlab.hooks;

import dev.nnlab.autograd.RemovableHandle;
import dev.nnlab.nn.Dropout;
import dev.nnlab.nn.Linear;
import dev.nnlab.nn.Module;
import dev.nnlab.nn.ModuleList;
import dev.nnlab.nn.Parameter;
import dev.nnlab.nn.ReLU;
import dev.nnlab.nn.Sequential;
import dev.nnlab.nn.Sigmoid;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Recorders on live models: what they attach, what they see, what they leave alone. */
class RecorderTest {
    /** The article's Sequential (section 3.1). */
    static Module sequential() {
        return new Sequential(new Linear(100, 200), new ReLU(), new Dropout(0.1), new Linear(200, 100), new Sigmoid());
    }

    /** Calls its layers in the reverse of their registration order, so forward order is not model order. */
    static final class Backwards extends Module {
        final ModuleList layers = registerModule("layers", new ModuleList(new Linear(4, 8), new ReLU(), new Linear(8, 4)));

        @Override
        public Tensor forward(Tensor x) {
            return layers.get(0).call(layers.get(1).call(layers.get(2).call(x)));
        }
    }

    static int hookCount(Module model) {
        int n = 0;
        for (Module m : model.modules()) n += m.registeredHooks().size();
        return n;
    }

    /** The tensors each module produced, cloned by the test's own hooks. */
    static Map<String, Tensor> capture(Module model, List<RemovableHandle> handles) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        model.namedChildren().forEach((name, m) -> handles.add(m.registerForwardHook((mod, in, o) -> {
            out.put(name, ((Tensor) o).detach().clone());
            return null;
        })));
        return out;
    }

    @Test
    void defaultRecordsEveryLayerInForwardOrderWithStatisticsOfWhatEachProduced() {
        Tensor.manualSeed(0);
        Module model = sequential();
        List<RemovableHandle> mine = new ArrayList<>();
        Map<String, Tensor> outputs = capture(model, mine);
        Recorder rec = Recorder.on(model).attach();
        Tensor x = Tensor.randn(64, 100);
        model.call(x);

        Table t = rec.table();
        assertEquals(List.of("0", "1", "2", "3", "4"), t.stringColumn("module").asList());
        assertEquals(List.of("Linear", "ReLU", "Dropout", "Linear", "Sigmoid"), t.stringColumn("type").asList());
        for (Row r : t) {
            float[] v = outputs.get(r.getString("module")).toFloatArray();
            double[] want = TensorStatsTest.reference(v);
            assertEquals("output", r.getString("kind"));
            assertEquals(1, r.getLong("calls"));
            assertEquals(want[0], r.getDouble("mean"), 1e-5);
            assertEquals(want[1], r.getDouble("std"), 1e-5);
            assertEquals(want[2], r.getDouble("min"), 1e-6);
            assertEquals(want[3], r.getDouble("max"), 1e-6);
            assertEquals(want[4], r.getDouble("norm"), 1e-4 * want[4]);
            assertEquals(want[5], r.getDouble("zero_frac"), 1e-12);
            assertEquals(0, r.getLong("nan"));
        }
        assertEquals("[64, 200]", t.stringColumn("shape").get(1));
        assertTrue(t.doubleColumn("zero_frac").get(1) > 0.3, "ReLU output has dead units");
        String text = t.print();
        assertTrue(text.contains("zero_frac") && text.lines().count() >= 7, text);
    }

    @Test
    void rowsFollowCallOrderNotRegistrationOrder() {
        Backwards model = new Backwards();
        Recorder rec = Recorder.on(model).path("layers.*").attach();
        model.call(Tensor.randn(2, 8));
        assertEquals(List.of("layers.2", "layers.1", "layers.0"), rec.table().stringColumn("module").asList());

        Recorder grads = Recorder.on(model).what(Recorder.What.GRADIENTS).path("layers.*").attach();
        model.call(Tensor.randn(2, 8).requiresGrad_(true)).sum().backward();
        assertEquals(List.of("layers.2", "layers.2", "layers.1", "layers.1", "layers.0", "layers.0"),
                grads.table().stringColumn("module").asList());
    }

    @Test
    void outputsAndGradientsAreBitForBitUnchanged() {
        Tensor.manualSeed(1);
        Module plain = sequential();
        Module hooked = sequential();
        hooked.loadStateDict(plain.stateDict());
        Recorder rec = Recorder.on(hooked).what(Recorder.What.BOTH).keep(Recorder.Keep.LAST).attach();
        Tensor x = Tensor.randn(64, 100);
        for (int step = 0; step < 2; step++) {
            Tensor.manualSeed(10 + step);
            Tensor xa = x.clone().requiresGrad_(true);
            Tensor a = plain.call(xa);
            a.pow(2).sum().backward();
            Tensor.manualSeed(10 + step);
            Tensor xb = x.clone().requiresGrad_(true);
            Tensor b = hooked.call(xb);
            b.pow(2).sum().backward();
            assertArrayEquals(a.toFloatArray(), b.toFloatArray());
            assertArrayEquals(xa.grad().toFloatArray(), xb.grad().toFloatArray());
            List<Parameter> pa = plain.parameters(), pb = hooked.parameters();
            for (int i = 0; i < pa.size(); i++) assertArrayEquals(pa.get(i).grad().toFloatArray(), pb.get(i).grad().toFloatArray());
        }
        assertEquals(2, rec.stats("3", Recorder.Kind.GRAD_OUTPUT).calls());
    }

    @Test
    void gradientsRecordGradOutputAndGradInputAndNoneWhereTheInputNeedsNoGrad() {
        Tensor.manualSeed(2);
        Module model = new Sequential(new Linear(10, 20), new ReLU(), new Linear(20, 1));
        Map<String, Tensor[]> seen = new LinkedHashMap<>();
        model.namedChildren().forEach((name, m) -> m.registerFullBackwardHook((mod, gi, go) -> {
            seen.put(name, new Tensor[] {go[0].clone(), gi[0] == null ? null : gi[0].clone()});
            return null;
        }));
        Recorder rec = Recorder.on(model).what("gradients").type("Linear").attach();
        model.call(Tensor.randn(32, 10)).pow(2).sum().backward();
        Table t = rec.table();
        assertEquals(List.of("0", "0", "2", "2"), t.stringColumn("module").asList());
        assertEquals(List.of("grad_output", "grad_input", "grad_output", "grad_input"), t.stringColumn("kind").asList());
        for (String path : List.of("0", "2")) {
            TensorStatsTest.assertStats(TensorStatsTest.reference(seen.get(path)[0].toFloatArray()),
                    rec.stats(path, Recorder.Kind.GRAD_OUTPUT), 1e-5);
        }
        TensorStatsTest.assertStats(TensorStatsTest.reference(seen.get("2")[1].toFloatArray()),
                rec.stats("2", Recorder.Kind.GRAD_INPUT), 1e-5);
        TensorStats none = rec.stats("0", Recorder.Kind.GRAD_INPUT);
        assertEquals(1, none.calls());
        assertEquals("None", none.shapeString());
        assertEquals("[32, 1]", rec.stats("2", Recorder.Kind.GRAD_OUTPUT).shapeString());
    }

    @Test
    void attachingTwiceDoesNotDoubleHooksAndRemoveTakesThemAll() {
        Module model = sequential();
        RemovableHandle user = model.registerForwardHook((m, in, out) -> null);
        Recorder a = Recorder.on(model).what(Recorder.What.BOTH).attach();
        int after = hookCount(model);
        assertEquals(1 + 2 * 5, after);
        Recorder b = Recorder.on(model).what(Recorder.What.BOTH).attach();
        assertSame(a, b);
        assertSame(a, a.attach());
        assertEquals(after, hookCount(model));
        Recorder other = Recorder.on(model).type("Linear").attach();
        assertNotSame(a, other);
        assertEquals(after + 2, hookCount(model));
        assertEquals(List.of(a, other), Recorder.attached(model));

        a.remove();
        assertFalse(a.isAttached());
        assertEquals(3, hookCount(model));
        other.remove();
        assertEquals(1, hookCount(model));
        user.remove();
        assertEquals(0, hookCount(model));
    }

    @Test
    void handlesIdsAreThoseTheHookTableLists() {
        Module model = sequential();
        RemovableHandle user = model.registerForwardPreHook((m, args) -> null);
        Recorder rec = Recorder.on(model).type("Linear").what(Recorder.What.BOTH).attach();
        Table t = HookTable.of(model);
        assertEquals(5, t.rowCount());
        assertEquals(user.id(), t.longColumn("id").get(0));
        assertEquals("(model)", t.stringColumn("module").get(0));
        assertEquals("forward_pre", t.stringColumn("kind").get(0));
        assertEquals("user", t.stringColumn("owner").get(0));
        List<Long> ids = new ArrayList<>();
        for (RemovableHandle h : rec.handles()) ids.add(h.id());
        assertEquals(ids, t.longColumn("id").asList().subList(1, 5));
        assertEquals(List.of("0", "0", "3", "3"), t.stringColumn("module").asList().subList(1, 5));
        assertEquals(List.of("forward", "backward", "forward", "backward"), t.stringColumn("kind").asList().subList(1, 5));
        assertEquals("recorder(both, stats, type=Linear)", t.stringColumn("owner").get(1));

        assertTrue(rec.remove(ids.get(1)));
        assertFalse(rec.remove(user.id()));
        assertEquals(3, rec.handles().size());
        assertEquals(4, hookCount(model));
    }

    @Test
    void theHookTableListsGlobalHooksAndEveryKindInRunOrder() {
        Sequential model = new Sequential(new Linear(2, 2));
        Module lin = model.get(0);
        RemovableHandle b = lin.registerFullBackwardHook((m, gi, go) -> null);
        RemovableHandle f = lin.registerForwardHook((m, in, out) -> null);
        RemovableHandle f0 = lin.registerForwardHook((m, in, out) -> null, true, false);
        RemovableHandle bp = lin.registerFullBackwardPreHook((m, go) -> null);
        try (RemovableHandle g = Module.registerModuleForwardHook((m, in, out) -> null)) {
            Table t = HookTable.of(model);
            assertEquals(List.of(f0.id(), f.id(), bp.id(), b.id(), g.id()), t.longColumn("id").asList());
            assertEquals(List.of("forward", "forward", "backward_pre", "backward", "forward"), t.stringColumn("kind").asList());
            assertEquals("(every module)", t.stringColumn("module").get(4));
        }
        f.remove();
        assertEquals(List.of(f0.id(), bp.id(), b.id()), HookTable.of(model).longColumn("id").asList());
    }

    @Test
    void typeAndPathFiltersSelectModules() {
        Module model = sequential();
        assertEquals(List.of("0", "3"), Recorder.on(model).type("Linear").attach().paths());
        assertEquals(List.of("1", "4"), Recorder.on(model).type(ReLU.class, Sigmoid.class).attach().paths());
        assertEquals(List.of("3", "4"), Recorder.on(model).path("[3-4]").attach().paths());
        Backwards b = new Backwards();
        assertEquals(List.of("layers.0", "layers.2"), Recorder.on(b).path("layers.*").type("Linear").attach().paths());
        assertEquals(List.of("layers"), Recorder.on(b).type("ModuleList").attach().paths());
        Recorder partial = Recorder.on(model).type("Linear", "Conv2d").attach();
        assertEquals(List.of("Conv2d"), partial.unmatchedTypes());
    }

    @Test
    void noMatchAndBadInputAreClearErrorsThatLeaveNothingAttached() {
        Module model = sequential();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Recorder.on(model).type("Conv2d").attach());
        assertTrue(e.getMessage().contains("no module of type Conv2d in Sequential"), e.getMessage());
        assertTrue(e.getMessage().contains("Linear, ReLU, Dropout, Sigmoid"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Recorder.on(model).path("layers.*").attach());
        assertTrue(e.getMessage().contains("with path 'layers.*'") && e.getMessage().contains("its paths: 0, 1, 2, 3, 4"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Recorder.on(model).path("layers.[0"));
        assertTrue(e.getMessage().contains("bad path glob 'layers.[0'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Recorder.on(model).path("[z-a]"));
        assertTrue(e.getMessage().startsWith("bad path glob '[z-a]'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Recorder.on(model).what("weights"));
        assertEquals("bad what 'weights': expected one of activations, gradients, both", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Recorder.on(model).keep("all"));
        assertEquals("bad keep 'all': expected one of stats, last, history", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Recorder.on(model).historySize(0));
        assertThrows(NullPointerException.class, () -> Recorder.on(null));
        assertEquals(0, hookCount(model));

        Recorder rec = Recorder.on(model).attach();
        assertThrows(IllegalStateException.class, () -> rec.last("0"));
        assertThrows(IllegalStateException.class, rec::history);
        assertThrows(IllegalStateException.class, () -> rec.stats("0", Recorder.Kind.GRAD_INPUT));
        e = assertThrows(IllegalArgumentException.class, () -> rec.stats("9"));
        assertTrue(e.getMessage().contains("module '9' is not recorded"), e.getMessage());
    }

    @Test
    void keepLastIsACopyThatLaterInPlaceChangesCannotReach() {
        Module model = new Sequential(new Linear(4, 3), new ReLU());
        Recorder rec = Recorder.on(model).keep("last").attach();
        Tensor y = model.call(Tensor.randn(2, 4));
        float[] want = y.toFloatArray();
        y.detach().mul_(0);
        assertArrayEquals(want, rec.last("1").toFloatArray());
        assertFalse(rec.last("1").requiresGrad());
        assertEquals(null, rec.last("1").gradFn());
    }

    @Test
    void historyIsBoundedAndNumbersItsSteps() {
        Module model = new Sequential(new Linear(4, 3), new ReLU());
        Recorder rec = Recorder.on(model).keep(Recorder.Keep.HISTORY).historySize(2).attach();
        List<float[]> outs = new ArrayList<>();
        for (int i = 0; i < 3; i++) outs.add(model.call(Tensor.randn(5, 4)).toFloatArray());
        Table h = rec.history();
        assertEquals(List.of("0", "0", "1", "1"), h.stringColumn("module").asList());
        assertEquals(List.of(2, 3, 2, 3), h.intColumn("step").asList());
        assertEquals(TensorStatsTest.reference(outs.get(2))[0], h.doubleColumn("mean").get(3), 1e-6);
        assertEquals(TensorStatsTest.reference(outs.get(1))[3], h.doubleColumn("max").get(2), 1e-6);
        assertEquals(3, rec.stats("1").calls());
        rec.reset();
        assertEquals(0, rec.stats("1").calls());
        assertEquals(0, rec.history().rowCount());
    }

    @Test
    void removedRecorderCanBeAttachedAgainAndKeepsItsNumbers() {
        Module model = new Sequential(new Linear(4, 3), new ReLU());
        Recorder rec = Recorder.on(model).attach();
        model.call(Tensor.randn(2, 4));
        rec.remove();
        model.call(Tensor.randn(2, 4));
        assertEquals(1, rec.stats("0").calls());
        rec.attach();
        model.call(Tensor.randn(2, 4));
        assertEquals(2, rec.stats("0").calls());
        assertTrue(rec.toString().startsWith("recorder(activations, stats): 2 modules, 2 hooks attached"), rec.toString());
    }
}
