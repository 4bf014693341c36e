package org.pxlab.experiments.footprint;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pxlab.experiments.workload.Workloads;
import org.pxlab.runtime.config.ComponentRegistry;
import org.pxlab.runtime.context.ContextArenas;
import org.pxlab.runtime.context.RequestArenaUse;
import org.pxlab.runtime.exec.PxRuntime;
import org.pxlab.runtime.serve.Server;
import org.pxlab.runtime.serve.Service;
import org.pxlab.runtime.spi.AllocatorStatistics;
import org.pxlab.runtime.spi.ContextArena;
import org.pxlab.runtime.spi.ComponentParameters;

/** The footprint report's figures are the allocators' own, read back independently here. */
class FootprintTest {

    @ParameterizedTest
    @ValueSource(strings = {"gil", "split-brain", "fine-grained"})
    void theFiguresAreTheAllocatorsStatisticsAndTheLayoutsHeader(String configuration) {
        try (PxRuntime rt = PxRuntime.start(ComponentRegistry.load().assemble(configuration))) {
            Service s = Server.setUp(rt, Workloads.load().named("json"), ComponentParameters.none("json"));
            Footprint setUp = Footprint.of("after set-up", rt);
            Server.serve(rt, s, 2, 0, 500);
            Footprint served = Footprint.of("after serving", rt);

            assertThat(served.headerBytes()).isEqualTo(rt.heap().header().size());
            assertThat(served.spaces()).hasSize(rt.heap().spaceCount());
            AllocatorStatistics sum = AllocatorStatistics.NONE;
            for (int i = 0; i < rt.heap().spaceCount(); i++) {
                var space = rt.heap().space(i);
                Footprint.SpaceBytes row = served.spaces().get(i);
                assertThat(row.space()).isEqualTo(space.name());
                assertThat(row.preHeaderBytes()).isEqualTo(space.preHeaderSize());
                assertThat(row.statistics()).isEqualTo(space.allocator().statistics());
                if (space.allocator() instanceof ContextArenas router) {
                    // Summed over the contexts' arenas, each read on its own.
                    AllocatorStatistics arenas = AllocatorStatistics.NONE;
                    for (ContextArena a : router.arenas()) arenas = arenas.plus(a.statistics());
                    assertThat(row.statistics()).isEqualTo(arenas);
                    assertThat(row.contextArenas()).isEqualTo(router.arenas().size()).isPositive();
                    assertThat(row.statistics().allocations()).isGreaterThan(setUp.spaces().get(i).statistics().allocations());
                } else {
                    assertThat(row.contextArenas()).isEqualTo(-1);
                }
                sum = sum.plus(row.statistics());
            }
            assertThat(served.total()).isEqualTo(sum);
            assertThat(setUp.total().inUse()).isPositive();
            if (configuration.equals("split-brain")) {
                assertThat(setUp.requestArenas()).isEqualTo(RequestArenaUse.NONE);
                RequestArenaUse r = served.requestArenas();
                assertThat(r.requests()).as("every request ends with a rollback").isEqualTo(500);
                assertThat(r.meanBytes()).isPositive().isLessThanOrEqualTo(r.largestBytes());
            } else {
                assertThat(served.requestArenas()).as("no parallel contexts").isNull();
            }
        }
    }

    /** A request's arena high-water grows with what it allocates: 1 item, then 50. */
    @org.junit.jupiter.api.Test
    void theRequestArenaHighWaterIsWhatTheRequestAllocated() {
        long[] largest = new long[2];
        for (int k = 0; k < 2; k++) {
            try (PxRuntime rt = PxRuntime.start(ComponentRegistry.load().assemble("split-brain"))) {
                Service s = Server.setUp(rt, Workloads.load().named("wiki-search"),
                        new ComponentParameters("wiki-search", java.util.Map.of("limit", k == 0 ? "1" : "50", "titles", "20000")));
                Server.serve(rt, s, 1, 0, 200);
                largest[k] = Footprint.of("after serving", rt).requestArenas().largestBytes();
            }
        }
        assertThat(largest[1]).as("a 50-result list against a 1-result one").isGreaterThan(largest[0] + 49 * 8);
    }
}
