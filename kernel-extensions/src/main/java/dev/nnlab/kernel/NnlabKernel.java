package dev.nnlab.kernel;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import dev.nnlab.kernel.display.Display;
import dev.nnlab.kernel.display.Renderers;
import dev.nnlab.kernel.eval.Analysis;
import dev.nnlab.kernel.eval.Repl;
import dev.nnlab.kernel.install.Installer;
import dev.nnlab.kernel.install.Training;
import dev.nnlab.kernel.wire.Codec;
import dev.nnlab.kernel.wire.Connection;
import dev.nnlab.kernel.wire.Signer;
import dev.nnlab.kernel.wire.Wire;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.HelpLink;
import org.dflib.jjava.jupyter.kernel.JupyterIO;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.magic.MagicParser;
import org.dflib.jjava.jupyter.kernel.magic.MagicTranspiler;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;

/**
 * The nnlab Jupyter kernel: JShell in this JVM, behind our own ZeroMQ loop, with jjava-jupyter's
 * renderer, magics registry and Extension SPI. {@code java -jar nnlab-kernel.jar CONNECTION_FILE}
 * runs it; {@code java -jar nnlab-kernel.jar install} writes its kernelspec.
 */
public final class NnlabKernel extends BaseKernel {
    public static final String VERSION = "0.1.0";

    private final String session = UUID.randomUUID().toString();
    private final Gson gson = new GsonBuilder().disableHtmlEscaping().create();
    private final History history = new History();
    private final CompletableFuture<Repl> repl = new CompletableFuture<>();
    private final CountDownLatch done = new CountDownLatch(1);
    private final CountDownLatch wired = new CountDownLatch(1);
    private volatile boolean waiting;
    private final WarmUp warmUp = new WarmUp();
    private Wire wire;
    private Outputs outputs;
    private Executor executor;
    private Stream stdout;
    private Stream stderr;
    private volatile Analysis analysis;

    private NnlabKernel() {
        super("nnlab", VERSION,
                new LanguageInfo("java", Runtime.version().toString(), "text/x-java-source", ".jshell",
                        "java", "text/x-java", "script"),
                List.of(new HelpLink("JShell", "https://docs.oracle.com/en/java/javase/17/jshell/")),
                null, new JupyterIO(StandardCharsets.UTF_8), new CommManager(), new Renderer(),
                new MagicParser("(?<=(?:^|=))\\s*%", "%%", new MagicTranspiler()), new MagicsRegistry(), true,
                new StringStyler.Builder().build());
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("install")) {
            System.exit(Installer.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        Jit.deferC2Soon();
        daemon(Repl::indexClassPath, "nnlab-index");
        if (args.length == 1 && args[0].equals("--train")) {
            Training.run(conn -> {
                try {
                    new NnlabKernel().run(conn);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            System.exit(0);
        }
        if (args.length != 1) {
            System.err.println("usage: java -jar nnlab-kernel.jar CONNECTION_FILE\n"
                    + "       java -jar nnlab-kernel.jar install [--user|--sys-prefix|--prefix PREFIX]");
            System.exit(2);
        }
        new NnlabKernel().run(Connection.read(Path.of(args[0])));
    }

    private void run(Connection conn) throws InterruptedException {
        Log.init();
        // JShell and its compiler are the long pole: they start before the sockets, on their own thread
        daemon(this::boot, "nnlab-boot");
        wire = new Wire(conn, new Codec(new Signer(conn.scheme(), conn.key()), gson));
        outputs = new Outputs(wire, session, gson);
        stdout = new Stream("stdout", outputs::stream);
        stderr = new Stream("stderr", outputs::stream);
        outputs.drainWith(this::drain);
        System.setOut(new PrintStream(stdout, false, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(stderr, false, StandardCharsets.UTF_8));
        System.setIn(new Stdin(() -> executor.input()));
        executor = new Executor(this, outputs, history);
        Requests requests = new Requests(this, outputs, executor, history);
        wire.start(requests::handle);
        daemon(this::flushLoop, "nnlab-flush");
        Signals.onInterrupt(this::interrupt);
        // like ipykernel's parent poller: a kernel whose client process died would otherwise live on
        ProcessHandle.current().parent().ifPresent(p -> p.onExit().thenRun(() -> {
            Log.warn("the process that started the kernel exited; shutting down");
            Runtime.getRuntime().halt(0);
        }));
        try {
            onStartup();
            Display.install(outputs);
            outputs.bundle(Renderers.render(renderer, 0)); // loads the result path before the first cell needs it
        } catch (Throwable t) {
            Log.error("kernel start-up failed", t);
        } finally {
            wired.countDown();
        }
        done.await();
    }

    private static void daemon(Runnable body, String name) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
    }

    /**
     * Makes the JShell. The warm-up is left out when a request already waits for the JShell: that
     * request's own compile warms it as well.
     */
    private void boot() {
        try {
            Repl r = new Repl(getClass().getClassLoader());
            Startup.classpath(r);
            Startup.imports(r);
            if (!waiting) {
                r.warmUp();
            }
            wired.await();
            installExtensions(r.classLoader());
            analysis = new Analysis(r, this::magicNames);
            Startup.script(r);
            repl.complete(r);
            if (!waiting && Boolean.parseBoolean(System.getProperty(WarmUp.PROPERTY, "true"))) {
                Thread.currentThread().setName("nnlab-warm-up");
                Jit.restoreC2Soon(); // the warm-up is for C2 as well
                warmUp.run(getClass().getClassLoader());
            }
        } catch (Throwable t) {
            Log.error("kernel start-up failed", t);
            repl.completeExceptionally(t);
        }
    }

    private void flushLoop() {
        while (true) {
            try {
                Thread.sleep(50);
                drain();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                Log.error("flushing output failed", e);
            }
        }
    }

    void drain() {
        System.out.flush();
        System.err.flush();
        stdout.drain();
        stderr.drain();
    }

    /** Stops the warm-up: a request that needs the JShell has come. */
    void stopWarmUp() {
        warmUp.stop();
    }

    /** The JShell, once start-up has made it. */
    public Repl repl() {
        warmUp.stop();
        if (!repl.isDone()) {
            waiting = true;
        }
        return repl.join();
    }

    /** True once start-up has made the JShell; until then requests that need it wait. */
    boolean ready() {
        return repl.isDone();
    }

    Analysis analysis() {
        repl();
        return analysis;
    }

    String session() {
        return session;
    }

    Gson gson() {
        return gson;
    }

    Wire wire() {
        return wire;
    }

    /** The execution count of a new cell; it only advances when the cell is stored in history. */
    int count(boolean store) {
        return store ? executionCount.getAndIncrement() : executionCount.get();
    }

    void shutdown() {
        done.countDown();
    }

    public Set<String> magicNames() {
        Set<String> names = new TreeSet<>(magicsRegistry.getLineMagicNames());
        magicsRegistry.getCellMagicNames().forEach(n -> names.add("%" + n));
        return names;
    }

    /** Adds paths to the class path of cells and loads the kernel extensions found in them. */
    public void addToClasspath(List<Path> paths) {
        Repl r = repl();
        for (Path p : paths) {
            r.addToClasspath(p.toAbsolutePath().toString());
        }
        installExtensions(r.classLoader());
    }

    @Override
    protected void installExtensions(ClassLoader loader) {
        ServiceLoader.load(Extension.class, loader).stream().forEach(p -> {
            try {
                installExtension(p.get());
            } catch (Throwable t) {
                System.err.println("Could not load kernel extension " + p.type().getName() + ": " + t);
            }
        });
    }

    /** Runs a cell's code, magics included, as part of the current execution (for %load and %time). */
    public Object evalCell(String code) {
        return executor.run(code, "cell");
    }

    /** The raw text after a line magic's name, for magics that take code (%time, %doc). */
    public String magicLine() {
        return executor.magicLine();
    }

    /** Signature and Javadoc of what is at the cursor, or null. */
    public String inspectText(String code, int at, boolean detail) {
        return analysis().inspect(code, at, detail);
    }

    /** Shows text in the frontend's pager, as IPython's {@code ?} does. */
    public void page(String text) {
        executor.page(text);
    }

    @Override
    public Object evalRaw(String code) {
        Object v = evalCell(code);
        return v == Repl.NO_VALUE ? null : v;
    }

    @Override
    public DisplayData eval(String code) {
        Object v = evalCell(code);
        return v == Repl.NO_VALUE ? null : Renderers.render(renderer, v);
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        String doc = analysis().inspect(code, at, extraDetail);
        return doc == null ? null : new DisplayData(doc);
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        Analysis.Completion c = analysis().complete(code, at);
        return new ReplacementOptions(c.matches(), c.start(), c.end());
    }

    @Override
    public String isComplete(String code) {
        String status = analysis().isComplete(code);
        return status.equals("incomplete") ? Analysis.indent(code) : status;
    }

    @Override
    public void interrupt() {
        if (repl.isDone() && !repl.isCompletedExceptionally()) {
            repl.join().stop();
        }
    }

    @Override
    public void display(DisplayData data) {
        outputs.display(data, false);
    }
}
