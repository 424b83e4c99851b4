package dev.nnlab.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnlab.nn.Linear;
import dev.nnlab.nn.Module;
import dev.nnlab.nn.functional.F;
import dev.nnlab.optim.SGD;
import dev.nnlab.tensor.Tensor;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/**
 * The README's {@code spark://host:7077} recipe on a real standalone Master and Worker (separate JVMs). As on a real
 * cluster, the executors have only Spark's jars: nnlab's jars reach them as {@code spark.jars}, which the Cluster
 * sets from the kernel's class path, and the classes standing in for cell classes (this folder of test classes,
 * on no executor's class path) through the driver's class server ({@code spark.repl.class.outputDir}). It runs
 * last (junit-platform.properties), since it stops the shared local-cluster.
 */
@Order(Integer.MAX_VALUE)
class StandaloneClusterTest {
    /** Stands in for a record defined in a cell. */
    record Sq(int v) implements Serializable {
        double sq() {
            return v * v;
        }
    }

    /** Stands in for a model defined in a cell. */
    static final class Net extends Module {
        final Linear a = registerModule("a", new Linear(6, 12));
        final Linear b = registerModule("b", new Linear(12, 1));

        @Override
        public Tensor forward(Tensor x) {
            return b.call(a.call(x).tanh());
        }
    }

    @Test
    void aSweepAndTwoWorkerDataParallelRunOnASparkUrl(@TempDir Path tmp) throws Exception {
        TestCluster.stop();
        Path library = jar(tmp.resolve("nnlab-library.jar"), Path.of(System.getProperty("user.dir"), "..", "library",
                "target", "classes"));
        Path spark = jar(tmp.resolve("nnlab-spark.jar"), Path.of(System.getProperty("user.dir"), "target", "classes"));
        Path cells = Path.of(System.getProperty("user.dir"), "target", "test-classes");
        String before = System.getProperty("nnlab.spark.executorClasspath");
        System.setProperty("nnlab.spark.executorClasspath", library + java.io.File.pathSeparator + spark);
        try (StandaloneCluster sa = new StandaloneCluster(2, "1100m", 90_000)) {
            try (Cluster c = Cluster.builder(sa.url).conf("spark.driver.host", "127.0.0.1")
                    .conf("spark.executor.cores", "1").conf("spark.executor.memory", "512m")
                    .conf("spark.repl.class.outputDir", cells.toString())
                    .conf("spark.executor.extraJavaOptions", "-Djava.awt.headless=true").start()) {
                try {
                    c.awaitExecutors(2, Duration.ofSeconds(90));
                    assertEquals(library + "," + spark, c.context().getConf().get("spark.jars"),
                            "nnlab's jars are shipped to the workers");
                    assertEquals(2, c.slots());

                    SweepResult r = Sweep.run(c, List.of(Config.of("v", 3), Config.of("v", 4)),
                            cfg -> Map.of("sq", new Sq(cfg.getInt("v")).sq()));
                    Table t = r.table();
                    assertEquals(List.of(9.0, 16.0), t.doubleColumn("sq").asList(), r.toString());
                    assertTrue(t.stringColumn("executor").asList().stream().noneMatch("driver"::equals), r.toString());

                    Tensor.manualSeed(5);
                    Tensor x = Tensor.randn(32, 6);
                    Tensor y = x.narrow(1, 0, 1).mul(Tensor.tensor(3f));
                    Tensor.manualSeed(9);
                    DataParallel.Result dp = job(2).fit(c, x, y);
                    Tensor.manualSeed(9);
                    DataParallel.Result one = job(1).fitHere(x, y);
                    double diff = DataParallelTest.maxDiff(dp.model(), one.model());
                    assertTrue(diff < 2e-5, "2 workers on " + sa.url + " differ from one process by " + diff);
                    assertTrue(dp.losses()[11] < dp.losses()[0], dp.toString());
                } catch (AssertionError | RuntimeException e) {
                    throw new AssertionError(e.getMessage() + "\nstandalone logs:" + sa.logs(), e);
                }
            }
        } finally {
            System.setProperty("nnlab.spark.executorClasspath", before == null ? "" : before);
        }
    }

    private static DataParallel job(int workers) {
        return DataParallel.of(() -> new Net()).loss((o, t) -> F.mseLoss(o, t))
                .optimizer(ps -> SGD.builder(ps).lr(0.05).build()).workers(workers).steps(12);
    }

    /** A jar of a folder of classes, as the build's package phase would make it. */
    static Path jar(Path out, Path classes) throws IOException {
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(out)); Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                jar.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, jar);
                jar.closeEntry();
            }
        }
        return out;
    }
}
