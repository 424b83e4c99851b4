package dev.nnlab.nn;

import dev.nnlab.tensor.Tensor;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps a module's fields and its registry in agreement, Java's stand-in for PyTorch's {@code __setattr__}.
 *
 * <p>Each registry entry is bound, lazily and once, to the field of the module that holds it: the field of the same
 * name (or its camelCase, {@code running_mean} -> {@code runningMean}), else the field holding the same object. From
 * then on the field is the truth: the registry reads it before every use ({@code m.weight = new Parameter(w)} is seen
 * by {@code parameters()}, {@code stateDict()} and the toolkit), and a replacement by name
 * ({@code registerParameter("weight", p)}) writes it. A Parameter or Module field that holds something never
 * registered is an error that names the field and the call to use. The forward path never comes here.
 */
final class Binding {
    /**
     * One instance field of a Module subclass whose type can hold a Parameter, a buffer or a submodule, with its getter
     * and setter (null when final) adapted to {@code (Module)Object} so that calls are exact and cheap.
     */
    record Slot(String name, Class<?> type, MethodHandle getter, MethodHandle setter, String where) {
        Object get(Module m) {
            try {
                return (Object) getter.invokeExact(m);
            } catch (Throwable e) {
                throw new IllegalStateException("cannot read " + where, e);
            }
        }

        void set(Module m, Object value) {
            try {
                setter.invokeExact(m, value);
            } catch (Throwable e) {
                throw new IllegalStateException("cannot write " + where, e);
            }
        }

        boolean isFinal() {
            return setter == null;
        }
    }

    private static final Slot[] NONE = new Slot[0];
    private static final MethodType GET = MethodType.methodType(Object.class, Module.class);
    private static final MethodType SET = MethodType.methodType(void.class, Module.class, Object.class);

    private static final ClassValue<Slot[]> SLOTS = new ClassValue<>() {
        @Override
        protected Slot[] computeValue(Class<?> type) {
            List<Slot> out = new ArrayList<>();
            for (Class<?> c = type; c != null && c != Module.class; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    int mod = f.getModifiers();
                    Class<?> t = f.getType();
                    if (Modifier.isStatic(mod) || f.isSynthetic()) continue;
                    if (!Tensor.class.isAssignableFrom(t) && !Module.class.isAssignableFrom(t)) continue;
                    out.add(slot(c, f, Modifier.isFinal(mod)));
                }
            }
            return out.isEmpty() ? NONE : out.toArray(NONE);
        }
    };

    private static Slot slot(Class<?> owner, Field f, boolean isFinal) {
        try {
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(owner, MethodHandles.lookup());
            MethodHandle getter = lookup.unreflectGetter(f).asType(GET);
            MethodHandle setter = isFinal ? null : lookup.unreflectSetter(f).asType(SET);
            return new Slot(f.getName(), f.getType(), getter, setter, owner.getSimpleName() + "." + f.getName());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("nnlab cannot read the field " + owner.getName() + "." + f.getName()
                    + " that may hold a parameter or submodule: open its package to dev.nnlab", e);
        }
    }

    private final Module module;
    private final Slot[] slots;
    /** The registry entry each slot holds, or null while unbound. */
    private final String[] entry;
    /** For an unbound slot: the value last found registered, so each new value is checked once. */
    private final Object[] checked;
    /** Entries registered but not bound yet (their fields are usually assigned just after registration). */
    private final Set<String> pending = new LinkedHashSet<>();
    private boolean busy;

    private Binding(Module module, Slot[] slots) {
        this.module = module;
        this.slots = slots;
        this.entry = new String[slots.length];
        this.checked = new Object[slots.length];
    }

    /** The binding of {@code m}, or null when its class has no field that could hold registered state. */
    static Binding of(Module m) {
        Slot[] s = SLOTS.get(m.getClass());
        return s.length == 0 ? null : new Binding(m, s);
    }

    // ---------------------------------------------------------------- registry -> field

    /**
     * Called before the registry sets {@code name} to {@code value}: checks that the bound field can take it (else
     * throws, changing nothing) and writes it; a new name waits to be bound.
     */
    void beforePut(String name, Object value, boolean replacing) {
        if (!replacing) {
            pending.add(name);
            return;
        }
        if (pending.remove(name)) bind(name);
        int i = slotOf(name);
        if (i < 0 || slots[i].get(module) == value) return;
        Slot s = slots[i];
        if (value != null && !s.type().isInstance(value)) {
            throw new IllegalArgumentException("cannot register a " + value.getClass().getSimpleName() + " as '" + name
                    + "': it is held in the field " + s.where() + " of type " + s.type().getSimpleName());
        }
        if (s.isFinal()) {
            String inPlace = value instanceof Module ? s.name() + ".loadStateDict(other.stateDict())"
                    : s.name() + ".copy_(t) under NoGrad";
            throw new IllegalStateException("cannot replace '" + name + "': it is held in the final field " + s.where()
                    + ", which forward reads. Change it in place (" + inPlace + "), or make the field non-final");
        }
        s.set(module, value);
    }

    /** Called before the registry drops {@code name}: its field is cleared so forward cannot use it either. */
    void beforeRemove(String name) {
        pending.remove(name);
        int i = slotOf(name);
        if (i < 0) return;
        Slot s = slots[i];
        if (s.isFinal() && s.get(module) != null) {
            throw new IllegalStateException("cannot remove '" + name + "': it is held in the final field " + s.where());
        }
        s.set(module, null);
        entry[i] = null;
    }

    /** The registry's names changed (a container renumbered): bind everything again. */
    void rebind() {
        for (int i = 0; i < entry.length; i++) {
            if (entry[i] != null) pending.add(entry[i]);
            entry[i] = null;
        }
    }

    // ---------------------------------------------------------------- field -> registry

    /** Brings the registry up to date with the fields; throws when a field holds state that was never registered. */
    void sync() {
        if (busy) return;
        busy = true;
        try {
            for (int i = 0; i < slots.length; i++) if (entry[i] != null) pull(i);
            if (!pending.isEmpty()) {
                for (String name : List.copyOf(pending)) bind(name);
                pending.clear();
            }
            for (int i = 0; i < slots.length; i++) if (entry[i] == null) check(i);
        } finally {
            busy = false;
        }
    }

    private int slotOf(String name) {
        for (int i = 0; i < entry.length; i++) if (name.equals(entry[i])) return i;
        return -1;
    }

    private void bind(String name) {
        pending.remove(name);
        Map<String, ?> reg = registry(name);
        if (reg == null || slotOf(name) >= 0) return;
        Object value = reg.get(name);
        Class<?> kind = kind(reg);
        String camel = camel(name);
        int byName = -1, byValue = -1;
        for (int i = 0; i < slots.length; i++) {
            if (entry[i] != null || !slots[i].type().isAssignableFrom(kind) && !kind.isAssignableFrom(slots[i].type())) {
                continue;
            }
            boolean named = slots[i].name().equals(name) || slots[i].name().equals(camel);
            boolean same = value != null && slots[i].get(module) == value;
            if (named && same) {
                byName = byValue = i;
                break;
            }
            if (named && byName < 0) byName = i;
            if (same && byValue < 0) byValue = i;
        }
        int i = byValue >= 0 ? byValue : byName;
        if (i < 0) return;
        entry[i] = name;
        pull(i);
    }

    /** The field wins: a user who assigned it meant it (PyTorch's {@code __setattr__} re-registers). */
    private void pull(int i) {
        String name = entry[i];
        Object v = slots[i].get(module);
        Map<String, ?> reg = registry(name);
        if (reg == null) {
            entry[i] = null;
            return;
        }
        if (reg.get(name) == v) return;
        if (reg == module.parameters && v != null && !(v instanceof Parameter)) {
            throw new IllegalStateException("cannot assign '" + ((Tensor) v).typeName() + "' as parameter '" + name
                    + "' (Parameter or null expected): " + slots[i].where() + " holds a plain tensor; write "
                    + slots[i].name() + " = new Parameter(t)");
        }
        module.fieldChanged(name, v);
    }

    private void check(int i) {
        Object v = slots[i].get(module);
        if (v == null || v == checked[i] || !(v instanceof Parameter || v instanceof Module)) return;
        if (!registered(v)) {
            String type = v.getClass().getSimpleName().isEmpty() ? v.getClass().getName() : v.getClass().getSimpleName();
            String n = slots[i].name();
            String call = v instanceof Parameter ? n + " = registerParameter(\"" + n + "\", new Parameter(...))"
                    : n + " = registerModule(\"" + n + "\", new " + type + "(...))";
            throw new IllegalStateException(slots[i].where() + " holds a " + type + " that is not registered, so "
                    + "parameters(), stateDict() and optimizers would not see it: write `" + call + "` (PyTorch "
                    + "registers on assignment; Java cannot). To keep it out of the module on purpose, hold it in a "
                    + "field whose type is not a Module or Parameter");
        }
        checked[i] = v;
    }

    /** Registered here or anywhere below (a field may point into a child, like {@code last = layers.get(-1)}). */
    private boolean registered(Object v) {
        if (module.parameters.containsValue(v) || module.modules.containsValue(v)) return true;
        for (Module m : module.modules.values()) {
            if (m == null) continue;
            if (v instanceof Module && m.namedModules().containsValue(v)) return true;
            if (v instanceof Parameter && m.namedParameters().containsValue(v)) return true;
        }
        return false;
    }

    private Map<String, ?> registry(String name) {
        if (module.parameters.containsKey(name)) return module.parameters;
        if (module.buffers.containsKey(name)) return module.buffers;
        if (module.modules.containsKey(name)) return module.modules;
        return null;
    }

    private Class<?> kind(Map<String, ?> reg) {
        return reg == module.parameters ? Parameter.class : reg == module.buffers ? Tensor.class : Module.class;
    }

    static String camel(String snake) {
        StringBuilder sb = new StringBuilder(snake.length());
        boolean up = false;
        for (int i = 0; i < snake.length(); i++) {
            char c = snake.charAt(i);
            if (c == '_' && i > 0) {
                up = true;
            } else {
                sb.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return sb.toString();
    }
}
