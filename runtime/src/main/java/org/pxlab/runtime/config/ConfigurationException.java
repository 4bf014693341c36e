package org.pxlab.runtime.config;

/**
 * A configuration, a component's options or a name in them is wrong. The message names the
 * field (a dotted path), the value given and what is allowed, and nothing has run yet.
 */
public class ConfigurationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final String value;
    private final String allowed;

    public ConfigurationException(String field, String value, String allowed) {
        super(field + ": " + (value == null ? "(missing)" : "'" + value + "'") + " is not allowed; expected " + allowed);
        this.field = field;
        this.value = value;
        this.allowed = allowed;
    }

    protected ConfigurationException(String message) {
        super(message);
        this.field = null;
        this.value = null;
        this.allowed = null;
    }

    /** The dotted path of the offending field, or null for errors about a whole configuration. */
    public String field() {
        return field;
    }

    /** The value given, or null. */
    public String value() {
        return value;
    }

    /** What would have been accepted, or null. */
    public String allowed() {
        return allowed;
    }
}
