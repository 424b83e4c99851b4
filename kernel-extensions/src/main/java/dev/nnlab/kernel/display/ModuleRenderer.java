package dev.nnlab.kernel.display;

import dev.nnlab.nn.Module;
import dev.nnlab.nn.Parameter;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.dflib.jjava.jupyter.kernel.display.RenderContext;
import org.dflib.jjava.jupyter.kernel.display.RenderFunction;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;

/**
 * A Module: text/plain is PyTorch's repr; text/html a tree of {@code <details>} (the top two levels open), each node
 * with its parameter count (a shared parameter once), its own parameters' shapes, and the totals below. A module
 * registered twice is expanded once; the second place says where it is shared from.
 */
public final class ModuleRenderer implements RenderFunction<Module> {
    /** Children shown per node; the rest are counted in one line. */
    static final int MAX_CHILDREN = 200;
    private static final int OPEN_LEVELS = 2;

    @Override
    public void render(Module m, RenderContext ctx) {
        ctx.renderIfRequested(MIMEType.TEXT_PLAIN, m::toString);
        ctx.renderIfRequested(MIMEType.TEXT_HTML, () -> html(m));
    }

    public static String html(Module m) {
        StringBuilder b = new StringBuilder("<div class=\"nnlab-module\" style=\"font-family:monospace\">");
        node(null, m, 0, new IdentityHashMap<>(), "", b);
        long total = m.numParameters();
        long trainable = m.numParameters(true);
        b.append("<div style=\"margin-top:.4em\"><b>Total params: ").append(String.format("%,d", total)).append("</b>")
                .append(" · trainable ").append(String.format("%,d", trainable))
                .append(" · non-trainable ").append(String.format("%,d", total - trainable))
                .append(" · buffers ").append(m.namedBuffers().size())
                .append("</div></div>");
        return b.toString();
    }

    private static void node(String name, Module m, int depth, Map<Module, String> seen, String path, StringBuilder b) {
        String title = (name == null ? "" : "(" + Renderers.escape(name) + "): ") + "<b>" + Renderers.escape(m.getName())
                + "</b>";
        String shared = seen.get(m);
        if (shared != null) {
            b.append("<div>").append(title).append(" <i>shared with ").append(Renderers.escape(shared))
                    .append(", counted once</i></div>");
            return;
        }
        seen.put(m, path.isEmpty() ? "the root" : path);
        String extra = m.extraRepr();
        Map<String, Module> children = children(m);
        String args = extra.contains("\n") ? "…" : Renderers.escape(extra);
        String line = title + (children.isEmpty() || !args.isEmpty() ? "(" + args + ")" : "")
                + " · " + count(m.numParameters()) + own(m);
        if (children.isEmpty()) {
            b.append("<div>").append(line).append("</div>");
            return;
        }
        b.append("<details").append(depth < OPEN_LEVELS ? " open" : "").append("><summary>").append(line)
                .append("</summary><div style=\"padding-left:1.5em;border-left:1px solid #ccc\">");
        int i = 0;
        for (Map.Entry<String, Module> e : children.entrySet()) {
            if (i++ == MAX_CHILDREN) {
                b.append("<div>… ").append(children.size() - MAX_CHILDREN).append(" more children</div>");
                break;
            }
            String p = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            node(e.getKey(), e.getValue(), depth + 1, seen, p, b);
        }
        b.append("</div></details>");
    }

    /** Direct children in registration order, a module registered twice under both names (the repr's view). */
    private static Map<String, Module> children(Module m) {
        Map<String, Module> out = new LinkedHashMap<>();
        for (Map.Entry<String, Module> e : m.namedModules("", false).entrySet()) {
            if (!e.getKey().isEmpty() && e.getKey().indexOf('.') < 0) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    private static String count(long n) {
        return String.format("%,d param%s", n, n == 1 ? "" : "s");
    }

    /** This module's own parameters: {@code  · weight [20, 10], bias [20]}. */
    private static String own(Module m) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, Parameter> e : m.namedParameters("", false, true).entrySet()) {
            b.append(b.length() == 0 ? " · " : ", ").append(Renderers.escape(e.getKey())).append(' ')
                    .append(java.util.Arrays.toString(e.getValue().shape()));
            if (!e.getValue().requiresGrad()) {
                b.append(" (frozen)");
            }
        }
        return b.length() == 0 ? "" : "<span style=\"color:#666\">" + b + "</span>";
    }
}
