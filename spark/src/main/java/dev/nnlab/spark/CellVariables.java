package dev.nnlab.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.xbean.asm9.ClassReader;
import org.apache.xbean.asm9.ClassVisitor;
import org.apache.xbean.asm9.Handle;
import org.apache.xbean.asm9.MethodVisitor;
import org.apache.xbean.asm9.Opcodes;

/**
 * Finds the top-level cell variables that a function sent to executors reads. JShell keeps such a variable
 * in a static field that only the cell's own run sets, so in an executor JVM it reads 0 or null: a silent
 * wrong answer that the embedded {@code local[*]} session hides. Reads are found in the function's code and,
 * transitively, in the cell methods and classes it calls.
 */
final class CellVariables {
    private static final Pattern WRAPPER = Pattern.compile("REPL/\\$JShell\\$\\d+[A-Z]*");
    private static final int MAX_METHODS = 200;

    private CellVariables() {
    }

    /** Throws, before any job runs, when {@code fn} reads cell variables and executors are other JVMs. */
    static void check(Object fn, String role, Cluster cluster) {
        check(fn, role, "Pass the value in explicitly: as a Config value of the sweep, or as a parameter of a method"
                + " that makes the function (Trial trial(double lr) { return c -> ...; }), whose captured values travel"
                + " with it.", cluster);
    }

    /** As {@link #check(Object, String, Cluster)}, with {@code fix} saying what to do instead. */
    static void check(Object fn, String role, String fix, Cluster cluster) {
        Set<String> vars = readBy(fn);
        if (vars.isEmpty()) {
            return;
        }
        String msg = role + " reads the top-level cell variable" + (vars.size() > 1 ? "s " : " ") + String.join(", ", vars)
                + ". On executors a cell's variables are 0 or null (only the cell's own run sets them), so the"
                + " result would be silently wrong. " + fix;
        if (cluster.master().startsWith("local[") || cluster.master().equals("local")) {
            System.err.println("warning: " + msg + " (right here only because " + cluster.master()
                    + " runs tasks in this JVM)");
        } else {
            throw new IllegalArgumentException(msg);
        }
    }

    /** The names of the cell variables {@code fn} reads, as {@code name}. */
    static Set<String> readBy(Object fn) {
        Set<String> found = new LinkedHashSet<>();
        Deque<String[]> todo = new ArrayDeque<>();
        Set<String> seen = new HashSet<>();
        SerializedLambda lambda = serializedLambda(fn);
        ClassLoader loader = fn.getClass().getClassLoader();
        if (lambda != null) {
            todo.add(new String[] {lambda.getImplClass(), lambda.getImplMethodName(), lambda.getImplMethodSignature()});
        } else {
            todo.add(new String[] {fn.getClass().getName().replace('.', '/'), null, null});
        }
        while (!todo.isEmpty() && seen.size() < MAX_METHODS) {
            String[] m = todo.poll();
            if (!seen.add(String.join(" ", m[0], String.valueOf(m[1]), String.valueOf(m[2])))) {
                continue;
            }
            byte[] bytes = classBytes(m[0], loader);
            if (bytes != null) {
                scan(bytes, m[1], m[2], found, todo);
            }
        }
        return found;
    }

    private static void scan(byte[] bytes, String method, String desc, Set<String> found, Deque<String[]> todo) {
        new ClassReader(bytes).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String d, String sig, String[] exceptions) {
                if (method != null && !(method.equals(name) && desc.equals(d))) {
                    return null;
                }
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitFieldInsn(int opcode, String owner, String field, String fd) {
                        if (opcode == Opcodes.GETSTATIC && WRAPPER.matcher(owner).matches()) {
                            found.add(field);
                        }
                    }

                    @Override
                    public void visitMethodInsn(int opcode, String owner, String m, String md, boolean itf) {
                        follow(owner, m, md);
                    }

                    @Override
                    public void visitInvokeDynamicInsn(String n, String d2, Handle bsm, Object... args) {
                        for (Object a : args) {
                            if (a instanceof Handle h) {
                                follow(h.getOwner(), h.getName(), h.getDesc());
                            }
                        }
                    }

                    private void follow(String owner, String m, String md) {
                        if (owner.startsWith("REPL/")) {
                            todo.add(new String[] {owner, m, md});
                        }
                    }
                };
            }
        }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    }

    private static SerializedLambda serializedLambda(Object fn) {
        if (!(fn instanceof Serializable) || !fn.getClass().isSynthetic()) {
            return null;
        }
        try {
            Method m = fn.getClass().getDeclaredMethod("writeReplace");
            m.setAccessible(true);
            return m.invoke(fn) instanceof SerializedLambda s ? s : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** A cell class's bytes from the kernel's class export folder, else from the class loader's resources. */
    private static byte[] classBytes(String internalName, ClassLoader loader) {
        String dir = System.getProperty("spark.repl.class.outputDir");
        try {
            if (dir != null) {
                Path p = Path.of(dir, internalName + ".class");
                if (Files.isRegularFile(p)) {
                    return Files.readAllBytes(p);
                }
            }
            if (loader != null) {
                try (InputStream in = loader.getResourceAsStream(internalName + ".class")) {
                    if (in != null) {
                        return in.readAllBytes();
                    }
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }
}
