package dev.nnlab.bench;

import dev.nnlab.autograd.NoGrad;
import dev.nnlab.nn.Linear;
import dev.nnlab.nn.Module;
import dev.nnlab.nn.Parameter;
import dev.nnlab.nn.ReLU;
import dev.nnlab.nn.Sequential;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Models × modes on tiny workloads with short timings: structure, errors and side effects; no durations. */
class BenchmarkTest {
    private static Benchmark quick(Benchmark b) {
        return b.minTime(0.01).warmup(0, 0.02);
    }

    @Test
    void everyModelAndModeIsMeasured() {
        List<Double> progress = new ArrayList<>();
        Compare c = quick(new Benchmark("tiny").model("a", new Linear(4, 3)).model("b", new Sequential(
                new Linear(4, 8), new ReLU(), new Linear(8, 3))).input(2, 4)
                .progress((f, s) -> progress.add(f))).run();
        assertEquals(List.of("a", "b"), c.rows());
        assertEquals(List.of("fwd", "nograd", "fwdbwd"), c.columns());
        assertEquals(6, c.measurements().size());
        for (Measurement m : c.measurements()) assertTrue(m.runs() >= 1 && m.median() > 0, m.toString());
        assertEquals(1.0, progress.get(progress.size() - 1));
        for (int i = 1; i < progress.size(); i++) assertTrue(progress.get(i) >= progress.get(i - 1), progress.toString());
    }

    @Test
    void aForwardThatThrowsNamesTheModelModeAndInput() {
        Benchmark b = quick(new Benchmark("bad").model("ok", new Linear(100, 10)).model("wrong", new Linear(50, 10))
                .input(64, 100).modes(BenchMode.NOGRAD));
        IllegalStateException e = assertThrows(IllegalStateException.class, b::run);
        assertEquals("wrong (nograd) failed on input [64, 100]: mat1 and mat2 shapes cannot be multiplied"
                + " (64x100 and 50x10)", e.getMessage());
    }

    @Test
    void gradientsArePutBackAfterAForwardBackwardBenchmark() {
        Linear l = new Linear(3, 2);
        Tensor kept = Tensor.ones(2, 3);
        l.weight.setGrad(kept);
        quick(new Benchmark("g").model("l", l).input(5, 3).modes(BenchMode.FWDBWD)).run();
        assertSame(kept, l.weight.grad());
        assertEquals(null, l.bias.grad());
    }

    @Test
    void missingInputsAndEmptyBenchmarksAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Benchmark("x").run());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Benchmark("x").model("m", new Linear(2, 2)).run());
        assertTrue(e.getMessage().contains("'m' has no input"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Benchmark("x").input(64, 0));
        assertThrows(IllegalArgumentException.class, () -> new Benchmark("x").model("m", null));
        assertThrows(IllegalArgumentException.class,
                () -> new Benchmark("x").model("m", new Linear(2, 2)).model("m", new Linear(2, 2)));
        assertEquals(List.of(BenchMode.FWD, BenchMode.FWDBWD), BenchMode.list("fwd, FWDBWD,fwd"));
        e = assertThrows(IllegalArgumentException.class, () -> BenchMode.list("fwd,back"));
        assertEquals("unknown benchmark mode 'back': expected fwd, nograd or fwdbwd", e.getMessage());
    }

    @Test
    void theArticlesThreeNetsAreExplained() {
        Benchmark b = Containers.article(8);
        Compare c = quick(b.modes(BenchMode.FWD)).run();
        assertEquals(List.of("Sequential", "ModuleList", "ModuleDict"), c.rows());
        String notes = String.join("\n", c.notes());
        // parameter counts PyTorch reports for the article's nets (ARTICLE.md 3.1); multiply-adds are in*out per Linear
        assertTrue(notes.contains("Sequential 40,300 parameters, 40,000 multiply-adds per sample"), notes);
        assertTrue(notes.contains("ModuleList 90,600 parameters, 90,000 multiply-adds per sample"), notes);
        assertTrue(notes.contains("ModuleDict 30,861 parameters (its forward runs 5,560 of them), 5,500 multiply-adds"),
                notes);
    }

    @Test
    void theFairNetsHoldTheSameLayersAndAgree() {
        List<Module> mods = List.of(new Linear(6, 5), new ReLU(), new Linear(5, 4), new ReLU());
        Module seq = new Sequential(mods.toArray(new Module[0]));
        Module list = new Containers.ListLoop(mods), dict = new Containers.DictLoop(mods);
        Tensor x = Tensor.randn(3, 6);
        try (var g = NoGrad.enter()) {
            Tensor y = seq.call(x);
            assertTrue(y.equal(list.call(x)));
            assertTrue(y.equal(dict.call(x)));
        }
        List<Parameter> p = seq.parameters();
        assertEquals(p, list.parameters());
        assertEquals(p, dict.parameters());
        Compare c = quick(Containers.fair(4).modes(BenchMode.NOGRAD)).run();
        assertEquals(List.of("Sequential", "ModuleList loop", "ModuleDict loop"), c.rows());
        assertTrue(c.notes().get(0).contains("same 8 modules (90,600 parameters, 90,000 multiply-adds"), c.notes().get(0));
    }

    @Test
    void oneCellIsMeasuredAloneAsRunWouldMeasureIt() throws Exception {
        Linear l = new Linear(3, 2);
        Tensor kept = Tensor.ones(2, 3);
        l.weight.setGrad(kept);
        Benchmark b = quick(new Benchmark("cells").model("l", l).model("wide", new Linear(3, 40)).input(5, 3)
                .modes(BenchMode.NOGRAD, BenchMode.FWDBWD).note("a note"));
        assertEquals(List.of("l", "wide"), b.names());
        assertEquals(List.of(BenchMode.NOGRAD, BenchMode.FWDBWD), b.modeList());
        assertEquals("cells", b.title());
        assertEquals(List.of("a note"), b.notes());
        Measurement m = b.measure("l", BenchMode.FWDBWD);
        assertEquals("l", m.label());
        assertEquals("fwdbwd", m.mode());
        assertTrue(m.runs() >= 1 && m.median() > 0, m.toString());
        assertSame(kept, l.weight.grad(), "gradients are put back");
        assertThrows(IllegalArgumentException.class, () -> b.measure("l", BenchMode.FWD));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.measure("x", BenchMode.NOGRAD));
        assertTrue(e.getMessage().contains("no model 'x'"), e.getMessage());
        IllegalStateException bad = assertThrows(IllegalStateException.class, () -> quick(new Benchmark("bad")
                .model("wrong", new Linear(50, 10)).input(64, 100)).measure("wrong", BenchMode.FWD));
        assertTrue(bad.getMessage().startsWith("wrong (fwd) failed on input [64, 100]"), bad.getMessage());

        // a measurement travels whole (to and from a Spark executor)
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(m);
        }
        Measurement back;
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
                new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            back = (Measurement) in.readObject();
        }
        assertEquals(m.toString(), back.toString());
        assertTrue(java.util.Arrays.equals(m.times(), back.times()));
    }
}
