package dev.nnlab.hooks;

import dev.nnlab.nn.Module;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.Map;

/** Every forward and backward hook on a model, the user's and the toolkit's: module path, type, kind, id and owner. */
public final class HookTable {
    private HookTable() { }

    /** One row per hook in model order (then the global hooks, which run on every module). */
    public static Table of(Module model) {
        LongColumn id = LongColumn.create("id");
        StringColumn module = StringColumn.create("module"), type = StringColumn.create("type"),
                kind = StringColumn.create("kind"), owner = StringColumn.create("owner");
        for (Map.Entry<String, Module> e : model.namedModules().entrySet()) {
            for (Module.HookInfo h : e.getValue().registeredHooks()) {
                id.append(h.id());
                module.append(e.getKey().isEmpty() ? "(model)" : e.getKey());
                type.append(e.getValue().getName());
                kind.append(h.kind());
                owner.append(owner(h));
            }
        }
        for (Module.HookInfo h : Module.registeredModuleHooks()) {
            id.append(h.id());
            module.append("(every module)");
            type.append("");
            kind.append(h.kind());
            owner.append(owner(h));
        }
        return Table.create("hooks on " + model.getName(), id, module, type, kind, owner);
    }

    /** Who registered a hook: a recorder's or clipper's label, else {@code user}. */
    public static String owner(Module.HookInfo h) {
        Recorder r = Recorder.ownerOf(h);
        if (r != null) return r.label();
        Clipper c = Clipper.ownerOf(h);
        if (c != null) return c.label() + " + " + c.numParameters() + " parameter hooks";
        return "user";
    }
}
