package org.pxlab.configurations;

import java.util.ArrayList;
import java.util.List;
import org.pxlab.runtime.config.ComponentRegistry;
import org.pxlab.runtime.config.ConfigurationDeclaration;
import org.pxlab.runtime.exec.PxRuntime;
import org.pxlab.runtime.spi.ComponentKind;
import org.pxlab.runtime.spi.ComponentProvider;
import org.pxlab.runtime.testkit.NoCollectorProvider;

/**
 * Starts runtimes of {@code fine-grained} and {@code fine-grained-global} for tests. Their
 * collector, {@code stop-the-world}, is used when it is registered; until then the test kit's
 * {@code cli-test-none} (tracks nothing, collects nothing) stands in, with the rest of each
 * declaration unchanged.
 */
final class FineGrainedRuntime {
    private FineGrainedRuntime() {}

    static final String COLLECTOR = ComponentRegistry.load().names(ComponentKind.COLLECTOR)
            .contains(FineGrainedConfiguration.COLLECTOR) ? FineGrainedConfiguration.COLLECTOR : NoCollectorProvider.NAME;

    static final ComponentRegistry REGISTRY = registry();

    private static ComponentRegistry registry() {
        ComponentRegistry loaded = ComponentRegistry.load();
        List<ComponentProvider> providers = new ArrayList<>();
        for (ComponentKind k : ComponentKind.values()) providers.addAll(loaded.components(k));
        if (COLLECTOR.equals(NoCollectorProvider.NAME)) providers.add(new NoCollectorProvider());
        List<ConfigurationDeclaration> declarations = List.of(FineGrainedConfiguration.declaration(COLLECTOR),
                FineGrainedGlobalConfiguration.declaration(COLLECTOR));
        return ComponentRegistry.of(providers, declarations);
    }

    static PxRuntime start(String name) {
        return PxRuntime.start(REGISTRY.assemble(name));
    }
}
