package dev.nnlab.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

class SweepTest {
    @Test
    void oneRowPerTrialWithConfigColumnsMetricsAndFailuresAsRows() {
        Map<String, List<?>> axes = new LinkedHashMap<>();
        axes.put("lr", List.of(0.1, 0.01));
        axes.put("hidden", List.of(8, 0));
        List<Config> grid = Config.grid(axes);
        assertEquals(4, grid.size());
        List<Integer> seen = new ArrayList<>();
        SweepResult r = Sweep.run(TestCluster.get(), grid, c -> {
            if (c.getInt("hidden") == 0) {
                throw new IllegalArgumentException("hidden must be positive");
            }
            return Map.of("score", c.getDouble("lr") * c.getInt("hidden"),
                    "blasThreads", Double.parseDouble(System.getenv().getOrDefault("OPENBLAS_NUM_THREADS", "0")));
        }, seen::add);
        Table t = r.table();
        assertEquals(4, t.rowCount());
        // the trial's Map.of has no order: its metrics come in name order
        assertEquals(List.of("trial", "lr", "hidden", "blasThreads", "score", "seconds", "executor", "error"), t.columnNames());
        assertEquals(1.0, t.doubleColumn("blasThreads").get(0), "a trial's BLAS gets spark.task.cpus threads");
        assertEquals(0.8, t.doubleColumn("score").get(0), 1e-12);
        assertEquals(0.08, t.doubleColumn("score").get(2), 1e-12);
        assertEquals("IllegalArgumentException: hidden must be positive", t.stringColumn("error").get(1));
        assertEquals(2, r.failed().size());
        assertTrue(t.stringColumn("executor").asList().stream().noneMatch("driver"::equals), "trials ran on executors");
        assertEquals(4, seen.size(), "progress heard every finished trial");
        assertTrue(r.toString().contains("4 trials (2 failed)"));
    }

    @Test
    void anInterruptCancelsTheJob() throws Exception {
        List<Config> slow = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            slow.add(Config.of("i", i));
        }
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                Sweep.run(TestCluster.get(), slow, c -> {
                    Thread.sleep(20_000);
                    return Map.of("x", 1.0);
                });
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        t.start();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (TestCluster.get().context().statusTracker().getActiveJobIds().length == 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        t.interrupt();
        t.join(15_000);
        assertTrue(thrown.get() != null && thrown.get().getMessage().contains("interrupted"), String.valueOf(thrown.get()));
        while (TestCluster.get().context().statusTracker().getActiveJobIds().length > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(0, TestCluster.get().context().statusTracker().getActiveJobIds().length, "the job was cancelled");
    }

    @Test
    void badInput() {
        assertThrows(IllegalArgumentException.class, () -> Sweep.run(TestCluster.get(), List.of(), c -> Map.of()));
        assertThrows(IllegalArgumentException.class, () -> Config.of("lr"));
        assertThrows(IllegalArgumentException.class, () -> Config.of("x", new Object()));
        assertThrows(IllegalArgumentException.class, () -> Config.grid(Map.of("a", List.of())));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Config.of("a", 1).getDouble("b"));
        assertTrue(e.getMessage().contains("no config value 'b'"));
    }
}
