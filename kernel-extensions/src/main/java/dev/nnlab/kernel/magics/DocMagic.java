package dev.nnlab.kernel.magics;

import dev.nnlab.kernel.NnlabKernel;
import java.util.List;
import org.dflib.jjava.jupyter.kernel.magic.LineMagic;

/** {@code %doc EXPR}: shows the signature and Javadoc of EXPR in the pager, like IPython's {@code ?}. */
public final class DocMagic implements LineMagic<Void, NnlabKernel>, Documented {
    static final String USAGE = "%doc EXPRESSION   e.g. %doc Math.max  or  %doc List.of";

    @Override
    public String usage() {
        return USAGE;
    }

    @Override
    public Void eval(NnlabKernel kernel, List<String> args) {
        String code = kernel.magicLine().strip();
        if (code.isEmpty()) {
            throw new MagicException("doc", USAGE, "what should be documented?");
        }
        String target = code.endsWith("(") ? code : code + "(";
        String doc = kernel.inspectText(target, target.length(), true);
        if (doc == null) {
            doc = kernel.inspectText(code, code.length(), true);
        }
        if (doc == null) {
            throw new MagicException("doc", USAGE, "no documentation found for " + code);
        }
        kernel.page(doc);
        return null;
    }
}
