package dev.nnlab.kernel.eval;

import java.util.List;

/** A cell failed: what the kernel sends as an error message (ename, evalue, traceback). */
public final class CellException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String ename;
    private final transient List<String> traceback;

    public CellException(String ename, String evalue, List<String> traceback) {
        super(evalue, null, false, false);
        this.ename = ename;
        this.traceback = List.copyOf(traceback);
    }

    public String ename() {
        return ename;
    }

    public String evalue() {
        return getMessage();
    }

    public List<String> traceback() {
        return traceback;
    }

    public static CellException of(String ename, String evalue) {
        return new CellException(ename, evalue, List.of(ename + ": " + evalue));
    }
}
