package org.pxlab.experiments.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pxlab.configurations.FineGrainedConfiguration;
import org.pxlab.runtime.config.ComponentRegistry;
import org.pxlab.runtime.exec.PxRuntime;
import org.pxlab.runtime.serve.ServeResult;
import org.pxlab.runtime.serve.Server;
import org.pxlab.runtime.serve.Service;
import org.pxlab.runtime.serve.ServingSession;
import org.pxlab.runtime.spi.Collector;
import org.pxlab.runtime.testkit.TestThreads;

/**
 * The seed workloads serve verified requests on the built-in {@code fine-grained} and
 * {@code fine-grained-global} with one and two workers (no GIL: the two run at once, sharing
 * the module's objects under per-object locks and interlocked counts) while their
 * {@code stop-the-world} collector runs, and leave the heap as they found it.
 *
 * <p>The collections come from the main thread, which collects again and again while the
 * workers serve (a background {@code gc.collect()}): each stops the workers wherever they are,
 * in a request or waiting for the next batch, and batches go on until one began after two
 * collections. None of the seeds would schedule one by itself, whatever the threshold:
 * 3.13t counts tracked allocations minus frees, and a request frees every container it makes
 * (its dict, its list), so the young count does not grow.
 */
class FineGrainedWorkloadsTest {
    private static final ComponentRegistry REGISTRY = ComponentRegistry.load();
    private static final int BATCH = 100, REQUESTS = 600, COLLECTIONS = 2;

    @ParameterizedTest(name = "{0} on {2} with {1} worker(s)")
    @CsvSource({"json,1,fine-grained", "json,2,fine-grained", "wiki-search,1,fine-grained", "wiki-search,2,fine-grained",
            "hot-shared-object,1,fine-grained", "hot-shared-object,2,fine-grained",
            "json,1,fine-grained-global", "json,2,fine-grained-global", "wiki-search,1,fine-grained-global",
            "wiki-search,2,fine-grained-global", "hot-shared-object,1,fine-grained-global", "hot-shared-object,2,fine-grained-global",
            "json,1,free-threaded-3.13", "json,2,free-threaded-3.13", "wiki-search,1,free-threaded-3.13",
            "wiki-search,2,free-threaded-3.13", "hot-shared-object,1,free-threaded-3.13", "hot-shared-object,2,free-threaded-3.13",
            "json,1,free-threaded", "json,2,free-threaded", "wiki-search,1,free-threaded",
            "wiki-search,2,free-threaded", "hot-shared-object,1,free-threaded", "hot-shared-object,2,free-threaded"})
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void servesVerifiedRequestsWhileTheMainThreadCollects(String name, int workers, String configuration) throws Exception {
        try (PxRuntime rt = PxRuntime.start(REGISTRY.assemble(configuration))) {
            assertThat(rt.configuration().declaration().spaces().getFirst().collector()).isEqualTo(FineGrainedConfiguration.COLLECTOR);
            Collector gc = rt.heap().space(0).collector();
            Service service = Server.setUp(rt, Workloads.load().named(name), SeedWorkloadsTest.tiny(name));
            Server.serve(rt, service, workers, 0, 50); // warm: first-use allocations (pools, hashes)
            // The set-up's garbage and every delayed free go now, so that the count below is exact.
            rt.onMain(m -> gc.collect(2, m.thread()));
            long before = rt.onMain(m -> m.heap().space(0).allocator().statistics().inUse());
            long collectionsBefore = gc.statistics().collections();

            // Serve in batches until REQUESTS are served and a batch began after COLLECTIONS collections.
            AtomicBoolean serving = new AtomicBoolean(true);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            long next = 50, served = 0;
            try (ServingSession session = Server.open(rt, service, workers)) {
                Thread collector = TestThreads.start("collector", failure, () -> {
                    while (serving.get()) rt.onMain(m -> gc.collect(2, m.thread()));
                });
                try {
                    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TestThreads.JOIN_MILLIS);
                    boolean collectedMeanwhile = false;
                    while (!collectedMeanwhile || served < REQUESTS) {
                        collectedMeanwhile = gc.statistics().collections() - collectionsBefore >= COLLECTIONS;
                        ServeResult r = session.serve(next, BATCH); // every answer checked
                        assertThat(r.requests()).isEqualTo(BATCH);
                        assertThat(r.perWorker()).hasSize(workers).containsOnly((long) BATCH / workers);
                        next += BATCH;
                        served += BATCH;
                        assertThat(System.nanoTime()).as("collections while serving, in time").isLessThan(deadline);
                    }
                } finally {
                    serving.set(false);
                    TestThreads.join(failure, collector);
                }
            }
            assertThat(gc.statistics().collections() - collectionsBefore).as("collections while the workers served")
                    .isGreaterThanOrEqualTo(COLLECTIONS);

            rt.onMain(m -> gc.collect(2, m.thread()));
            long after = rt.onMain(m -> m.heap().space(0).allocator().statistics().inUse());
            assertThat(after).as("requests release everything they allocate").isEqualTo(before);
        }
    }
}
