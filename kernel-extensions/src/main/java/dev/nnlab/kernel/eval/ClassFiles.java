package dev.nnlab.kernel.eval;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;

/**
 * The class files JShell keeps in memory for javac, one per snippet compiled and never removed. javac lists them
 * all in each of its three tasks per cell, so every cell ran slower than the one before it. Only the classes of
 * active declarations can be named by a later snippet; the others (the classes of a cell's expressions and
 * statements, of dropped carriers, of replaced declarations) are forgotten here once a snippet has run. Loaded
 * classes are not touched: what ran keeps running.
 *
 * <p>JShell has no API for it, so this reads its file manager's map, which needs {@code jdk.jshell} opened to this
 * code (the kernel jar's manifest opens it). Where it is not open, or on a JShell laid out otherwise, nothing is
 * forgotten and cells only get slower as before.
 */
final class ClassFiles {
    private static final String PREFIX = "REPL.$JShell$";
    private static final Method CLASS_NAME = classNameMethod();

    private final JShell shell;
    private final Map<String, ?> files;

    private ClassFiles(JShell shell, Map<String, ?> files) {
        this.shell = shell;
        this.files = files;
    }

    /** The class files of this JShell; an instance that forgets nothing where JShell's map cannot be reached. */
    static ClassFiles of(JShell shell) {
        return new ClassFiles(shell, CLASS_NAME == null ? null : map(shell));
    }

    /** False where JShell's class files cannot be reached, so none are forgotten. */
    boolean reachable() {
        return files != null;
    }

    /** Class files kept (nested classes included), or -1 where they cannot be reached. */
    int count() {
        return files == null ? -1 : files.size();
    }

    /** Forgets every class file whose outermost class is not an active declaration's. */
    void forgetUnnamable() {
        if (files == null) {
            return;
        }
        Set<String> keep = new HashSet<>();
        shell.snippets()
                .filter(s -> s.kind() != Snippet.Kind.EXPRESSION && s.kind() != Snippet.Kind.STATEMENT
                        && shell.status(s).isActive())
                .forEach(s -> keep.add(className(s)));
        files.keySet().removeIf(name -> !keep.contains(outermost(name)));
    }

    /** {@code REPL.$JShell$12_13} for {@code REPL.$JShell$12_13$Inner$1}: JShell's own names have no '$' after. */
    static String outermost(String name) {
        if (!name.startsWith(PREFIX)) {
            return name;
        }
        int end = name.indexOf('$', PREFIX.length());
        return end < 0 ? name : name.substring(0, end);
    }

    private static String className(Snippet s) {
        try {
            return (String) CLASS_NAME.invoke(s);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static Method classNameMethod() {
        try {
            Method m = Snippet.class.getDeclaredMethod("classFullName");
            m.setAccessible(true);
            return m;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> map(JShell shell) {
        try {
            Object factory = field(shell, "taskFactory");
            Object fileManager = field(factory, "fileManager");
            return (Map<String, ?>) field(fileManager, "classObjects");
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static Object field(Object owner, String name) throws ReflectiveOperationException {
        Field f = owner.getClass().getDeclaredField(name);
        f.setAccessible(true);
        return f.get(owner);
    }
}
