package dev.nnlab.spark;

import java.time.Duration;

/** One real local-cluster (two executor JVMs) shared by the tests of this JVM. */
final class TestCluster {
    static final String MASTER = "local-cluster[2,1,1024]";
    private static Cluster cluster;
    private static boolean hooked;

    private TestCluster() {
    }

    static synchronized Cluster get() {
        if (cluster == null) {
            System.setProperty("nnlab.spark.executorClasspath", System.getProperty("nnlab.spark.testClasspath"));
            cluster = Cluster.builder(MASTER).executorTimeout(Duration.ofSeconds(90))
                    .conf("spark.executor.extraJavaOptions", "-Djava.awt.headless=true").start();
            if (!hooked) {
                hooked = true;
                Runtime.getRuntime().addShutdownHook(new Thread(TestCluster::stop));
            }
        }
        return cluster;
    }

    /** Stops the shared cluster, for a test that needs a context of its own (one per JVM); get() starts it again. */
    static synchronized void stop() {
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
    }
}
