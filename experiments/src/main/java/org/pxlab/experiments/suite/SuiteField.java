package org.pxlab.experiments.suite;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.pxlab.runtime.config.ConfigurationException;

/**
 * One value of a suite file with its field path ({@code workloads[2].params.size}), and typed
 * readers whose refusals name that path, the value and what is allowed.
 *
 * @param path  where the value is, as a user would point at it
 * @param value a {@code Map<String, Object>}, a {@code List<Object>} or a {@code String} ({@link SafeYaml}'s values)
 */
record SuiteField(String path, Object value) {
    /** Names of suites, configurations composed in a suite: they become parts of ids and folder names. */
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{0,39}");

    /** The fields of a mapping, in file order, refusing any key not in {@code allowed}. */
    Map<String, SuiteField> fields(Set<String> allowed) {
        if (!(value instanceof Map<?, ?> map)) throw refuse("a mapping with the keys " + allowed);
        Map<String, SuiteField> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = (String) e.getKey();
            if (!allowed.contains(key)) {
                throw new ConfigurationException(child(key), key, "one of the keys " + allowed);
            }
            out.put(key, new SuiteField(child(key), e.getValue()));
        }
        return out;
    }

    /** The entries of a mapping whose keys are free (workload parameters, component options), as text. */
    Map<String, String> textMap() {
        if (!(value instanceof Map<?, ?> map)) throw refuse("a mapping of names to values");
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = (String) e.getKey();
            out.put(key, new SuiteField(child(key), e.getValue()).text());
        }
        return out;
    }

    /** The items of a sequence; a single value is refused, so a missing dash is caught. */
    List<SuiteField> items() {
        if (!(value instanceof List<?> list)) throw refuse("a list ([a, b] or one '- item' per line)");
        if (list.isEmpty()) throw refuse("a list of at least one item");
        List<SuiteField> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) out.add(new SuiteField(path + "[" + i + "]", list.get(i)));
        return out;
    }

    /** A scalar, as written. */
    String text() {
        if (!(value instanceof String s)) throw refuse("a single value (text or a number)");
        return s;
    }

    /** A scalar that is a name: lower-case letters, digits, '.' and '-', at most 40 characters. */
    String name() {
        String s = text();
        if (!NAME.matcher(s).matches()) throw refuse("a name of lower-case letters, digits, '.' and '-' (at most 40)");
        return s;
    }

    /** A whole number within [min, max]. */
    int integer(int min, int max) {
        String s = text().strip();
        try {
            int v = Integer.parseInt(s);
            if (v >= min && v <= max) return v;
        } catch (NumberFormatException e) {
            // refused below
        }
        throw refuse("a whole number from " + min + " to " + max);
    }

    /** A duration ({@code 500ms}, {@code 2s}, {@code 1m}) within [min, max] nanoseconds; returns it as written. */
    String duration(long minNanos, long maxNanos) {
        String s = text().strip();
        try {
            long n = Durations.nanos(s);
            if (n >= minNanos && n <= maxNanos) return s;
        } catch (IllegalArgumentException e) {
            // refused below
        }
        throw refuse("a duration from " + Durations.format(minNanos) + " to " + Durations.format(maxNanos)
                + " (a number with ms, s, m or h)");
    }

    /** A refusal of this field's value. */
    ConfigurationException refuse(String allowed) {
        return new ConfigurationException(path, shown(), allowed);
    }

    private String shown() {
        if (value instanceof String s) return s;
        if (value instanceof Map<?, ?>) return "(a mapping)";
        if (value instanceof List<?>) return "(a list)";
        return String.valueOf(value);
    }

    private String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
