package dev.nnlab.kernel;

import dev.nnlab.kernel.display.ChartRenderer;
import dev.nnlab.kernel.display.CompareRenderer;
import dev.nnlab.kernel.display.GradFlowRenderer;
import dev.nnlab.kernel.display.MeasurementRenderer;
import dev.nnlab.kernel.display.ModuleRenderer;
import dev.nnlab.kernel.display.ProgressBar;
import dev.nnlab.kernel.display.SummaryRenderer;
import dev.nnlab.kernel.display.TableRenderer;
import dev.nnlab.kernel.display.TensorRenderer;
import dev.nnlab.kernel.display.ValueRenderer;
import dev.nnlab.kernel.magics.BenchMagic;
import dev.nnlab.kernel.magics.ClasspathMagic;
import dev.nnlab.kernel.magics.DocMagic;
import dev.nnlab.kernel.magics.Documented;
import dev.nnlab.kernel.magics.GradflowMagic;
import dev.nnlab.kernel.magics.HelpMagic;
import dev.nnlab.kernel.magics.HooksMagic;
import dev.nnlab.kernel.magics.JarsMagic;
import dev.nnlab.kernel.magics.LoadMagic;
import dev.nnlab.kernel.magics.LsmagicMagic;
import dev.nnlab.kernel.magics.MavenMagic;
import dev.nnlab.kernel.magics.SeedMagic;
import dev.nnlab.kernel.magics.SummaryMagic;
import dev.nnlab.kernel.magics.TimeMagic;
import dev.nnlab.nn.Module;
import dev.nnlab.progress.Progress;
import dev.nnlab.summary.ModelStatistics;
import dev.nnlab.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.dflib.jjava.jupyter.kernel.magic.CellMagic;
import org.dflib.jjava.jupyter.kernel.magic.LineMagic;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * nnlab's magics and renderers, as a JJava extension (META-INF/services). The table below is the one
 * place where magics are registered. Kernel magics need the nnlab kernel; in a stock JJava kernel,
 * JJava's own %maven, %classpath... stay in charge and only the toolkit magics are added.
 */
public final class NnlabExtension implements Extension {
    @Override
    public void install(BaseKernel kernel) {
        Table t = new Table(kernel.getMagicsRegistry());
        if (kernel instanceof NnlabKernel) {
            TimeMagic time = new TimeMagic();
            t.line("maven", new MavenMagic());
            t.line("classpath", new ClasspathMagic());
            t.line("jars", new JarsMagic());
            t.line("load", new LoadMagic());
            t.line("doc", new DocMagic());
            t.line("time", time);
            t.cell("time", time);
        }
        t.line("hooks", new HooksMagic());
        t.line("gradflow", new GradflowMagic());
        BenchMagic bench = new BenchMagic();
        t.line("bench", bench);
        t.cell("bench", bench);
        t.line("lsmagic", new LsmagicMagic());
        t.line("seed", new SeedMagic());
        t.line("summary", new SummaryMagic());
        t.line("help", new HelpMagic(t.docs));
        renderers(kernel.getRenderer());
        Progress.install(new ProgressBar());
    }

    /** The one table of renderers: each type's class in {@code dev.nnlab.kernel.display}. */
    public static void renderers(Renderer r) {
        MIMEType text = MIMEType.TEXT_PLAIN;
        MIMEType html = MIMEType.TEXT_HTML;
        ValueRenderer values = new ValueRenderer();
        r.createRegistration(Object.class).supporting(text).register(values);
        // Before jjava's CharSequence renderer, for the cut; display(s, "text/html") still reaches that one.
        r.createRegistration(String.class).supporting(text).register(values::render);
        r.createRegistration(Tensor.class).preferring(html).supporting(text, html).register(new TensorRenderer());
        r.createRegistration(Module.class).preferring(html).supporting(text, html).register(new ModuleRenderer());
        r.createRegistration(tech.tablesaw.api.Table.class).preferring(html).supporting(text, html)
                .register(new TableRenderer());
        r.createRegistration(ModelStatistics.class).preferring(html).supporting(text, html)
                .register(new SummaryRenderer());
        r.<Chart<?, ?>>createRegistration(rawChart()).preferring(MIMEType.IMAGE_PNG)
                .supporting(text, MIMEType.IMAGE_PNG, MIMEType.IMAGE_SVG).register(new ChartRenderer());
        GradFlowRenderer.register(r);
        CompareRenderer.register(r);
        MeasurementRenderer.register(r);
    }

    @SuppressWarnings("unchecked")
    private static Class<Chart<?, ?>> rawChart() {
        return (Class<Chart<?, ?>>) (Class<?>) Chart.class;
    }

    /** Registers magics and keeps their usage texts for %help. */
    private record Table(MagicsRegistry registry, Map<String, Documented> docs) {
        Table(MagicsRegistry registry) {
            this(registry, new LinkedHashMap<>());
        }

        void line(String name, LineMagic<?, ?> magic) {
            registry.registerLineMagic(name, magic);
            doc(name, magic);
        }

        void cell(String name, CellMagic<?, ?> magic) {
            registry.registerCellMagic(name, magic);
            doc(name, magic);
        }

        private void doc(String name, Object magic) {
            if (magic instanceof Documented d) {
                docs.putIfAbsent(name, d);
            }
        }
    }
}
