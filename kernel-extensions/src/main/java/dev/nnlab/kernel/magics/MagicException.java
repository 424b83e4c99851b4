package dev.nnlab.kernel.magics;

import java.util.List;
import java.util.Map;
import org.dflib.jjava.jupyter.kernel.magic.MagicArgsParseException;
import org.dflib.jjava.jupyter.kernel.magic.MagicsArgs;

/** A magic was called wrongly: the message names the magic, the problem and its usage. */
public final class MagicException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MagicException(String magic, String usage, String problem) {
        super("%" + magic + ": " + problem + "\nUsage: " + usage);
    }

    /** Parses args against the magic's schema, turning parse errors into a usage message. */
    static Map<String, List<String>> parse(MagicsArgs schema, List<String> args, String magic, String usage) {
        try {
            return schema.parse(args);
        } catch (MagicArgsParseException e) {
            throw new MagicException(magic, usage, e.getMessage());
        }
    }
}
