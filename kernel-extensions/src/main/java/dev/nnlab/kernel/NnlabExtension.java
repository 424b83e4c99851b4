package dev.nnlab.kernel;

import dev.nnlab.kernel.magics.ClasspathMagic;
import dev.nnlab.kernel.magics.DocMagic;
import dev.nnlab.kernel.magics.JarsMagic;
import dev.nnlab.kernel.magics.LoadMagic;
import dev.nnlab.kernel.magics.LsmagicMagic;
import dev.nnlab.kernel.magics.MavenMagic;
import dev.nnlab.kernel.magics.TimeMagic;
import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;

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
    }
}
