package org.pxlab.experiments.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a duration as people type one ({@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}, or
 * a bare number of seconds) into nanoseconds. Picocli reports a refusal as a usage error
 * (exit 2) naming the option and the value; the message says what is allowed.
 */
final class DurationConverter implements ITypeConverter<Long> {
    private static final Pattern FORMAT = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)?");

    @Override
    public Long convert(String value) {
        Matcher m = FORMAT.matcher(value.strip());
        if (!m.matches()) {
            throw new TypeConversionException("'" + value + "' is not a duration; expected a number with ms, s, m or h"
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
        if (nanos > Long.MAX_VALUE / 2) throw new TypeConversionException("'" + value + "' is too long a duration");
        return Math.round(nanos);
    }
}
