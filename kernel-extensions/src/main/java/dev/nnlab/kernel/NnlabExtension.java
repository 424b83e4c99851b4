package dev.nnlab.kernel;

import dev.nnlab.kernel.magics.ClasspathMagic;
import dev.nnlab.kernel.magics.DocMagic;
import dev.nnlab.kernel.magics.Documented;
import dev.nnlab.kernel.magics.HelpMagic;
import dev.nnlab.kernel.magics.JarsMagic;
import dev.nnlab.kernel.magics.LoadMagic;
import dev.nnlab.kernel.magics.LsmagicMagic;
import dev.nnlab.kernel.magics.MavenMagic;
import dev.nnlab.kernel.magics.TimeMagic;
import java.util.LinkedHashMap;
import java.util.Map;
import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.magic.CellMagic;
import org.dflib.jjava.jupyter.kernel.magic.LineMagic;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;

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
        t.line("lsmagic", new LsmagicMagic());
        t.line("help", new HelpMagic(t.docs));
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
