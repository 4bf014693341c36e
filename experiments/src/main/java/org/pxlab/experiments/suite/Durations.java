package org.pxlab.experiments.suite;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people type them ({@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}, or a bare
 * number of seconds): the one reading shared by the command line's options and suite files.
 */
public final class Durations {
    private static final Pattern FORMAT = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)?");

    private Durations() {}

    /**
     * Nanoseconds of a duration.
     *
     * @throws IllegalArgumentException with a message saying what is allowed
     */
    public static long nanos(String value) {
        Matcher m = FORMAT.matcher(value.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + value + "' is not a duration; expected a number with ms, s, m or h"
                    + " (a bare number is seconds), e.g. 500ms or 10s");
        }
        double number = Double.parseDouble(m.group(1));
        double unit = switch (m.group(2) == null ? "s" : m.group(2)) {
            case "ms" -> 1e6;
            case "m" -> 60e9;
            case "h" -> 3600e9;
            default -> 1e9;
        };
        double nanos = number * unit;
        if (nanos > Long.MAX_VALUE / 2) throw new IllegalArgumentException("'" + value + "' is too long a duration");
        return Math.round(nanos);
    }

    /** A duration in the shortest exact unit: {@code 500ms}, {@code 2s}, {@code 1.5s}. */
    public static String format(long nanos) {
        if (nanos % 1_000_000_000L == 0) return nanos / 1_000_000_000L + "s";
        if (nanos % 1_000_000L == 0 && nanos < 1_000_000_000L) return nanos / 1_000_000L + "ms";
        return String.format(Locale.ROOT, "%ss", nanos / 1e9);
    }
}
