package dev.nnlab.spark;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * A Spark session for nnlab's distributed tools: embedded {@code local[*]} by default, a real cluster by
 * master URL ({@code spark://host:7077}), or {@code local-cluster[N,cores,memMB]} (separate executor JVMs
 * on this machine; needs {@code SPARK_HOME} with a {@code jars/} folder). The web UI is off unless asked for.
 * Classes defined in notebook cells reach executors through {@code spark.repl.class.outputDir}, which the
 * nnlab Spark kernel sets; the context is created with the cell's class loader as context class loader.
 */
public final class Cluster implements AutoCloseable {
    private static final Pattern LOCAL = Pattern.compile("local(?:\\[(\\*|\\d+)(?:,\\d+)?])?");
    private static final Pattern LOCAL_CLUSTER = Pattern.compile("local-cluster\\[\\s*(\\d+)\\s*,\\s*(\\d+)\\s*,\\s*(\\d+)\\s*]");

    static {
        if (System.getProperty("log4j2.configurationFile") == null && System.getProperty("log4j.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "dev/nnlab/spark/log4j2.properties");
        }
    }

    private final JavaSparkContext sc;
    private final ClassLoader loader;
    private final String master;
    private final int taskCpus;
    private final double startSeconds;

    private Cluster(JavaSparkContext sc, ClassLoader loader, String master, int taskCpus, double startSeconds) {
        this.sc = sc;
        this.loader = loader;
        this.master = master;
        this.taskCpus = taskCpus;
        this.startSeconds = startSeconds;
    }

    /** An embedded session using every core of this machine. */
    public static Cluster local() {
        return builder("local[*]").start();
    }

    /** A session on the given master URL with default settings. */
    public static Cluster start(String master) {
        return builder(master).start();
    }

    public static Builder builder(String master) {
        return new Builder(master);
    }

    /** Options for {@link #start}. */
    public static final class Builder {
        private final String master;
        private final Map<String, String> conf = new LinkedHashMap<>();
        private int taskCpus = 1;
        private Duration executorTimeout = Duration.ofSeconds(120);

        private Builder(String master) {
            if (master == null || master.isBlank()) {
                throw new IllegalArgumentException("a master URL is needed: local[*], local-cluster[2,1,1024] or spark://host:7077");
            }
            this.master = master.strip();
        }

        /** Cores each task takes ({@code spark.task.cpus}); give a trial as many as its BLAS threads. */
        public Builder taskCpus(int cpus) {
            if (cpus < 1) {
                throw new IllegalArgumentException("taskCpus must be at least 1, got " + cpus);
            }
            taskCpus = cpus;
            return this;
        }

        /** Any Spark setting, such as {@code spark.executor.memory}. */
        public Builder conf(String key, String value) {
            conf.put(key, value);
            return this;
        }

        /** The Spark web UI (off by default). */
        public Builder ui(boolean on) {
            conf.put("spark.ui.enabled", String.valueOf(on));
            return this;
        }

        /** How long to wait for a local-cluster's executors to register. */
        public Builder executorTimeout(Duration d) {
            executorTimeout = d;
            return this;
        }

        public Cluster start() {
            long t0 = System.nanoTime();
            SparkConf c = new SparkConf(true).setMaster(master).setAppName("nnlab")
                    .setIfMissing("spark.ui.enabled", "false")
                    .set("spark.task.cpus", String.valueOf(taskCpus));
            if (master.startsWith("local")) {
                c.setIfMissing("spark.driver.host", "127.0.0.1").setIfMissing("spark.driver.bindAddress", "127.0.0.1");
            }
            Matcher lc = LOCAL_CLUSTER.matcher(master);
            if (lc.matches()) {
                if (System.getenv("SPARK_HOME") == null) {
                    throw new IllegalStateException(master + " starts executor JVMs from SPARK_HOME/jars, but SPARK_HOME"
                            + " is not set; use the 'Java (nnlab, Spark)' kernel, or local[*]");
                }
                String cp = System.getProperty("nnlab.spark.executorClasspath");
                if (cp != null && !c.contains("spark.executor.extraClassPath")) {
                    c.set("spark.executor.extraClassPath", cp);
                }
            }
            conf.forEach(c::set);
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            JavaSparkContext sc = new JavaSparkContext(c);
            sc.setLogLevel("WARN");
            Cluster cluster = new Cluster(sc, loader, master, taskCpus, 0);
            try {
                if (lc.matches()) {
                    cluster.awaitExecutors(Integer.parseInt(lc.group(1)), executorTimeout);
                }
            } catch (RuntimeException e) {
                sc.stop();
                throw e;
            }
            return new Cluster(sc, loader, master, taskCpus, (System.nanoTime() - t0) / 1e9);
        }
    }

    public JavaSparkContext context() {
        return sc;
    }

    public String master() {
        return master;
    }

    public int taskCpus() {
        return taskCpus;
    }

    /** Seconds that {@link Builder#start} took, executors included. */
    public double startSeconds() {
        return startSeconds;
    }

    /** How many tasks can run at once: cores of the executors divided by {@code spark.task.cpus}. */
    public int slots() {
        Matcher lc = LOCAL_CLUSTER.matcher(master);
        int cores;
        if (lc.matches()) {
            cores = Integer.parseInt(lc.group(1)) * Integer.parseInt(lc.group(2));
        } else {
            Matcher l = LOCAL.matcher(master);
            if (l.matches()) {
                String n = l.group(1);
                cores = n == null ? 1 : n.equals("*") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(n);
            } else {
                cores = sc.defaultParallelism();
            }
        }
        return cores / taskCpus;
    }

    /** Waits until {@code n} executors have registered. */
    public void awaitExecutors(int n, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (sc.sc().getExecutorIds().size() < n) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("only " + sc.sc().getExecutorIds().size() + " of " + n
                        + " executors registered within " + timeout.toSeconds() + " s on " + master
                        + "; check SPARK_HOME (" + System.getenv("SPARK_HOME") + ") and the worker logs in its work/ folder");
            }
            sleep(50);
        }
    }

    /**
     * Runs one job and waits for it; an interrupt of the waiting cell (or a stop) cancels the job. The cells'
     * class loader is the context class loader meanwhile, as Spark's decoding of cell-defined results needs.
     */
    <T> T run(String description, Function<JavaSparkContext, JavaFutureAction<T>> submit) {
        Thread t = Thread.currentThread();
        ClassLoader old = t.getContextClassLoader();
        String group = "nnlab-" + UUID.randomUUID();
        t.setContextClassLoader(loader);
        sc.setJobGroup(group, description, true);
        JavaFutureAction<T> job = null;
        try {
            job = submit.apply(sc);
            while (true) {
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                try {
                    return job.get(100, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    // keep waiting, so that an interrupt is seen within 100 ms
                }
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalStateException(description + " failed: " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            cancel(group);
            throw new IllegalStateException(description + " was interrupted; its Spark job is cancelled", e);
        } catch (Throwable e) {
            cancel(group);
            throw e;
        } finally {
            sc.clearJobGroup();
            t.setContextClassLoader(old);
        }
    }

    /** Cancels from a thread of its own, as a stopped cell's thread may be stopped again meanwhile. */
    private void cancel(String group) {
        Thread t = new Thread(() -> sc.cancelJobGroup(group), "nnlab-cancel");
        t.setDaemon(true);
        t.start();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        sc.stop();
    }

    @Override
    public String toString() {
        return "Cluster(" + master + ", slots=" + slots() + ", spark=" + sc.version() + ")";
    }
}
