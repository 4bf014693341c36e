package org.pxlab.experiments.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.pxlab.runtime.config.ComponentRegistry;
import org.pxlab.runtime.config.ConfigurationException;
import org.pxlab.runtime.exec.PxRuntime;
import org.pxlab.runtime.serve.Server;
import org.pxlab.runtime.serve.ServeResult;
import org.pxlab.runtime.serve.ServingSession;
import org.pxlab.runtime.serve.Service;
import org.pxlab.runtime.serve.WrongAnswer;
import org.pxlab.runtime.spi.ComponentParameters;

/**
 * The seed workloads serve verified requests on {@code gil} with one and two workers, at
 * tiny sizes (an integration test, not a measurement), and leave the heap as they found it.
 */
class SeedWorkloadsTest {
    private static final ComponentRegistry REGISTRY = ComponentRegistry.load();

    static ComponentParameters tiny(String workload) {
        return new ComponentParameters(workload, workload.equals("wiki-search") ? Map.of("titles", "3000") : Map.of());
    }

    @ParameterizedTest(name = "{0} on gil with {1} worker(s)")
    @CsvSource({"json,1", "json,2", "wiki-search,1", "wiki-search,2", "hot-shared-object,1", "hot-shared-object,2"})
    void servesVerifiedRequests(String name, int workers) {
        try (PxRuntime rt = PxRuntime.start(REGISTRY.assemble("gil"))) {
            Service service = Server.setUp(rt, Workloads.load().named(name), tiny(name));
            Server.serve(rt, service, workers, 0, 50); // warm: first-use allocations (pools, hashes)
            long before = rt.heap().space(0).allocator().statistics().inUse();
            ServeResult r = Server.serve(rt, service, workers, 50, 600);
            assertThat(r.requests()).isEqualTo(600);
            assertThat(r.perWorker()).hasSize(workers).containsOnly(600L / workers);
            assertThat(rt.heap().space(0).allocator().statistics().inUse())
                    .as("requests release everything they allocate").isEqualTo(before);
        }
    }

    /**
     * PyParallel's claim for read-only requests: they run in parallel contexts and leave no
     * trace. After 1,000 requests the context arenas are back at their startup level (every
     * request rolled back) and the main heap holds exactly what it held before.
     */
    @ParameterizedTest(name = "{0} on split-brain with {1} worker(s)")
    @CsvSource({"json,1", "json,2", "wiki-search,1", "wiki-search,2", "hot-shared-object,1", "hot-shared-object,2"})
    void servesVerifiedRequestsOnSplitBrainAndLeavesNoTrace(String name, int workers) {
        try (PxRuntime rt = PxRuntime.start(REGISTRY.assemble("split-brain"))) {
            Service service = Server.setUp(rt, Workloads.load().named(name), tiny(name));
            long mainBefore = rt.heap().space(0).allocator().statistics().inUse();
            ServeResult r = Server.serve(rt, service, workers, 0, 1_000);
            assertThat(r.requests()).isEqualTo(1_000);
            assertThat(rt.heap().space(0).allocator().statistics().inUse())
                    .as("main heap in use after 1,000 parallel requests").isEqualTo(mainBefore);
            var contexts = rt.heap().space(1).allocator().statistics();
            assertThat(contexts.allocations()).as("objects allocated in contexts").isPositive();
            assertThat(contexts.inUse()).as("context arenas in use after every request rolled back").isZero();
        }
    }

    @Test
    void aSessionServesBatchesWithWorkersThatWaitDetached() {
        try (PxRuntime rt = PxRuntime.start(REGISTRY.assemble("gil"))) {
            Service service = Server.setUp(rt, Workloads.load().named("json"), tiny("json"));
            try (ServingSession session = Server.open(rt, service, 2)) {
                session.serve(0, 2);
                var workers = rt.threads();
                assertThat(workers).as("main and two workers").hasSize(3);
                for (int batch = 1; batch <= 5; batch++) {
                    ServeResult r = session.serve(batch * 100L, 100);
                    assertThat(r.perWorker()).containsExactly(50L, 50L);
                    // Between batches the workers wait detached: the main thread takes the GIL at once.
                    long builtins = rt.onMain(m -> m.heap().dicts().size(m.heap().types().builtinsDict()));
                    assertThat(builtins).isPositive();
                }
                assertThat(rt.threads()).as("the same workers serve every batch").containsExactlyElementsOf(workers);
            }
            assertThat(rt.threads()).as("closing ends the workers").hasSize(1);
        }
    }

    @Test
    void aSessionReportsAWrongAnswerAfterTheBatchAndStillCloses() {
        try (PxRuntime rt = PxRuntime.start(REGISTRY.assemble("gil"))) {
            Service json = Server.setUp(rt, Workloads.load().named("json"), tiny("json"));
            Service hot = Server.setUp(rt, Workloads.load().named("hot-shared-object"), tiny("hot-shared-object"));
            ServingSession session = Server.open(rt, Service.of(json.handler(), json::request, hot::verify), 2);
            assertThatThrownBy(() -> session.serve(0, 10)).isInstanceOf(WrongAnswer.class);
            session.close();
            session.close();
            assertThatThrownBy(() -> session.serve(10, 10)).hasMessageContaining("closed");
        }
    }

    @Test
    void servesForADurationOnTwoWorkers() {
        try (PxRuntime rt = PxRuntime.start(REGISTRY.assemble("gil"))) {
            Service service = Server.setUp(rt, Workloads.load().named("hot-shared-object"), tiny("hot-shared-object"));
            ServeResult r = Server.serveFor(rt, service, 2, 50_000_000L);
            // How the GIL shares 50 ms between two workers depends on scheduling (a loaded
            // machine may start the second late); that they served, and counted, does not.
            assertThat(r.perWorker()).hasSize(2);
            assertThat(r.requests()).isPositive().isEqualTo(r.perWorker()[0] + r.perWorker()[1]);
            assertThat(r.elapsedNanos()).isGreaterThanOrEqualTo(50_000_000L);
        }
    }

    @Test
    void aWrongAnswerFailsTheRun() {
        try (PxRuntime rt = PxRuntime.start(REGISTRY.assemble("gil"))) {
            Service json = Server.setUp(rt, Workloads.load().named("json"), tiny("json"));
            Service hot = Server.setUp(rt, Workloads.load().named("hot-shared-object"), tiny("hot-shared-object"));
            // Serve json's requests but check them against hot-shared-object's answers.
            Service crossed = Service.of(json.handler(), json::request, hot::verify);
            assertThatThrownBy(() -> Server.serve(rt, crossed, 1, 0, 1)).isInstanceOf(WrongAnswer.class)
                    .hasMessageContaining("hot-shared-object").hasMessageContaining("request 0");
        }
    }

    @Test
    void unknownWorkloadsAndOptionsAreRefused() {
        assertThatThrownBy(() -> Workloads.load().named("jsn")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'jsn'").hasMessageContaining("hot-shared-object");
        try (PxRuntime rt = PxRuntime.start(REGISTRY.assemble("gil"))) {
            assertThatThrownBy(() -> Server.setUp(rt, Workloads.load().named("wiki-search"),
                    new ComponentParameters("wiki-search", Map.of("titels", "10")))).hasMessageContaining("wiki-search.titels");
        }
    }
}
