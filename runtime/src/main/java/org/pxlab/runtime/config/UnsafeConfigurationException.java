package org.pxlab.runtime.config;

/**
 * The components of a configuration cannot be safe together (e.g. {@code plain} refcounts
 * on objects that two threads may update at once). Refused unless the configuration is
 * declared {@code unsafe: true}, which is how the stress suite builds its known-unsafe
 * controls.
 */
public final class UnsafeConfigurationException extends ConfigurationException {
    private static final long serialVersionUID = 1L;

    public UnsafeConfigurationException(String configuration, String reason) {
        super("configuration " + configuration + " is unsafe: " + reason
                + " (declare it with unsafe: true to build it anyway, e.g. as a stress-test control)");
    }
}
