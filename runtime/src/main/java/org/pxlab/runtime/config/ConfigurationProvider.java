package org.pxlab.runtime.config;

/**
 * Makes a named configuration available, through {@link java.util.ServiceLoader} under
 * {@code META-INF/services/org.pxlab.runtime.config.ConfigurationProvider}. A provider is
 * the configuration's whole declaration; see the built-in ones for the style.
 */
public interface ConfigurationProvider {
    /** The configuration, by component names. */
    ConfigurationDeclaration declaration();
}
