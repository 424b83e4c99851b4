package dev.nnlab.kernel.spi;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.JupyterIO;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.dflib.jjava.jupyter.kernel.magic.MagicParser;
import org.dflib.jjava.jupyter.kernel.magic.MagicTranspiler;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;

/**
 * A kernel built on jjava-jupyter's BaseKernel that knows nothing of nnlab (no nnlab class on its class path; it
 * imports none): it adds the class-path entries given as its argument in a child class loader, as %classpath does,
 * installs the extensions found there through the SPI, and prints what it then sees as {@code key=value} lines.
 * In-process tests use it too: its session is a map of names, and what it displays is kept.
 */
public final class MiniKernel extends BaseKernel {
    public final Map<String, Object> session = new HashMap<>();
    public final List<DisplayData> shown = new ArrayList<>();

    public MiniKernel() {
        super("mini", "0", new LanguageInfo("java", "17", "text/x-java-source", ".java", "java", "text/x-java",
                        "script"), List.of(), null, new JupyterIO(StandardCharsets.UTF_8), new CommManager(),
                new Renderer(), new MagicParser("(?<=(?:^|=))\\s*%", "%%", new MagicTranspiler()),
                new MagicsRegistry(), true, new StringStyler.Builder().build());
    }

    public static void main(String[] args) throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String p : args[0].split(File.pathSeparator)) {
            urls.add(new File(p).toURI().toURL());
        }
        MiniKernel k = new MiniKernel();
        k.installNotebookKernel();
        ClassLoader parent = MiniKernel.class.getClassLoader();
        System.out.println("parent-knows-nnlab=" + (parent.getResource("dev/nnlab/tensor/Tensor.class") != null));
        URLClassLoader child = new URLClassLoader(urls.toArray(new URL[0]), parent);
        k.installExtensions(child);
        System.out.println("magics=" + new TreeSet<>(k.getMagicsRegistry().getLineMagicNames()));

        System.out.println("array=" + k.getRenderer().render(new int[] {2, 100}).getData(MIMEType.TEXT_PLAIN));
        Object tensor = child.loadClass("dev.nnlab.tensor.Tensor").getMethod("zeros", int[].class)
                .invoke(null, (Object) new int[] {2, 3});
        Object html = k.getRenderer().render(tensor).getData(MIMEType.TEXT_HTML);
        System.out.println("tensor-html=" + String.valueOf(html).contains("tensor [2, 3] · torch.float32"));

        k.session.put("net", child.loadClass("dev.nnlab.nn.Linear").getConstructor(int.class, int.class)
                .newInstance(4, 3));
        Object summary = k.getMagicsRegistry().evalLineMagic(k, "summary", List.of("net", "--input", "2,4"));
        System.out.println("summary=" + String.valueOf(summary).contains("Total params: 15"));

        child.loadClass("dev.nnlab.kernel.display.Display").getMethod("display", Object.class).invoke(null, tensor);
        System.out.println("displayed=" + k.shown.size() + " html=" + k.shown.get(0).hasDataForType(MIMEType.TEXT_HTML));
        k.uninstallNotebookKernel();
    }

    /** Becomes the notebook kernel and installs the extensions on its own class path. */
    public MiniKernel load() {
        installNotebookKernel();
        installExtensions(getClass().getClassLoader());
        return this;
    }

    public void close() {
        uninstallNotebookKernel();
    }

    @Override
    public Object evalRaw(String code) {
        if (!session.containsKey(code)) {
            throw new IllegalStateException("cannot find symbol: " + code);
        }
        return session.get(code);
    }

    @Override
    public void display(DisplayData data) {
        shown.add(data);
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        return null;
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        return null;
    }

    @Override
    public String isComplete(String code) {
        return IS_COMPLETE_YES;
    }
}
