package dev.nnlab.hooks;

import tech.tablesaw.columns.numbers.NumberColumnFormatter;

import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.Locale;

/** How the statistics tables print numbers: four significant digits, so columns of very different scale stay narrow. */
final class Format extends NumberFormat {
    static final NumberColumnFormatter SIGNIFICANT = new NumberColumnFormatter(new Format("%.4g"), "nan");
    static final NumberColumnFormatter FRACTION = new NumberColumnFormatter(new Format("%.4f"), "nan");

    private final String pattern;

    private Format(String pattern) {
        this.pattern = pattern;
    }

    @Override
    public StringBuffer format(double v, StringBuffer to, FieldPosition pos) {
        if (Double.isNaN(v)) return to.append("nan");
        if (Double.isInfinite(v)) return to.append(v > 0 ? "inf" : "-inf");
        return to.append(String.format(Locale.ROOT, pattern, v));
    }

    @Override
    public StringBuffer format(long v, StringBuffer to, FieldPosition pos) {
        return to.append(v);
    }

    @Override
    public Number parse(String source, ParsePosition pos) {
        throw new UnsupportedOperationException("a print format only");
    }
}
