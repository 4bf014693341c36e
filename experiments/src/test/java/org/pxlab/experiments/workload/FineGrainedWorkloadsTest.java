package org.pxlab.experiments.workload;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pxlab.configurations.FineGrainedConfiguration;
import org.pxlab.configurations.FineGrainedGlobalConfiguration;
import org.pxlab.runtime.config.ComponentRegistry;
import org.pxlab.runtime.config.ConfigurationDeclaration;
import org.pxlab.runtime.exec.PxRuntime;
import org.pxlab.runtime.serve.ServeResult;
import org.pxlab.runtime.serve.Server;
import org.pxlab.runtime.serve.Service;
import org.pxlab.runtime.spi.ComponentKind;
import org.pxlab.runtime.testkit.NoCollectorProvider;

/**
 * The seed workloads serve verified requests on {@code fine-grained} and
 * {@code fine-grained-global} with one and two workers (no GIL: the two run at once, sharing
 * the module's objects under per-object locks and interlocked counts), and leave the heap as
 * they found it. Until {@code stop-the-world} is registered the test kit's no-op collector
 * stands in for it.
 */
class FineGrainedWorkloadsTest {
    private static final ComponentRegistry REGISTRY = ComponentRegistry.load();
    private static final String COLLECTOR = REGISTRY.names(ComponentKind.COLLECTOR).contains(FineGrainedConfiguration.COLLECTOR)
            ? FineGrainedConfiguration.COLLECTOR : NoCollectorProvider.NAME;

    private static ConfigurationDeclaration declaration(String configuration) {
        return configuration.equals("fine-grained") ? FineGrainedConfiguration.declaration(COLLECTOR)
                : FineGrainedGlobalConfiguration.declaration(COLLECTOR);
    }

    @ParameterizedTest(name = "{0} on {2} with {1} worker(s)")
    @CsvSource({"json,1,fine-grained", "json,2,fine-grained", "wiki-search,1,fine-grained", "wiki-search,2,fine-grained",
            "hot-shared-object,1,fine-grained", "hot-shared-object,2,fine-grained",
            "json,2,fine-grained-global", "wiki-search,2,fine-grained-global", "hot-shared-object,2,fine-grained-global"})
    void servesVerifiedRequests(String name, int workers, String configuration) {
        try (PxRuntime rt = PxRuntime.start(REGISTRY.assemble(declaration(configuration)))) {
            Service service = Server.setUp(rt, Workloads.load().named(name), SeedWorkloadsTest.tiny(name));
            Server.serve(rt, service, workers, 0, 50); // warm: first-use allocations (pools, hashes)
            rt.onMain(m -> null); // delayed frees the warm-up's workers handed over are freed at attach
            long before = rt.onMain(m -> m.heap().space(0).allocator().statistics().inUse());
            ServeResult r = Server.serve(rt, service, workers, 50, 600);
            assertThat(r.requests()).isEqualTo(600);
            assertThat(r.perWorker()).hasSize(workers).containsOnly(600L / workers);
            rt.onMain(m -> null);
            long after = rt.onMain(m -> m.heap().space(0).allocator().statistics().inUse());
            assertThat(after).as("requests release everything they allocate").isEqualTo(before);
        }
    }
}
