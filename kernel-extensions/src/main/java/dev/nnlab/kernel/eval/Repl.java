package dev.nnlab.kernel.eval;

import java.time.Duration;
import java.util.List;
import jdk.jshell.ExpressionSnippet;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.CompletionInfo;
import jdk.jshell.VarSnippet;

/**
 * JShell running in the kernel's JVM. Cells are split into snippets and evaluated in order; the value
 * of a trailing expression is returned as the object itself. Only the shell thread may call eval;
 * {@link #stop()} may be called from any thread.
 */
public final class Repl implements AutoCloseable {
    /** Returned by {@link #eval} when the cell ends without an expression. */
    public static final Object NO_VALUE = new Object();
    /** How long a completion waits for JShell's class-path index, which took about 0.4 s to make here. */
    static final Duration INDEX_WAIT = Duration.ofSeconds(2);

    private final SnippetLoader loader;
    private final SnippetControl control;
    private final JShell shell;
    private final ClassFiles classFiles;
    private final Duration indexIdle;
    private SourceCodeAnalysis analysis;
    private Indexing indexing;
    private final Errors errors = new Errors();
    private final Object lock = new Object();
    private volatile boolean running;
    private volatile boolean stopping;
    private int generation;
    private int carriers;

    public Repl(ClassLoader parent) {
        this(parent, true, Indexing.IDLE);
    }

    /** A JShell whose class-path index waits for {@code indexIdle} without a cell ({@link Indexing}). */
    Repl(ClassLoader parent, Duration indexIdle) {
        this(parent, true, indexIdle);
    }

    private Repl(ClassLoader parent, boolean exported, Duration indexIdle) {
        this.indexIdle = indexIdle;
        loader = new SnippetLoader(parent, exported);
        control = new SnippetControl(loader);
        shell = JShell.builder()
                .executionEngine(SnippetControl.provider(control), java.util.Map.of())
                .fileManager(Boolean.getBoolean("nnlab.javacJars") ? m -> m : JarListing::new)
                .build();
        classFiles = ClassFiles.of(shell);
    }

    /**
     * Lists the class path's jars for javac now, so that the first compile does not wait for it (for the kernel jar's
     * 29,853 entries a quarter of that compile); on a thread of its own, while the JVM starts.
     */
    public static void indexClassPath() {
        if (!Boolean.getBoolean("nnlab.javacJars")) {
            JarListing.indexClassPath();
        }
    }

    /** A JShell for the kernel's own use (a warm-up), whose classes are never exported to Spark's executors. */
    public static Repl scratch(ClassLoader parent) {
        return new Repl(parent, false, Indexing.IDLE);
    }

    public JShell shell() {
        return shell;
    }

    public ClassLoader classLoader() {
        return loader.classLoader();
    }

    public List<String> classpath() {
        return loader.classpath();
    }

    public void addToClasspath(String path) {
        shell.addToClasspath(path);
    }

    /** Evaluates the code of one cell; returns the trailing expression's value or {@link #NO_VALUE}. */
    public Object eval(String code, String cell, int firstLine) {
        synchronized (lock) {
            generation++;
            stopping = false;
            running = true;
        }
        // snippet threads inherit it: Spark and ServiceLoader find cell-defined classes through it
        Thread.currentThread().setContextClassLoader(classLoader());
        analysis();
        indexing.pause();
        try {
            return evalAll(code, cell, firstLine);
        } finally {
            running = false;
            indexing.resumeLater();
        }
    }

    private Object evalAll(String code, String cell, int firstLine) {
        Object value = NO_VALUE;
        String rest = code;
        while (!rest.isBlank()) {
            CompletionInfo info = analysis().analyzeCompletion(rest);
            boolean complete = info.completeness().isComplete();
            String source = complete ? info.source() : rest;
            int start = code.length() - rest.length();
            Errors.Origin origin = new Errors.Origin(cell, firstLine + lines(code, start), leadingLines(source));
            value = evalSnippet(source, origin);
            if (stopping) {
                throw CellException.of("Interrupted", "the cell was interrupted; earlier state is kept");
            }
            rest = complete ? info.remaining() : "";
        }
        return value;
    }

    /**
     * Evaluates code that is one snippet (an import, say) without splitting it. Start-up uses it: JShell's
     * source analysis, made on first use, indexes the whole class path on a thread of its own, which had
     * better run after start-up than during it.
     */
    public Object evalSnippet(String snippet, String cell) {
        return evalSnippet(snippet, new Errors.Origin(cell, 0, 0));
    }

    /**
     * JShell's source analysis (made on first use, see {@link #evalSnippet(String, String)}), whose class-path index
     * is made once no cell has run for a while ({@link Indexing}).
     */
    public synchronized SourceCodeAnalysis analysis() {
        if (analysis == null) {
            analysis = shell.sourceCodeAnalysis();
            indexing = Indexing.of(analysis, indexIdle);
        }
        return analysis;
    }

    /**
     * Lets JShell make its class-path index now, which the completion of package names reads, and waits for it at
     * most {@link #INDEX_WAIT}.
     */
    public void indexNow() {
        analysis();
        indexing.resumeAndAwait(INDEX_WAIT);
    }

    /** The pause of JShell's class-path index; made with the source analysis. */
    Indexing indexing() {
        analysis();
        return indexing;
    }

    private Object evalSnippet(String source, Errors.Origin origin) {
        List<SnippetEvent> events = null;
        Snippet wrapped = null;
        if (Expressions.looksLikeExpression(source)) {
            events = shell.eval(Expressions.wrap(source, ++carriers));
            wrapped = events.stream().filter(e -> e.causeSnippet() == null).map(SnippetEvent::snippet)
                    .findFirst().orElse(null);
            if (wrapped == null || shell.status(wrapped) == Snippet.Status.REJECTED) {
                boolean voidCall = wrapped != null && Expressions.isVoid(shell.diagnostics(wrapped).toList());
                if (wrapped != null) {
                    shell.drop(wrapped);
                }
                events = voidCall ? statement(source) : null;
                wrapped = null;
            }
        } else if (Expressions.isCompoundAssignment(source)) {
            events = statement(source);
        }
        try {
            Object value = NO_VALUE;
            for (SnippetEvent e : events != null ? events : shell.eval(source)) {
                if (e.causeSnippet() != null) {
                    continue;
                }
                Snippet s = e.snippet();
                errors.remember(s, origin);
                if (e.exception() != null) {
                    if (stopping) {
                        return NO_VALUE;
                    }
                    throw errors.runtime(e.exception());
                }
                if (e.status() == Snippet.Status.REJECTED) {
                    throw errors.compile(shell, s, source, origin);
                }
                value = s == wrapped ? read((VarSnippet) s, true) : valueOf(s);
            }
            return value;
        } finally {
            if (wrapped != null) {
                // an active snippet is imported by every later one: the carrier goes once read
                shell.drop(wrapped);
            }
            classFiles.forgetUnnamable();
        }
    }

    /** The events of {@code source} run as a statement, or null if that form does not compile. */
    private List<SnippetEvent> statement(String source) {
        List<SnippetEvent> events = shell.eval(Expressions.statement(source));
        boolean compiled = events.stream().filter(e -> e.causeSnippet() == null)
                .allMatch(e -> e.status() != Snippet.Status.REJECTED);
        return compiled && !events.isEmpty() ? events : null;
    }

    private Object valueOf(Snippet s) {
        if (s instanceof VarSnippet v && s.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND) {
            return read(v, false);
        }
        if (s instanceof ExpressionSnippet x && s.subKind() == Snippet.SubKind.VAR_VALUE_SUBKIND) {
            return shell.variables()
                    .filter(v -> v.name().equals(x.name()) && shell.status(v).isActive())
                    .reduce((a, b) -> b)
                    .map(v -> read(v, false))
                    .orElse(NO_VALUE);
        }
        return NO_VALUE;
    }

    /** The variable's object; {@code clear} sets the variable to null once read. */
    private Object read(VarSnippet v, boolean clear) {
        shell.varValue(v);
        return control.takeValue(clear);
    }

    /**
     * Times JShell asked to redefine a class in place, which this JVM refuses, and then compiled the snippet again
     * under a new class name: once for each declaration of a name declared before.
     */
    int refusedRedefinitions() {
        return control.redefines();
    }

    /** The class files JShell keeps for javac. */
    ClassFiles classFiles() {
        return classFiles;
    }

    /** Compiles and runs an expression once, then forgets it, so that the first cell is fast. */
    public void warmUp() {
        evalSnippet("1 + 1", "warm-up");
    }

    /**
     * Stops the running cell. Retries until the cell has returned, since a stop that lands between two
     * snippets, or while a snippet compiles, would otherwise be lost.
     */
    public void stop() {
        int cell;
        synchronized (lock) {
            if (!running) {
                return;
            }
            stopping = true;
            cell = generation;
        }
        interruptCellThreads();
        Thread t = new Thread(() -> {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (System.nanoTime() < deadline) {
                synchronized (lock) {
                    if (!running || generation != cell) {
                        return;
                    }
                    try {
                        shell.stop();
                    } catch (RuntimeException ignored) {
                        // the snippet may end while we stop it
                    }
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }, "nnlab-stop");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Wakes a cell that waits inside library code (a Spark job, a sleep, a queue): JShell's stop lands only
     * in cell code on JDK 21+, where snippets are instrumented instead of stopped by Thread.stop.
     */
    private static void interruptCellThreads() {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            ThreadGroup g = t.getThreadGroup();
            if (g != null && "JShell process local execution".equals(g.getName())) {
                t.interrupt();
            }
        }
    }

    /** True from a stop request until the next cell starts. */
    public boolean stopping() {
        return stopping;
    }

    public boolean running() {
        return running;
    }

    private static int leadingLines(String s) {
        int n = 0;
        for (int i = 0; i < s.length() && Character.isWhitespace(s.charAt(i)); i++) {
            if (s.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
    }

    private static int lines(String s, int end) {
        int n = 0;
        for (int i = 0; i < end && i < s.length(); i++) {
            if (s.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
    }

    @Override
    public void close() {
        shell.close();
    }
}
