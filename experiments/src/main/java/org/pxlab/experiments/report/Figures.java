package org.pxlab.experiments.report;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/** How numbers read in reports: plain decimals with '.', no exponent, NaN as "n/a". */
final class Figures {
    private Figures() {}

    /** {@code value} rounded to at most {@code digits} decimals, trailing zeros dropped. */
    static String decimal(double value, int digits) {
        if (!Double.isFinite(value)) return "n/a";
        return BigDecimal.valueOf(value).setScale(digits, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
    }

    /** A ratio or an efficiency: three decimals. */
    static String ratio(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.3f", value) : "n/a";
    }

    /**
     * An interval of ratios, {@code low to high} with no-break spaces, so that a table cell never
     * splits it (a browser may break a line after a dash, even before a no-break space). Not
     * {@code [low, high]}: Markdown would need the brackets escaped, and its readers see escapes.
     */
    static String interval(double low, double high) {
        return Double.isFinite(low) && Double.isFinite(high) ? ratio(low) + "\u00a0to\u00a0" + ratio(high) : "n/a";
    }

    /** A measured quantity (a throughput, a latency, bytes): whole above 100, else 3 significant digits. */
    static String quantity(double value) {
        if (!Double.isFinite(value)) return "n/a";
        if (Math.abs(value) >= 100) return String.format(Locale.ROOT, "%.0f", value);
        return new BigDecimal(value).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
    }

    /** A fraction as a signed percentage with one decimal, e.g. "+5.2%". */
    static String percent(double fraction) {
        return Double.isFinite(fraction) ? String.format(Locale.ROOT, "%+.1f%%", 100 * fraction) : "n/a";
    }
}
