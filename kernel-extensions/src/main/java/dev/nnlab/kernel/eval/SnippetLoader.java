package dev.nnlab.kernel.eval;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jdk.jshell.execution.LoaderDelegate;
import jdk.jshell.spi.ExecutionControl.ClassBytecodes;
import jdk.jshell.spi.ExecutionControl.ClassInstallException;
import jdk.jshell.spi.ExecutionControl.InternalException;

/** Loads snippet classes, with exit calls rewritten, into one class loader the kernel can see. */
final class SnippetLoader implements LoaderDelegate {
    private final Loader loader;
    private final List<String> classpath = new ArrayList<>();
    private final ClassExport export;

    /** With {@code exported}, classes also go where the system properties ask (see {@link ClassExport}). */
    SnippetLoader(ClassLoader parent, boolean exported) {
        loader = new Loader(parent);
        export = exported ? ClassExport.fromSystemProperties() : null;
    }

    ClassLoader classLoader() {
        return loader;
    }

    synchronized List<String> classpath() {
        return List.copyOf(classpath);
    }

    @Override
    public void load(ClassBytecodes[] cbcs) throws ClassInstallException {
        for (ClassBytecodes c : cbcs) {
            loader.declare(c.name(), ExitRewriter.rewrite(c.bytecodes()));
            if (export != null) {
                export.write(c.name(), c.bytecodes());
            }
        }
        boolean[] installed = new boolean[cbcs.length];
        for (int i = 0; i < cbcs.length; i++) {
            try {
                Class.forName(cbcs[i].name(), false, loader);
                installed[i] = true;
            } catch (Throwable t) {
                throw new ClassInstallException("load: " + t, installed);
            }
        }
    }

    @Override
    public void classesRedefined(ClassBytecodes[] cbcs) {
        for (ClassBytecodes c : cbcs) {
            loader.declare(c.name(), c.bytecodes());
            if (export != null) {
                export.write(c.name(), c.bytecodes());
            }
        }
    }

    @Override
    public synchronized void addToClasspath(String path) throws InternalException {
        for (String p : path.split(File.pathSeparator)) {
            if (p.isEmpty()) {
                continue;
            }
            try {
                loader.add(Path.of(p).toUri().toURL());
                classpath.add(p);
            } catch (MalformedURLException e) {
                throw new InternalException("bad class path entry " + p + ": " + e.getMessage());
            }
        }
    }

    @Override
    public Class<?> findClass(String name) throws ClassNotFoundException {
        return loader.loadClass(name);
    }

    private static final class Loader extends URLClassLoader {
        private final Map<String, byte[]> classes = new ConcurrentHashMap<>();

        static {
            registerAsParallelCapable();
        }

        Loader(ClassLoader parent) {
            super(new URL[0], parent);
        }

        void declare(String name, byte[] bytes) {
            classes.put(name, bytes);
        }

        void add(URL url) {
            addURL(url);
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] b = classes.get(name);
            if (b != null) {
                return defineClass(name, b, 0, b.length);
            }
            return super.findClass(name);
        }
    }
}
