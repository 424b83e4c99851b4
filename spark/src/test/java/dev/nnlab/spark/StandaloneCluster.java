package dev.nnlab.spark;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real Spark standalone cluster on this machine: a Master and a Worker, each its own JVM started from
 * {@code SPARK_HOME/jars}, on 127.0.0.1 with a random master port, web UIs on random ports and the REST server off.
 * Closing it stops both (and any executor the Worker left) by process id.
 */
final class StandaloneCluster implements AutoCloseable {
    private final Path dir;
    private final List<Process> processes = new ArrayList<>();
    final String url;

    StandaloneCluster(int workerCores, String workerMemory, long timeoutMillis) throws IOException {
        dir = Files.createTempDirectory("nnlab-standalone");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        url = "spark://127.0.0.1:" + port;
        try {
            Path master = start("master", "org.apache.spark.deploy.master.Master",
                    "--host", "127.0.0.1", "--port", String.valueOf(port), "--webui-port", "0");
            await(master, "I have been elected leader", timeoutMillis);
            Path worker = start("worker", "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--port", "0",
                    "--webui-port", "0", "--cores", String.valueOf(workerCores), "--memory", workerMemory,
                    "--work-dir", dir.resolve("work").toString(), url);
            await(worker, "Successfully registered with master", timeoutMillis);
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private Path start(String name, String mainClass, String... args) throws IOException {
        String home = System.getenv("SPARK_HOME");
        if (home == null) {
            throw new IllegalStateException("SPARK_HOME is not set (the spark module's surefire sets it)");
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "@" + Path.of(System.getProperty("user.dir"), "jvm.options"),
                "-Dspark.master.rest.enabled=false", "-cp", home + File.separator + "jars" + File.separator + "*",
                mainClass));
        cmd.addAll(List.of(args));
        Path log = dir.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("SPARK_HOME", home);
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.put("JAVA_HOME", System.getProperty("java.home"));
        processes.add(pb.start());
        return log;
    }

    private void await(Path log, String line, long timeoutMillis) throws IOException {
        long end = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < end) {
            if (Files.exists(log) && Files.readString(log).contains(line)) {
                return;
            }
            for (Process p : processes) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("a standalone JVM exited (" + p.exitValue() + "): " + tail(log));
                }
            }
            Cluster.sleep(100);
        }
        throw new IllegalStateException("no '" + line + "' within " + timeoutMillis + " ms: " + tail(log));
    }

    private static String tail(Path log) throws IOException {
        String s = Files.exists(log) ? Files.readString(log) : "";
        return s.substring(Math.max(0, s.length() - 3000));
    }

    /** The worker's log and its executors' stdout and stderr, for a failed test's message. */
    String logs() {
        StringBuilder b = new StringBuilder();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                b.append("\n== ").append(dir.relativize(p)).append('\n').append(tail(p));
            }
        } catch (IOException e) {
            b.append(e);
        }
        return b.toString();
    }

    /** Stops the worker (its executors with it), then the master; what is left after 10 s is killed. */
    @Override
    public void close() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            Process p = processes.get(i);
            List<ProcessHandle> children = p.descendants().toList();
            p.destroy();
            try {
                if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
            children.forEach(ProcessHandle::destroyForcibly);
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temp folder left behind is harmless
        }
    }
}
