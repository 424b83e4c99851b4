package dev.nnlab.nn;

/** Python's text for the values in a module's repr: floats, booleans, int tuples, and child indentation. */
final class Repr {
    private Repr() { }

    /** Indents every line but the first, like PyTorch's {@code _addindent}. */
    static String addIndent(String s, int spaces) {
        String[] parts = s.split("\n", -1);
        if (parts.length == 1) return s;
        String pad = " ".repeat(spaces);
        StringBuilder sb = new StringBuilder(parts[0]);
        for (int i = 1; i < parts.length; i++) sb.append('\n').append(pad).append(parts[i]);
        return sb.toString();
    }

    /** Python's {@code repr(float)}: {@code 0.1}, {@code 1.0}, {@code 1e-05}. */
    static String pyFloat(double v) {
        if (Double.isNaN(v)) return "nan";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        double a = Math.abs(v);
        if (a == 0 || (a >= 1e-4 && a < 1e16)) {
            String s = new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
            return s.contains(".") ? s : s + ".0";
        }
        String s = Double.toString(v);
        int e = s.indexOf('E');
        String mant = s.substring(0, e);
        if (mant.endsWith(".0")) mant = mant.substring(0, mant.length() - 2);
        int exp = Integer.parseInt(s.substring(e + 1));
        return mant + "e" + (exp < 0 ? "-" : "+") + String.format("%02d", Math.abs(exp));
    }

    static String pyBool(boolean b) {
        return b ? "True" : "False";
    }

    /** A Python tuple of ints: {@code (3, 3)}, {@code (5,)}. */
    static String pyTuple(int... v) {
        if (v.length == 1) return "(" + v[0] + ",)";
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < v.length; i++) sb.append(i > 0 ? ", " : "").append(v[i]);
        return sb.append(')').toString();
    }

}
