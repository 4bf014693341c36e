package org.pxlab.experiments.cli;

import org.pxlab.experiments.suite.Durations;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a duration as people type one ({@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}, or
 * a bare number of seconds) into nanoseconds, as suite files do ({@link Durations}). Picocli
 * reports a refusal as a usage error (exit 2) naming the option and the value; the message
 * says what is allowed.
 */
final class DurationConverter implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
        try {
            return Durations.nanos(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
