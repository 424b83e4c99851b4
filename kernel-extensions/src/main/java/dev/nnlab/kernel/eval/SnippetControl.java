package dev.nnlab.kernel.eval;

import java.lang.reflect.Field;
import java.util.Map;
import jdk.jshell.execution.LocalExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/**
 * JShell's local execution control (so that {@code JShell.stop()} works on every JDK) which also hands the
 * kernel the actual object behind a variable, not only its string.
 */
final class SnippetControl extends LocalExecutionControl {
    private Object value;
    private Field field;
    private int redefines;

    SnippetControl(SnippetLoader loader) {
        super(loader);
    }

    /** Counts JShell's requests to redefine classes in place, which local execution refuses: each costs a compile. */
    @Override
    public void redefine(ClassBytecodes[] cbcs) throws ClassInstallException, NotImplementedException,
            EngineTerminationException {
        redefines++;
        super.redefine(cbcs);
    }

    int redefines() {
        return redefines;
    }

    @Override
    public String varValue(String className, String varName) throws InternalException {
        try {
            Field f = findClass(className).getDeclaredField(varName);
            f.setAccessible(true);
            value = f.get(null);
            field = f;
            return "";
        } catch (Throwable t) {
            throw new InternalException(t.toString());
        }
    }

    /**
     * The object read by the last {@code JShell.varValue} call; with {@code clear} the variable is set to
     * null too, so that its class no longer holds the object.
     */
    Object takeValue(boolean clear) {
        Object v = value;
        Field f = field;
        value = null;
        field = null;
        if (clear && f != null) {
            try {
                f.set(null, null);
            } catch (IllegalAccessException | RuntimeException ignored) {
                // a final field keeps its value; its snippet is dropped anyway
            }
        }
        return v;
    }

    static ExecutionControlProvider provider(SnippetControl control) {
        return new ExecutionControlProvider() {
            @Override
            public String name() {
                return "nnlab";
            }

            @Override
            public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
                return control;
            }
        };
    }
}
