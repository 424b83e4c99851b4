package dev.nnlab.kernel;

import dev.nnlab.kernel.display.ChartRenderer;
import dev.nnlab.kernel.display.ModuleRenderer;
import dev.nnlab.kernel.display.ProgressBar;
import dev.nnlab.kernel.display.TableRenderer;
import dev.nnlab.kernel.display.TensorRenderer;
import dev.nnlab.kernel.display.ValueRenderer;
import dev.nnlab.kernel.magics.ClasspathMagic;
import dev.nnlab.kernel.magics.DocMagic;
import dev.nnlab.kernel.magics.JarsMagic;
import dev.nnlab.kernel.magics.LoadMagic;
import dev.nnlab.kernel.magics.LsmagicMagic;
import dev.nnlab.kernel.magics.MavenMagic;
import dev.nnlab.kernel.magics.TimeMagic;
import org.dflib.jjava.jupyter.Extension;
import dev.nnlab.nn.Module;
import dev.nnlab.progress.Progress;
import dev.nnlab.tensor.Tensor;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.knowm.xchart.internal.chartpart.Chart;
import tech.tablesaw.api.Table;

/**
 * nnlab's magics and renderers, as a JJava extension (META-INF/services). The table below is the one
 * place where magics are registered. Kernel magics need the nnlab kernel; in a stock JJava kernel,
 * JJava's own %maven, %classpath... stay in charge and only the toolkit magics are added.
 */
public final class NnlabExtension implements Extension {
    @Override
    public void install(BaseKernel kernel) {
        MagicsRegistry m = kernel.getMagicsRegistry();
        if (kernel instanceof NnlabKernel) {
            TimeMagic time = new TimeMagic();
            m.registerLineMagic("maven", new MavenMagic());
            m.registerLineMagic("classpath", new ClasspathMagic());
            m.registerLineMagic("jars", new JarsMagic());
            m.registerLineMagic("load", new LoadMagic());
            m.registerLineMagic("doc", new DocMagic());
            m.registerLineMagic("time", time);
            m.registerCellMagic("time", time);
        }
        m.registerLineMagic("lsmagic", new LsmagicMagic());
        renderers(kernel.getRenderer());
        Progress.install(new ProgressBar());
    }

    /** The one table of renderers: each type's class in {@code dev.nnlab.kernel.display}. */
    public static void renderers(Renderer r) {
        MIMEType text = MIMEType.TEXT_PLAIN;
        MIMEType html = MIMEType.TEXT_HTML;
        r.createRegistration(Object.class).supporting(text).register(new ValueRenderer());
        r.createRegistration(Tensor.class).preferring(html).supporting(text, html).register(new TensorRenderer());
        r.createRegistration(Module.class).preferring(html).supporting(text, html).register(new ModuleRenderer());
        r.createRegistration(Table.class).preferring(html).supporting(text, html).register(new TableRenderer());
        r.<Chart<?, ?>>createRegistration(rawChart()).preferring(MIMEType.IMAGE_PNG)
                .supporting(text, MIMEType.IMAGE_PNG, MIMEType.IMAGE_SVG).register(new ChartRenderer());
    }

    @SuppressWarnings("unchecked")
    private static Class<Chart<?, ?>> rawChart() {
        return (Class<Chart<?, ?>>) (Class<?>) Chart.class;
    }
}
