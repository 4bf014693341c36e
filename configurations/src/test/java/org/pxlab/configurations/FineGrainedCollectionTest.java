package org.pxlab.configurations;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.exec.PxRuntime;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.spi.Allocator;
import org.pxlab.runtime.spi.Collector;
import org.pxlab.runtime.testkit.ParkedWaiterCollection;

/**
 * The built-in {@code fine-grained} and {@code fine-grained-global} with their
 * {@code stop-the-world} collector and two running mutators, one of them parked on a
 * per-object lock: a collection frees only the garbage and both mutators resume
 * ({@link ParkedWaiterCollection}, which gc-split's tests run on a test configuration); and
 * collections that the workers' own garbage schedules, run by whichever worker reaches an
 * eval-breaker check first while the other runs.
 */
class FineGrainedCollectionTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"fine-grained", "fine-grained-global"})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void collectionWithTwoMutatorsOneBlockedOnALockFreesOnlyGarbageAndBothResume(String configuration) throws Exception {
        try (PxRuntime rt = FineGrainedRuntime.start(configuration)) {
            ParkedWaiterCollection.run(rt);
        }
    }

    /**
     * A copy of the built-in declaration with a threshold of 50 tracked containers, counted one
     * by one: two workers each make 3,000 garbage cycles of two lists (which refcounting cannot
     * free, so the young count grows), jumping backward after each. Collections are scheduled
     * and run on the workers; every cycle is freed exactly once, by one of them or by the last
     * collection, and the heap is back at its baseline.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"fine-grained", "fine-grained-global"})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void garbageMadeByTwoWorkersSchedulesCollectionsThatFreeItExactlyOnce(String configuration) {
        int cycles = 3_000;
        try (PxRuntime rt = PxRuntime.start(FineGrainedRuntime.REGISTRY.assemble(FineGrainedRuntime.withThreshold(configuration, 50)))) {
            Collector gc = rt.heap().space(0).collector();
            Allocator allocator = rt.heap().space(0).allocator();
            rt.onMain(m -> gc.collect(2, m.thread()));
            long baseline = rt.onMain(m -> allocator.statistics().inUse());
            long freedBefore = gc.statistics().objectsFreed(), collectionsBefore = gc.statistics().collections();

            rt.runWorkers(2, Placement.WORKER, (m, w) -> {
                Heap h = m.heap();
                ThreadContext t = m.thread();
                for (int i = 0; i < cycles; i++) {
                    long a = h.lists().newList(0, t), b = h.lists().newList(0, t);
                    h.lists().append(a, b, t);
                    h.lists().append(b, a, t);
                    h.decref(a, t);
                    h.decref(b, t);
                    m.jumpBackward(); // where a scheduled collection runs
                }
            });
            long scheduled = gc.statistics().collections() - collectionsBefore;
            assertThat(scheduled).as("collections the workers' garbage scheduled").isPositive();

            rt.onMain(m -> gc.collect(2, m.thread()));
            assertThat(gc.statistics().objectsFreed() - freedBefore).as("lists freed by the collections").isEqualTo(2L * 2 * cycles);
            long inUse = rt.onMain(m -> allocator.statistics().inUse());
            assertThat(inUse).as("in-use bytes").isEqualTo(baseline);
        }
    }
}
