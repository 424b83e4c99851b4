package dev.nnlab.kernel.eval;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/** Rewrites calls that would end the JVM into calls to {@link SystemExit#exit}. */
final class ExitRewriter {
    private static final String TARGET = SystemExit.class.getName().replace('.', '/');
    /** The constant-pool entries (CONSTANT_Utf8, length 4) of the names that a call to exit or halt refers to. */
    private static final byte[] EXIT = {1, 0, 4, 'e', 'x', 'i', 't'}, HALT = {1, 0, 4, 'h', 'a', 'l', 't'};

    private ExitRewriter() {
    }

    /**
     * The class with those calls rewritten; the class itself when it has no constant named exit or halt, so calls
     * none (most cells): ASM, whose Java 5 classes no class-data archive of JDK 17 holds, is then not even loaded.
     */
    static byte[] rewrite(byte[] classFile) {
        if (!contains(classFile, EXIT) && !contains(classFile, HALT)) {
            return classFile;
        }
        ClassReader reader = new ClassReader(classFile);
        ClassWriter writer = new ClassWriter(reader, 0);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] exc) {
                return new Calls(super.visitMethod(access, name, desc, sig, exc));
            }
        }, 0);
        return writer.toByteArray();
    }

    private static boolean contains(byte[] bytes, byte[] part) {
        outer:
        for (int i = 0; i + part.length <= bytes.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (bytes[i + j] != part[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static final class Calls extends MethodVisitor {
        Calls(MethodVisitor next) {
            super(Opcodes.ASM9, next);
        }

        @Override
        public void visitMethodInsn(int op, String owner, String name, String desc, boolean itf) {
            if (op == Opcodes.INVOKESTATIC && owner.equals("java/lang/System")
                    && name.equals("exit") && desc.equals("(I)V")) {
                super.visitMethodInsn(Opcodes.INVOKESTATIC, TARGET, "exit", "(I)V", false);
            } else if (op == Opcodes.INVOKEVIRTUAL && owner.equals("java/lang/Runtime")
                    && (name.equals("exit") || name.equals("halt")) && desc.equals("(I)V")) {
                super.visitMethodInsn(Opcodes.INVOKESTATIC, TARGET, "exit", "(Ljava/lang/Runtime;I)V", false);
            } else {
                super.visitMethodInsn(op, owner, name, desc, itf);
            }
        }
    }
}
