package org.pxlab.experiments.bench;

import org.pxlab.runtime.config.ComponentRegistry;
import org.pxlab.runtime.config.ConfigurationException;
import org.pxlab.runtime.spi.ComponentKind;
import org.pxlab.runtime.spi.ComponentParameters;
import org.pxlab.runtime.spi.ComponentProvider;

/**
 * Creates one component by name, outside any configuration, for benchmarks that measure a
 * single component. The registry only creates components while assembling a whole
 * configuration, which would need a sync discipline and a collector that such a benchmark
 * does not use.
 */
final class Components {
    private Components() {}

    /**
     * A fresh instance of the named component, with no options.
     *
     * @throws ConfigurationException naming the value and the known components of that kind
     */
    static <T> T create(ComponentRegistry registry, ComponentKind kind, String name, Class<T> type) {
        for (ComponentProvider p : registry.components(kind)) {
            if (p.name().equals(name)) return type.cast(p.create(ComponentParameters.none(name)));
        }
        throw new ConfigurationException(kind.label(), name, "the name of a component of kind " + kind.label() + ", one of " + registry.names(kind));
    }
}
