package org.pxlab.gc;

import static org.assertj.core.api.Assertions.assertThat;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pxlab.runtime.exec.PxRuntime;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.object.Heap;

/** The {@code stop-the-world} collector on one mutator, in real runtimes assembled by the registry. */
class StopTheWorldCollectorTest {

    /**
     * Cycles of lists dropped by the mutator are found by walking each free-threaded-capable
     * allocator and freed, exactly them (each cycle two lists and a dict, one list also
     * referencing a live list): the live lists keep their counts and items, and the bytes
     * the allocator holds return to what they were before the garbage was made.
     */
    @ParameterizedTest
    @ValueSource(strings = {"thread-sharded", "locked-global", "size-class-pool"})
    void freesExactlyTheGarbageCyclesFoundByWalkingTheAllocator(String allocator) {
        try (PxRuntime rt = StwRuntimes.start(allocator)) {
            StopTheWorldCollector gc = StwRuntimes.collector(rt);
            rt.onMain(m -> {
                Heap heap = m.heap();
                ThreadContext t = m.thread();
                ListGraph live = new ListGraph(heap, t, 7, 40, 1.5, 1.0); // every list a root: nothing is garbage
                long key = heap.strings().intern("a", t); // immortal: made before the bytes are counted
                gc.collect(2, t);
                long before = heap.space(0).allocator().statistics().inUse();
                int cycles = 25;
                for (int c = 0; c < cycles; c++) {
                    long a = heap.lists().newList(0, t), b = heap.lists().newList(0, t);
                    long d = heap.dicts().newDict(t);
                    heap.lists().append(a, b, t);
                    heap.lists().append(b, d, t);
                    heap.dicts().setItem(d, key, a, t);
                    heap.lists().append(b, live.lists[c % live.lists.length], t); // garbage may point at live objects
                    heap.decref(a, t);
                    heap.decref(b, t);
                    heap.decref(d, t);
                }
                long freed = gc.collect(2, t);
                assertThat(freed).isEqualTo(3L * cycles);
                live.checkLive();
                assertThat(heap.space(0).allocator().statistics().inUse()).isEqualTo(before);
                live.dropRoots(t);
                return null;
            });
        }
    }

    /**
     * The contract: on random graphs, the collector frees exactly the unreachable lists that
     * reference counting could not free, and never a reachable one (each keeps its count and
     * items); once the roots are dropped, everything goes.
     */
    @Test
    void neverFreesAReachableObjectOnRandomGraphs() {
        try (PxRuntime rt = StwRuntimes.start("thread-sharded")) {
            StopTheWorldCollector gc = StwRuntimes.collector(rt);
            rt.onMain(m -> {
                Heap heap = m.heap();
                ThreadContext t = m.thread();
                gc.collect(2, t);
                long baseline = heap.space(0).allocator().statistics().inUse();
                int graphsWithGarbage = 0;
                for (long seed = 1; seed <= 40; seed++) {
                    ListGraph g = new ListGraph(heap, t, seed, 60, 1.2, 0.15);
                    if (g.cyclicGarbage > 0) graphsWithGarbage++;
                    assertThat(gc.collect(2, t)).as("seed %d", seed).isEqualTo(g.cyclicGarbage);
                    g.checkLive();
                    g.dropRoots(t);
                    gc.collect(2, t);
                    assertThat(heap.space(0).allocator().statistics().inUse()).as("seed %d", seed).isEqualTo(baseline);
                }
                assertThat(graphsWithGarbage).as("graphs that had cyclic garbage").isPositive();
                return null;
            });
        }
    }

    /** One value per collection, and their sum is the statistics' pause time. */
    @Test
    void pauseHistogramRecordsOneValuePerCollection() {
        try (PxRuntime rt = StwRuntimes.start("thread-sharded")) {
            StopTheWorldCollector gc = StwRuntimes.collector(rt);
            int runs = rt.onMain(m -> {
                int n = 0;
                for (int i = 0; i < 5; i++) {
                    long a = m.heap().lists().newList(0, m.thread());
                    m.heap().lists().append(a, a, m.thread());
                    m.heap().decref(a, m.thread());
                    gc.collect(2, m.thread());
                    n++;
                }
                return n;
            });
            Histogram pauses = gc.pauses();
            assertThat(pauses.getTotalCount()).isEqualTo(runs);
            assertThat(gc.statistics().collections()).isEqualTo(runs);
            assertThat(gc.statistics().objectsFreed()).isEqualTo(runs);
            assertThat(pauses.getMaxValue()).isPositive().isLessThanOrEqualTo(gc.statistics().pauseNanos());
        }
    }

    /**
     * {@code gc_should_collect}: with a threshold of 10 and counts added one by one, the 11th
     * tracked container schedules a collection on the eval breaker, and the next backward
     * jump runs it, freeing the garbage made so far without an explicit collect.
     */
    @Test
    void allocationThresholdSchedulesACollectionAtTheNextEvalBreakerCheck() {
        long threshold = 10;
        try (PxRuntime rt = StwRuntimes.start(StwRuntimes.declaration("thread-sharded", threshold, 1))) {
            StopTheWorldCollector gc = StwRuntimes.collector(rt);
            rt.onMain(m -> {
                ThreadContext t = m.thread();
                long collectionsBefore = gc.statistics().collections();
                int bit;
                long made = 0;
                while ((m.thread().evalBreaker()) == 0) {
                    long a = m.heap().lists().newList(0, t);
                    m.heap().lists().append(a, a, t);
                    m.heap().decref(a, t);
                    made++;
                    assertThat(made).as("containers made before a collection was scheduled").isLessThanOrEqualTo(threshold + 1);
                }
                bit = m.thread().evalBreaker();
                assertThat(gc.statistics().collections()).isEqualTo(collectionsBefore);
                m.jumpBackward();
                assertThat(m.thread().evalBreaker() & bit).isZero();
                assertThat(gc.statistics().collections()).isEqualTo(collectionsBefore + 1);
                assertThat(gc.statistics().objectsFreed()).isEqualTo(made);
                return null;
            });
        }
    }
}
