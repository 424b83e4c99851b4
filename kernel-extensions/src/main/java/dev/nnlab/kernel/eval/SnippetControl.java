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

    SnippetControl(SnippetLoader loader) {
        super(loader);
    }

    @Override
    public String varValue(String className, String varName) throws InternalException {
        try {
            Field f = findClass(className).getDeclaredField(varName);
            f.setAccessible(true);
            value = f.get(null);
            return "";
        } catch (Throwable t) {
            throw new InternalException(t.toString());
        }
    }

    /** The object read by the last {@code JShell.varValue} call. */
    Object takeValue() {
        Object v = value;
        value = null;
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
