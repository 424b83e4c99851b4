package dev.nnlab.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnlab.gradflow.GradFlow;
import dev.nnlab.gradflow.GradFlowReport;
import dev.nnlab.gradflow.GradFlowWatch;
import dev.nnlab.hooks.Recorder;
import dev.nnlab.nn.Linear;
import dev.nnlab.nn.ReLU;
import dev.nnlab.nn.Sequential;
import dev.nnlab.nn.functional.F;
import dev.nnlab.optim.SGD;
import dev.nnlab.progress.Progress;
import dev.nnlab.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/**
 * The toolkit's training helpers inside trials on executors: a loop under Progress.over prints nothing there,
 * and a GradFlow watch and a Recorder come back as metric columns of the trial's row.
 */
class TrialHelpersTest {
    private static final int STEPS = 30;

    /**
     * Trains Linear(8, 16), ReLU, Linear(16, 1) under a progress bar, a gradient-flow watch and a ReLU recorder,
     * counting what the trial printed. A first-layer bias of -100 kills every ReLU unit (inputs are ~N(0, 1)).
     */
    static Map<String, Double> train(Config c) {
        Tensor.manualSeed(c.getInt("seed"));
        Linear first = new Linear(8, 16);
        first.bias.detach().fill_(c.getDouble("bias"));
        Sequential m = new Sequential(first, new ReLU(), new Linear(16, 1));
        Tensor x = Tensor.randn(64, 8);
        Tensor y = x.narrow(1, 0, 1);
        m.call(x);  // the library says once per JVM which BLAS it found; that line is not the loop's
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            SGD opt = SGD.builder(m.parameters()).lr(0.05).build();
            Recorder rec = Recorder.on(m).type("ReLU").attach();
            GradFlowWatch watch = GradFlow.watch(m, 5);
            double loss = 0;
            int steps = 0;
            for (int s : Progress.over(IntStream.range(0, STEPS).boxed().toList(), "train")) {
                opt.zeroGrad();
                Tensor l = F.mseLoss(m.call(x), y);
                l.backward();
                opt.step();
                loss = l.item();
                steps++;
            }
            GradFlowReport report = watch.stop().latest();  // step 25, the last one recorded
            rec.remove();
            System.setOut(out);
            if (printed.size() > 0) {
                throw new IllegalStateException("the trial printed " + printed.size() + " bytes: "
                        + printed.toString(StandardCharsets.UTF_8).replace("\r", "\\r"));
            }
            return Metrics.join(Map.of("loss", loss, "steps", (double) steps), Metrics.of(report),
                    Metrics.of(rec, "zero_frac", "calls"));
        } finally {
            System.setOut(out);
        }
    }

    @Test
    void progressGradFlowAndRecorderWorkInTrialsOnExecutors() {
        List<Config> configs = List.of(Config.of("bias", 0.0, "seed", 1), Config.of("bias", -100.0, "seed", 1));
        SweepResult r = Sweep.run(TestCluster.get(), configs, TrialHelpersTest::train);
        Table t = r.table();
        // a trial that printed (a progress bar's text line on its executor) fails, saying what it printed
        assertEquals(List.of(), r.failed(), r.toString());
        assertTrue(t.stringColumn("executor").asList().stream().noneMatch("driver"::equals), r.toString());
        for (int row = 0; row < 2; row++) {
            assertEquals(STEPS, t.doubleColumn("steps").get(row));
            assertEquals(STEPS, t.doubleColumn("1.output.calls").get(row), "the recorder saw every forward");
        }
        // bias -100: every unit is dead, so the first layer gets no gradient at all (mathematics, not nnlab)
        assertEquals(1.0, t.doubleColumn("1.output.zero_frac").get(1));
        assertEquals(0.0, t.doubleColumn("grad.0.weight").get(1));
        assertEquals(1.0, t.doubleColumn("dead.1").get(1), "the watch saw the dead ReLU");
        assertTrue(t.doubleColumn("gradflow.dead").get(1) >= 1 && t.doubleColumn("gradflow.vanishing").get(1) >= 1,
                r.toString());
        assertTrue(t.doubleColumn("1.output.zero_frac").get(0) < 0.9, r.toString());
        assertTrue(t.doubleColumn("grad.0.weight").get(0) > 0, r.toString());
        assertEquals(0.0, t.doubleColumn("gradflow.dead").get(0), r.toString());

        // what the executors computed is what this JVM computes for the same trials
        SweepResult here = Sweep.runHere(configs, TrialHelpersTest::train);
        for (String col : List.of("loss", "grad.0.weight", "grad.2.weight", "1.output.zero_frac", "gradflow.findings")) {
            assertEquals(here.table().doubleColumn(col).asList(), t.doubleColumn(col).asList(), col);
        }
    }

    @Test
    void metricNamesMustNotClashAndStatisticsMustExist() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Metrics.join(Map.of("loss", 1.0), Map.of("loss", 2.0)));
        assertEquals("two metrics are named 'loss'", e.getMessage());
        Recorder rec = Recorder.on(new Sequential(new Linear(2, 2), new ReLU())).attach();
        e = assertThrows(IllegalArgumentException.class, () -> Metrics.of(rec, "median"));
        assertTrue(e.getMessage().startsWith("'median' is not a statistic of the recorder"), e.getMessage());
        rec.remove();
    }
}
