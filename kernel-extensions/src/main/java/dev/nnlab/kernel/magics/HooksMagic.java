package dev.nnlab.kernel.magics;

import dev.nnlab.hooks.Clipper;
import dev.nnlab.hooks.HookTable;
import dev.nnlab.hooks.Recorder;
import dev.nnlab.nn.Module;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.magic.LineMagic;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * {@code %hooks add|list|stats|remove|clear|clip}: hook recorders ({@link Recorder}) and clipping by hooks
 * ({@link Clipper}) on a live model, named by a JShell expression. What the magic attached it remembers, so
 * {@code %hooks clear} and {@code %hooks remove} can take it off again.
 */
public final class HooksMagic implements LineMagic<Object, BaseKernel>, Documented {
    static final Schema ADD = Schema.of("hooks add", "attach a statistics recorder to a live model; shows the hooks with ids")
            .positional("MODEL", "the model, a JShell expression: model, net.layers, heads.get(\"a\")")
            .option("what", "KIND", "activations (default), gradients (grad_output, grad_input) or both")
            .option("type", "TYPES", "only modules of these classes, comma-separated: Linear,ReLU")
            .option("path", "GLOB", "only modules whose path matches, fnmatch rules: 'layers.*'")
            .option("keep", "KEEP", "stats (default: running statistics), last (also the last tensor) or history")
            .option("history", "N", "with --keep history: per-call statistics kept per module (default 1000)");
    static final Schema LIST = Schema.of("hooks list", "every hook on the model, yours and ours: module, kind, id, owner")
            .optionalPositional("MODEL", "the model; without it, every model %hooks attached to");
    static final Schema STATS = Schema.of("hooks stats", "the recorders' statistics, one row per module in forward order")
            .positional("MODEL", "the model")
            .option("dead", "FRACTION", "highlight outputs with at least this fraction of exact zeros (default 0.5)");
    static final Schema REMOVE = Schema.of("hooks remove", "remove hooks %hooks attached, by id, or all of them")
            .rest("ID", "hook ids from %hooks list (a clip id removes the whole clipper); a non-number is the MODEL")
            .flag("all", "every hook %hooks attached (to MODEL only, when given)");
    static final Schema CLEAR = Schema.of("hooks clear", "remove every hook %hooks attached, on every model");
    static final Schema CLIP = Schema.of("hooks clip",
                    "clip the total gradient norm of the model's parameters after every backward (clip_grad_norm_)")
            .positional("MODEL", "the model")
            .option("max-norm", "X", "the largest total L2 norm of the parameter gradients (required)");
    private static final List<Schema> ALL = List.of(ADD, LIST, STATS, REMOVE, CLEAR, CLIP);
    private static final String SUBCOMMANDS = "add, list, stats, remove, clear, clip";

    /** What this magic attached: a recorder or a clipper, with the model and the expression that named it. */
    private record Attached(String expr, Module model, Object owner) {
        boolean live() {
            return owner instanceof Recorder r ? r.isAttached() : ((Clipper) owner).isAttached();
        }

        void remove() {
            if (owner instanceof Recorder r) r.remove();
            else ((Clipper) owner).remove();
        }

        String label() {
            return owner instanceof Recorder r ? r.label() : ((Clipper) owner).label();
        }

        int hooks() {
            return owner instanceof Recorder r ? r.handles().size() : ((Clipper) owner).handles().size();
        }
    }

    private final List<Attached> attached = new ArrayList<>();

    @Override
    public String usage() {
        StringBuilder b = new StringBuilder("%hooks SUBCOMMAND ...   (" + SUBCOMMANDS + "; %hooks SUBCOMMAND --help)");
        for (Schema s : ALL) b.append("\n\n").append(s.usage());
        return b.toString();
    }

    @Override
    public Object eval(BaseKernel kernel, List<String> args) {
        if (args.isEmpty() || args.get(0).equals("--help") || args.get(0).equals("-h")) {
            if (args.isEmpty()) throw new MagicException("hooks", usage(), "missing SUBCOMMAND (" + SUBCOMMANDS + ")");
            System.out.println(usage());
            return null;
        }
        List<String> rest = args.subList(1, args.size());
        attached.removeIf(a -> !a.live());
        return switch (args.get(0)) {
            case "add" -> add(kernel, rest);
            case "list" -> list(kernel, rest);
            case "stats" -> stats(kernel, rest);
            case "remove" -> remove(kernel, rest);
            case "clear" -> clear(rest);
            case "clip" -> clip(kernel, rest);
            default -> throw new MagicException("hooks", usage(),
                    "unknown subcommand '" + args.get(0) + "' (expected one of " + SUBCOMMANDS + ")");
        };
    }

    private Object add(BaseKernel kernel, List<String> args) {
        Parsed p = ADD.parse(args);
        if (p == null) return null;
        String expr = p.positional("MODEL");
        Module model = Live.get(kernel, ADD, expr, Module.class);
        Recorder rec;
        boolean existed;
        try {
            Recorder.Builder b = Recorder.on(model).what(p.option("what", "activations"))
                    .keep(p.option("keep", "stats"));
            List<String> types = p.listOption("type");
            if (!types.isEmpty()) b.type(types.toArray(new String[0]));
            if (p.has("path")) b.path(p.option("path", null));
            if (p.has("history")) b.historySize(p.intOption("history", 1000));
            List<Recorder> before = Recorder.attached(model);
            rec = b.attach();
            existed = before.contains(rec);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw ADD.error(e.getMessage());
        }
        try {
            if (!existed) attached.add(new Attached(expr, model, rec));
            StringBuilder text = new StringBuilder();
            text.append(existed ? "already attached, nothing added: " : "attached ").append(rec.label()).append(" to ")
                    .append(expr).append(": ").append(rec.paths().size()).append(" modules, ")
                    .append(rec.handles().size()).append(" hooks");
            for (String t : rec.unmatchedTypes()) text.append("\nnote: no module of type ").append(t).append(" in ").append(expr);
            text.append("\nsee the numbers with %hooks stats ").append(expr).append("; remove with %hooks remove ID... or --all");
            return show(text.toString(), rec.hookTable(), null, 0);
        } catch (RuntimeException e) {
            if (!existed) {
                rec.remove();
                attached.removeIf(a -> a.owner() == rec);
            }
            throw e;
        }
    }

    private Object list(BaseKernel kernel, List<String> args) {
        Parsed p = LIST.parse(args);
        if (p == null) return null;
        String expr = p.positional("MODEL");
        if (expr != null) {
            Module model = Live.get(kernel, LIST, expr, Module.class);
            Table t = HookTable.of(model);
            return show(t.rowCount() + " hooks on " + expr, t, null, 0);
        }
        Map<Module, String> models = models();
        if (models.isEmpty()) {
            System.out.println("no hooks attached by %hooks; %hooks list MODEL shows every hook on a model");
            return null;
        }
        Table all = null;
        for (Map.Entry<Module, String> e : models.entrySet()) {
            Table t = HookTable.of(e.getKey());
            t.insertColumn(0, StringColumn.create("model", Collections.nCopies(t.rowCount(), e.getValue())));
            if (all == null) all = t.copy().setName("hooks");
            else all.append(t);
        }
        return show(all.rowCount() + " hooks on " + String.join(", ", models.values()), all, null, 0);
    }

    private Object stats(BaseKernel kernel, List<String> args) {
        Parsed p = STATS.parse(args);
        if (p == null) return null;
        String expr = p.positional("MODEL");
        double dead = p.doubleOption("dead", 0.5);
        if (!(dead >= 0 && dead <= 1)) throw STATS.error("--dead must be a fraction between 0 and 1, got " + dead);
        Module model = Live.get(kernel, STATS, expr, Module.class);
        List<Recorder> recs = Recorder.attached(model);
        if (recs.isEmpty()) throw STATS.error("no recorder on " + expr + ": attach one with %hooks add " + expr);
        DisplayData out = new DisplayData();
        StringBuilder text = new StringBuilder(), html = new StringBuilder();
        for (Recorder r : recs) {
            Table t = r.table();
            String title = r.label() + " on " + expr;
            text.append(text.length() > 0 ? "\n\n" : "").append(title).append('\n').append(t.print(Integer.MAX_VALUE));
            html.append(html(title, t, dead));
        }
        text.append(String.format(Locale.ROOT, "%nzero_frac >= %.2f marks mostly dead units (exact zeros)", dead));
        html.append(String.format(Locale.ROOT, "<p style=\"font-size:smaller\">zero_frac &ge; %.2f (highlighted) marks "
                + "mostly dead units: outputs that are exactly zero; NaN and Inf counts above zero in red.</p>", dead));
        out.putText(text.toString());
        out.putHTML(html.toString());
        return out;
    }

    private Object remove(BaseKernel kernel, List<String> args) {
        Parsed p = REMOVE.parse(args);
        if (p == null) return null;
        List<Long> ids = new ArrayList<>();
        String expr = null;
        for (String s : p.rest()) {
            try {
                ids.add(Long.parseLong(s));
            } catch (NumberFormatException e) {
                if (expr != null) throw REMOVE.error("more than one MODEL: '" + expr + "' and '" + s + "'");
                expr = s;
            }
        }
        Module model = expr == null ? null : Live.get(kernel, REMOVE, expr, Module.class);
        if (p.flag("all") == !ids.isEmpty()) {
            throw REMOVE.error(ids.isEmpty() ? "give hook ids or --all" : "give hook ids or --all, not both");
        }
        List<Attached> scope = new ArrayList<>();
        for (Attached a : attached) if (model == null || a.model() == model) scope.add(a);
        if (model != null) {
            for (Recorder r : Recorder.attached(model)) if (!owns(scope, r)) scope.add(new Attached(expr, model, r));
            for (Clipper c : Clipper.attached(model)) if (!owns(scope, c)) scope.add(new Attached(expr, model, c));
        }
        if (p.flag("all")) {
            int n = 0;
            for (Attached a : scope) {
                n += a.hooks();
                a.remove();
            }
            attached.removeIf(a -> !a.live());
            System.out.println("removed " + n + " hooks" + (model == null ? "" : " from " + expr));
            return null;
        }
        List<Object> owners = new ArrayList<>();
        for (long id : ids) {
            Object owner = find(scope, id);
            if (owner == null) throw REMOVE.error(notOurs(id, model == null ? models().keySet() : Set.of(model)));
            owners.add(owner);
        }
        for (int i = 0; i < ids.size(); i++) {
            Object o = owners.get(i);
            if (o instanceof Recorder r) r.remove(ids.get(i));
            else ((Clipper) o).remove();
        }
        attached.removeIf(a -> !a.live());
        System.out.println("removed hook" + (ids.size() == 1 ? " " : "s ")
                + String.join(", ", ids.stream().map(String::valueOf).toList()));
        return null;
    }

    private Object clear(List<String> args) {
        Parsed p = CLEAR.parse(args);
        if (p == null) return null;
        int n = 0;
        Set<String> where = new LinkedHashSet<>();
        for (Attached a : attached) {
            n += a.hooks();
            where.add(a.expr());
            a.remove();
        }
        attached.clear();
        System.out.println("removed " + n + " hooks" + (where.isEmpty() ? "" : " from " + String.join(", ", where)));
        return null;
    }

    private Object clip(BaseKernel kernel, List<String> args) {
        Parsed p = CLIP.parse(args);
        if (p == null) return null;
        if (!p.has("max-norm")) throw CLIP.error("--max-norm X is required");
        double maxNorm = p.doubleOption("max-norm", 0);
        String expr = p.positional("MODEL");
        Module model = Live.get(kernel, CLIP, expr, Module.class);
        Clipper c;
        try {
            c = Clipper.attach(model, maxNorm);
        } catch (IllegalArgumentException e) {
            throw CLIP.error(e.getMessage());
        }
        List<String> replaced = new ArrayList<>();
        for (Clipper old : Clipper.attached(model)) {
            if (old != c) {
                replaced.add(old.label());
                old.remove();
            }
        }
        attached.removeIf(a -> !a.live());
        attached.add(new Attached(expr, model, c));
        String text = (replaced.isEmpty() ? "" : "replaced " + String.join(", ", replaced) + "\n") + c.describe()
                + "\nhooks: a forward hook on " + expr + " (id " + c.handles().get(0).id() + ", which %hooks remove "
                + "takes) and a post-accumulate-grad hook on each of its " + c.numParameters() + " parameters.";
        Table t = HookTable.of(model);
        return show(text, t.where(t.longColumn("id").isEqualTo(c.handles().get(0).id())), null, 0);
    }

    private static boolean owns(List<Attached> scope, Object owner) {
        for (Attached a : scope) if (a.owner() == owner) return true;
        return false;
    }

    private static Object find(List<Attached> scope, long id) {
        for (Attached a : scope) {
            if (a.owner() instanceof Recorder r) {
                for (var h : r.handles()) if (h.id() == id) return r;
            } else if (((Clipper) a.owner()).handles().get(0).id() == id) {
                return a.owner();
            }
        }
        return null;
    }

    /** Why an id cannot be removed: a hook of the user's code, or no hook at all. */
    private static String notOurs(long id, Set<Module> models) {
        for (Module model : models) {
            for (Map.Entry<String, Module> e : model.namedModules().entrySet()) {
                for (Module.HookInfo h : e.getValue().registeredHooks()) {
                    if (h.id() == id) {
                        return "hook " + id + " (" + h.kind() + " hook on " + (e.getKey().isEmpty() ? "the model" : "'"
                                + e.getKey() + "'") + ", " + e.getValue().getName() + ") was registered by "
                                + HookTable.owner(h) + " code, not by %hooks; remove it with the handle its register "
                                + "call returned: handle.remove()";
                    }
                }
            }
        }
        return "no hook with id " + id + " attached by %hooks" + (models.isEmpty() ? "" : " on this model")
                + "; %hooks list MODEL shows the ids";
    }

    /** The models this magic attached to, each once, with the expression that first named it. */
    private Map<Module, String> models() {
        Map<Module, String> out = new LinkedHashMap<>();  // Module keeps Object's identity equals
        for (Attached a : attached) out.putIfAbsent(a.model(), a.expr());
        return out;
    }

    private static DisplayData show(String text, Table t, String title, double dead) {
        DisplayData d = new DisplayData();
        d.putText(text + "\n" + t.print(Integer.MAX_VALUE));
        d.putHTML("<p>" + esc(text).replace("\n", "<br>") + "</p>" + html(title, t, dead));
        return d;
    }

    /** A table as HTML; when {@code dead} is positive, output rows' zero fractions at or above it are highlighted. */
    static String html(String title, Table t, double dead) {
        StringBuilder b = new StringBuilder();
        if (title != null) b.append("<p><b>").append(esc(title)).append("</b></p>");
        b.append("<table><thead><tr>");
        for (Column<?> c : t.columns()) b.append("<th>").append(esc(c.name())).append("</th>");
        b.append("</tr></thead><tbody>");
        boolean stats = t.columnNames().contains("zero_frac") && t.columnNames().contains("kind");
        for (int r = 0; r < t.rowCount(); r++) {
            b.append("<tr>");
            for (Column<?> c : t.columns()) {
                String style = "";
                if (stats && c.name().equals("zero_frac") && dead > 0 && t.stringColumn("kind").get(r).equals("output")
                        && t.doubleColumn("zero_frac").get(r) >= dead) {
                    style = " style=\"background:#f8d7da;font-weight:bold\" title=\"mostly dead units\"";
                } else if (stats && (c.name().equals("nan") || c.name().equals("inf")) && t.longColumn(c.name()).get(r) > 0) {
                    style = " style=\"color:#b00;font-weight:bold\"";
                }
                b.append("<td").append(style).append('>').append(esc(c.getString(r))).append("</td>");
            }
            b.append("</tr>");
        }
        return b.append("</tbody></table>").toString();
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
