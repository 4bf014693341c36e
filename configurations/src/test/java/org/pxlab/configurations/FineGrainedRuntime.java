package org.pxlab.configurations;

import org.pxlab.gc.StopTheWorldCollectorProvider;
import org.pxlab.runtime.config.ComponentRegistry;
import org.pxlab.runtime.config.ConfigurationDeclaration;
import org.pxlab.runtime.exec.PxRuntime;
import org.pxlab.runtime.testkit.Declarations;

/**
 * Starts runtimes of the built-in {@code fine-grained} and {@code fine-grained-global}
 * configurations for tests, as the registry finds them, with their {@code stop-the-world}
 * collector.
 */
final class FineGrainedRuntime {
    private FineGrainedRuntime() {}

    static final ComponentRegistry REGISTRY = ComponentRegistry.load();

    static PxRuntime start(String name) {
        return PxRuntime.start(REGISTRY.assemble(name));
    }

    /**
     * The built-in declaration with the collector's threshold set to {@code threshold} and its
     * count batch to 1, so that a test sees collections without making thousands of containers.
     */
    static ConfigurationDeclaration withThreshold(String name, long threshold) {
        ConfigurationDeclaration d = Declarations.withOption(REGISTRY.configuration(name), FineGrainedConfiguration.COLLECTOR,
                StopTheWorldCollectorProvider.THRESHOLD, Long.toString(threshold));
        return Declarations.withOption(d, FineGrainedConfiguration.COLLECTOR, StopTheWorldCollectorProvider.COUNT_BATCH, "1");
    }
}
