package org.pxlab.runtime.spi;

import java.util.Map;
import java.util.TreeMap;
import org.pxlab.runtime.config.ConfigurationException;

/**
 * Options given to one component in a configuration ({@code bump-arena: {page-size: 8192}}),
 * with typed getters whose errors name the component, the field, the value and what is
 * allowed. Every option must be read: {@link #checkAllUsed()} refuses ones the component did
 * not ask for, so a typo is an error rather than a silent default.
 */
public final class ComponentParameters {
    private final String component;
    private final Map<String, String> values;
    private final java.util.Set<String> used = new java.util.HashSet<>();

    public ComponentParameters(String component, Map<String, String> values) {
        this.component = component;
        this.values = new TreeMap<>(values);
    }

    /** No options. */
    public static ComponentParameters none(String component) {
        return new ComponentParameters(component, Map.of());
    }

    /** A whole number option within [min, max], or the default when absent. */
    public long longValue(String field, long defaultValue, long min, long max) {
        used.add(field);
        String raw = values.get(field);
        if (raw == null) return defaultValue;
        long v;
        try {
            v = Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            throw invalid(field, raw, "a whole number from " + min + " to " + max);
        }
        if (v < min || v > max) throw invalid(field, raw, "a whole number from " + min + " to " + max);
        return v;
    }

    /** A boolean option ({@code true}/{@code false}), or the default when absent. */
    public boolean booleanValue(String field, boolean defaultValue) {
        used.add(field);
        String raw = values.get(field);
        if (raw == null) return defaultValue;
        return switch (raw.trim()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(field, raw, "true or false");
        };
    }

    /**
     * A word option, one of {@code allowed} (compared after trimming, case-sensitively), or the
     * default when absent.
     */
    public String choice(String field, String defaultValue, java.util.List<String> allowed) {
        used.add(field);
        String raw = values.get(field);
        if (raw == null) return defaultValue;
        String v = raw.trim();
        if (!allowed.contains(v)) throw invalid(field, raw, "one of " + allowed);
        return v;
    }

    /**
     * A comma-separated set of words, each one of {@code allowed} ({@code immortal: types,functions}),
     * or the empty list when absent or blank.
     */
    public java.util.List<String> choices(String field, java.util.List<String> allowed) {
        used.add(field);
        String raw = values.get(field);
        if (raw == null || raw.isBlank()) return java.util.List.of();
        java.util.List<String> out = new java.util.ArrayList<>();
        for (String part : raw.split(",")) {
            String v = part.trim();
            if (!allowed.contains(v)) throw invalid(field, raw, "a comma-separated subset of " + allowed);
            if (!out.contains(v)) out.add(v);
        }
        return out;
    }

    /** Refuses options the component never asked for. */
    public void checkAllUsed() {
        for (String k : values.keySet()) {
            if (!used.contains(k)) {
                throw new ConfigurationException(component + "." + k, values.get(k),
                        used.isEmpty() ? "no options (" + component + " takes none)"
                                : "one of the options " + new java.util.TreeSet<>(used));
            }
        }
    }

    private ConfigurationException invalid(String field, String value, String allowed) {
        return new ConfigurationException(component + "." + field, value, allowed);
    }
}
