package dev.nnlab.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnlab.bench.BenchMode;
import dev.nnlab.bench.Benchmark;
import dev.nnlab.bench.Compare;
import dev.nnlab.bench.Containers;
import dev.nnlab.bench.Measurement;
import dev.nnlab.nn.Linear;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/** A benchmark timed on the executors of a real local-cluster: the same Compare, cells timed there; no durations. */
class BenchSweepTest {
    @Test
    void theArticlesContainersAreTimedOnExecutorsAsOneCompare() {
        List<Integer> seen = new ArrayList<>();
        BenchSweep r = BenchSweep.run(TestCluster.get(), () -> Containers.article(8)
                .modes(BenchMode.FWD, BenchMode.NOGRAD).minTime(0.02).warmup(0, 0.05), seen::add);
        Compare c = r.compare();
        Benchmark local = Containers.article(8);
        assertEquals(List.of("Sequential", "ModuleList", "ModuleDict"), c.rows());
        assertEquals(List.of("fwd", "nograd"), c.columns());
        assertEquals(local.title(), c.title());
        assertTrue(c.notes().containsAll(local.notes()), "the benchmark's own notes are kept");
        assertTrue(c.notes().get(c.notes().size() - 1).startsWith("Timed on Spark (local-cluster[2,1,1024]): one task"
                + " per model and mode, 6 tasks on executor"), c.notes().toString());
        for (Measurement m : c.measurements()) {
            assertTrue(m.runs() >= 1 && m.median() > 0, m.toString());
            // the executors' BLAS has spark.task.cpus threads, which the Timer reports
            assertEquals(1, m.threads(), m.toString());
        }
        Table t = r.sweep().table();
        assertEquals(6, t.rowCount());
        assertEquals(List.of("trial", "model", "mode", "median (ms)", "iqr (ms)", "runs", "loops", "threads", "seconds",
                "executor", "error"), t.columnNames());
        assertTrue(t.stringColumn("executor").asList().stream().noneMatch("driver"::equals), t.print());
        assertEquals(c.get("ModuleList", "nograd").median() * 1e3, t.doubleColumn("median (ms)").get(3), 1e-12);
        assertEquals(6, seen.size(), "progress heard every finished trial");
    }

    @Test
    void aCellThatFailsOnTheExecutorIsANoteAndAFailedRow() {
        BenchSweep r = BenchSweep.run(TestCluster.get(), () -> new Benchmark("one bad").input(2, 4)
                .model("ok", new Linear(4, 3)).model("bad", new Linear(5, 3)).modes(BenchMode.NOGRAD)
                .minTime(0.02).warmup(0, 0.05), null);
        assertEquals(List.of("ok"), r.compare().rows());
        assertEquals(1, r.sweep().failed().size());
        String error = r.sweep().failed().get(0).error();
        assertEquals("IllegalStateException: bad (nograd) failed on input [2, 4]: mat1 and mat2 shapes cannot be"
                + " multiplied (2x4 and 5x3)", error);
        assertTrue(r.compare().notes().stream().anyMatch(n -> n.startsWith("bad nograd failed on executor")
                && n.endsWith(error)), r.compare().notes().toString());

        IllegalStateException all = assertThrows(IllegalStateException.class, () -> BenchSweep.run(TestCluster.get(),
                () -> new Benchmark("all bad").input(2, 4).model("bad", new Linear(5, 3)).modes(BenchMode.FWD), null));
        assertTrue(all.getMessage().startsWith("every cell of the benchmark failed; the first: IllegalStateException:"
                + " bad (fwd) failed"), all.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BenchSweep.run(TestCluster.get(), () -> null, null));
        assertThrows(IllegalArgumentException.class, () -> BenchSweep.run(TestCluster.get(), () -> new Benchmark("x"), null));
    }
}
