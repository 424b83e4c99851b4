package dev.nnlab.spark;

import java.io.File;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;

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

    /** The session started last and not closed: Spark runs one context per JVM. */
    private static volatile Cluster current;

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
                    .set("spark.task.cpus", String.valueOf(taskCpus))
                    // an executor's BLAS takes the cores of one task, not of the machine
                    .setIfMissing("spark.executorEnv.OPENBLAS_NUM_THREADS", String.valueOf(taskCpus));
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
            if (!master.startsWith("local") && !c.contains("spark.jars")) {
                // a real cluster's executors get nnlab's jars from the driver, as spark-submit --jars ships them
                String jars = jars(System.getProperty("nnlab.spark.executorClasspath"));
                if (!jars.isEmpty()) {
                    c.set("spark.jars", jars);
                }
            }
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            JavaSparkContext sc = outsideCell(() -> new JavaSparkContext(c), loader);
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
            Cluster started = new Cluster(sc, loader, master, taskCpus, (System.nanoTime() - t0) / 1e9);
            current = started;
            return started;
        }

        /** The jar files of a class path, comma-separated as {@code spark.jars} takes them (folders left out). */
        static String jars(String classpath) {
            if (classpath == null) {
                return "";
            }
            StringJoiner out = new StringJoiner(",");
            for (String e : classpath.split(File.pathSeparator)) {
                if (e.endsWith(".jar") && new File(e).isFile()) {
                    out.add(new File(e).getAbsolutePath());
                }
            }
            return out.toString();
        }
    }

    /**
     * The session's running cluster (Spark runs one context per JVM), for tools that take none, such as
     * {@code %bench --spark}.
     */
    public static Cluster current() {
        Cluster c = current;
        if (c == null || c.sc.sc().isStopped()) {
            throw new IllegalStateException("no Spark cluster is running in this session: start one first, such as"
                    + " var cluster = Cluster.start(\"local-cluster[2,1,1024]\") or Cluster.local()");
        }
        return c;
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
        Thread cell = Thread.currentThread();
        ClassLoader old = cell.getContextClassLoader();
        String group = "nnlab-" + UUID.randomUUID();
        AtomicBoolean left = new AtomicBoolean();
        cell.setContextClassLoader(loader);
        try {
            sc.setJobGroup(group, description, true);
            JavaFutureAction<T> job;
            try {
                job = submit.apply(sc);
            } finally {
                sc.clearJobGroup();
            }
            watch(job, group, cell, left);
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
            throw new IllegalStateException(description + " was interrupted; its Spark job is cancelled", e);
        } finally {
            left.set(true);
            cell.setContextClassLoader(old);
        }
    }

    /**
     * Cancels the job once the cell stops waiting for it. A watcher of its own does it, outside the cells'
     * thread group: a stopped cell's thread may be stopped again (JDK 17's Thread.stop) at any point of its
     * clean-up, or end without running it.
     */
    private void watch(JavaFutureAction<?> job, String group, Thread cell, AtomicBoolean left) {
        Thread w = new Thread(kernelGroup(), () -> {
            while (!job.isDone()) {
                if (left.get() || !cell.isAlive()) {
                    sc.cancelJobGroup(group);
                    return;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "nnlab-job-watch");
        w.setDaemon(true);
        w.start();
    }

    /** Adds a listener from outside the cells' thread group, where Spark starts the thread of its queue. */
    void addListener(SparkListener l) {
        outsideCell(() -> {
            sc.sc().addSparkListener(l);
            return null;
        }, loader);
    }

    /** Removes a listener, even for a cell that is being stopped (the bus refuses an interrupted caller). */
    void removeListener(SparkListener l) {
        outsideCell(() -> {
            sc.sc().removeSparkListener(l);
            return null;
        }, loader);
    }

    /**
     * Runs {@code body} in a thread outside the cells' thread group, so that the threads Spark starts there
     * are not stopped or interrupted with the cell when the user presses stop.
     */
    private static <T> T outsideCell(Callable<T> body, ClassLoader loader) {
        Object[] out = new Object[2];
        Thread t = new Thread(kernelGroup(), () -> {
            try {
                out[0] = body.call();
            } catch (Throwable e) {
                out[1] = e;
            }
        }, "nnlab-spark-start");
        t.setContextClassLoader(loader);
        t.setDaemon(true);
        t.start();
        boolean interrupted = false;
        while (t.isAlive()) {
            try {
                t.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (out[1] instanceof RuntimeException e) {
            throw e;
        }
        if (out[1] instanceof Error e) {
            throw e;
        }
        if (out[1] != null) {
            throw new IllegalStateException("Spark failed to start: " + out[1], (Throwable) out[1]);
        }
        @SuppressWarnings("unchecked")
        T value = (T) out[0];
        return value;
    }

    /** The nearest thread group that is not JShell's group of cell threads. */
    private static ThreadGroup kernelGroup() {
        ThreadGroup g = Thread.currentThread().getThreadGroup();
        while (g != null && g.getParent() != null && g.getName().startsWith("JShell")) {
            g = g.getParent();
        }
        return g;
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
        if (current == this) {
            current = null;
        }
        sc.stop();
    }

    @Override
    public String toString() {
        return "Cluster(" + master + ", slots=" + slots() + ", spark=" + sc.version() + ")";
    }
}
