package org.pxlab.experiments.workload;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pxlab.runtime.config.ComponentRegistry;
import org.pxlab.runtime.exec.PxRuntime;
import org.pxlab.runtime.serve.Server;

/**
 * What 3.13t never frees that 3.14t can: each seed workload set up on {@code free-threaded-3.13}
 * (its definitions immortal from creation, as {@code _PyGC_ImmortalizeDeferredObjects} makes them
 * once a second thread starts) and on {@code free-threaded} (the same definitions deferred,
 * mortal), with the bytes {@code Heap.immortalizedBytes} counts as never freed after the set-up.
 * The difference is the module, function, code and class objects the set-up made; both count the
 * interned strings every configuration has ({@code FreeThreadedTest} checks the difference object
 * by object).
 */
class ImmortalizedBytesTest {
    private static final ComponentRegistry REGISTRY = ComponentRegistry.load();

    private static long neverFreedAfterSetUp(String configuration, String workload) {
        try (PxRuntime rt = PxRuntime.start(REGISTRY.assemble(configuration))) {
            long before = rt.heap().immortalizedBytes();
            Server.setUp(rt, Workloads.load().named(workload), SeedWorkloadsTest.tiny(workload));
            return rt.heap().immortalizedBytes() - before;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "wiki-search", "hot-shared-object"})
    void free313NeverFreesTheDefinitionsThat314tKeepsMortal(String workload) {
        long t313 = neverFreedAfterSetUp("free-threaded-3.13", workload);
        long t314 = neverFreedAfterSetUp("free-threaded", workload);
        System.out.printf("%s set-up, bytes never freed: free-threaded-3.13 %d, free-threaded %d%n", workload, t313, t314);
        assertThat(t313).as("3.13t's immortalized definitions").isGreaterThan(t314);
    }
}
