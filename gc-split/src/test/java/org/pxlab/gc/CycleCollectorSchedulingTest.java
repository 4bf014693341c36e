package org.pxlab.gc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.exec.ThreadContext;

/** Thresholds, the eval-breaker bit, {@code gc_collect_generations} and promotion. */
class CycleCollectorSchedulingTest {

    @Test
    void crossingThreshold0SchedulesOnceAndPollRunsAGenerationZeroCollection() {
        GcHeap h = GcHeap.standard();
        CycleCollector gc = h.gc;
        h.settle();
        ThreadContext t = h.t;
        assertThat(gc.generationCount(0)).isZero();
        assertThat(t.evalBreaker() & GcHeap.GC_BIT).isZero();
        int calls = h.site.scheduleCalls;
        long collections = gc.statistics().collections();
        long gen1Before = gc.generationSize(1);

        long[] lists = new long[800];
        for (int i = 0; i < 700; i++) lists[i] = h.newList();
        assertThat(gc.generationCount(0)).isEqualTo(700);
        assertThat(t.evalBreaker() & GcHeap.GC_BIT).as("700 is not above threshold0").isZero();
        assertThat(gc.isScheduled()).isFalse();

        lists[700] = h.newList();
        assertThat(t.evalBreaker() & GcHeap.GC_BIT).isEqualTo(GcHeap.GC_BIT);
        assertThat(gc.isScheduled()).isTrue();
        assertThat(h.site.scheduleCalls).isEqualTo(calls + 1);
        for (int i = 701; i < 800; i++) lists[i] = h.newList();
        assertThat(h.site.scheduleCalls).as("scheduled once until it runs").isEqualTo(calls + 1);
        assertThat(gc.statistics().collections()).as("nothing runs before the eval breaker").isEqualTo(collections);

        gc.poll(t);

        assertThat(t.evalBreaker() & GcHeap.GC_BIT).isZero();
        assertThat(gc.isScheduled()).isFalse();
        assertThat(gc.statistics().collections()).isEqualTo(collections + 1);
        assertThat(gc.generationCount(0)).isZero();
        assertThat(gc.generationCount(1)).isEqualTo(1);
        assertThat(gc.generationSize(0)).isZero();
        assertThat(gc.generationSize(1)).isEqualTo(gen1Before + 800);
        for (long l : lists) assertThat(gc.generationOf(l)).isEqualTo(1);
        gc.validate();

        // a second poll with nothing scheduled collects nothing
        gc.poll(t);
        assertThat(gc.statistics().collections()).isEqualTo(collections + 1);

        long tracked = h.tracked();
        for (long l : lists) h.decref(l);
        assertThat(h.tracked()).isEqualTo(tracked - 800);
        gc.validate();
    }

    @Test
    void freesLowerTheGenerationZeroCountSoChurnDoesNotSchedule() {
        GcHeap h = GcHeap.standard();
        h.settle();
        for (int i = 0; i < 10_000; i++) h.decref(h.newList());
        assertThat(h.gc.generationCount(0)).isZero();
        assertThat(h.gc.isScheduled()).isFalse();
        assertThat(h.t.evalBreaker() & GcHeap.GC_BIT).isZero();
    }

    @Test
    void everyThreadGetsTheBitAndTheFirstToPollRunsTheCollection() {
        GcHeap h = new GcHeap(new CycleCollector(5, 10, 10));
        h.settle();
        ThreadContext other = new ThreadContext(1, "worker", Placement.WORKER);
        h.site.threads.add(other);
        long collections = h.gc.statistics().collections();
        long[] lists = new long[6];
        for (int i = 0; i < lists.length; i++) lists[i] = h.newList();
        assertThat(other.evalBreaker() & GcHeap.GC_BIT).isEqualTo(GcHeap.GC_BIT);
        assertThat(h.t.evalBreaker() & GcHeap.GC_BIT).isEqualTo(GcHeap.GC_BIT);

        h.gc.poll(other);
        assertThat(h.gc.statistics().collections()).isEqualTo(collections + 1);
        h.gc.poll(h.t); // gc_scheduled already cleared: only the bit goes
        assertThat(h.gc.statistics().collections()).isEqualTo(collections + 1);
        assertThat(h.t.evalBreaker() & GcHeap.GC_BIT).isZero();
        for (long l : lists) h.decref(l);
    }

    @Test
    void thresholdZeroDisablesAutomaticCollection() {
        GcHeap h = new GcHeap(new CycleCollector(0, 10, 10));
        long[] lists = new long[2_000];
        for (int i = 0; i < lists.length; i++) lists[i] = h.newList();
        assertThat(h.gc.isScheduled()).isFalse();
        assertThat(h.site.scheduleCalls).isZero();
        for (long l : lists) h.decref(l);
    }

    @Test
    void olderGenerationsAreCollectedWhenTheirCountsExceedTheirThresholds() {
        // threshold0 = 4, threshold1 = 2, threshold2 = 1
        GcHeap h = new GcHeap(new CycleCollector(4, 2, 1));
        CycleCollector gc = h.gc;
        h.settle();
        long total = gc.longLivedTotal();

        // gen-0 collections until count1 > 2, then a gen-1 collection
        long a = round(h); // gen 0: count1 = 1
        assertThat(counts(gc)).containsExactly(0, 1, 0);
        assertThat(gc.generationOf(a)).isEqualTo(1);
        round(h);          // gen 0: count1 = 2
        round(h);          // gen 0: count1 = 3
        assertThat(counts(gc)).containsExactly(0, 3, 0);
        long b = round(h); // count1 = 3 > 2: gen 1
        assertThat(counts(gc)).containsExactly(0, 0, 1);
        assertThat(gc.generationOf(a)).isEqualTo(2);
        assertThat(gc.generationOf(b)).isEqualTo(2);
        assertThat(gc.generationSize(1)).isZero();
        assertThat(gc.longLivedPending()).isEqualTo(4 * 5);
        assertThat(gc.longLivedTotal()).isEqualTo(total);

        for (int i = 0; i < 3; i++) round(h);
        long c = round(h); // gen 1 again: count2 = 2
        assertThat(counts(gc)).containsExactly(0, 0, 2);
        assertThat(gc.generationOf(c)).isEqualTo(2);
        assertThat(gc.longLivedPending()).isEqualTo(8 * 5);

        // count2 = 2 > 1 and pending (40) >= total / 4: a full collection
        assertThat(gc.longLivedPending()).isGreaterThanOrEqualTo(total / 4);
        round(h);
        assertThat(counts(gc)).containsExactly(0, 0, 0);
        assertThat(gc.longLivedPending()).isZero();
        assertThat(gc.longLivedTotal()).isEqualTo(gc.generationSize(2));
        assertThat(gc.generationSize(0)).isZero();
        assertThat(gc.generationSize(1)).isZero();
        gc.validate();
    }

    @Test
    void fullCollectionWaitsUntilLongLivedPendingReachesAQuarterOfLongLivedTotal() {
        GcHeap h = new GcHeap(new CycleCollector(4, 0, 0));
        CycleCollector gc = h.gc;
        h.settle();
        // 400 long-lived objects: a full collection needs 100 new ones pending
        long[] keep = new long[400];
        for (int i = 0; i < keep.length; i++) keep[i] = h.newList();
        gc.collect(2, h.t);
        h.gc.poll(h.t); // clears the schedule the 400 allocations made; the counts are 0 now
        long total = gc.longLivedTotal();
        assertThat(total).isGreaterThanOrEqualTo(400);

        // threshold1 = threshold2 = 0: rounds alternate gen 0 and gen 1 collections (each
        // gen-1 one adds 10 to pending); gen 2 is refused while pending < total / 4
        int rounds = 0;
        while (gc.longLivedPending() < total / 4) {
            round(h);
            rounds++;
            assertThat(gc.longLivedTotal()).as("no full collection yet").isEqualTo(total);
        }
        assertThat(rounds).isGreaterThan(2);
        assertThat(gc.generationCount(2)).isPositive();
        round(h); // now pending >= total / 4: full
        assertThat(gc.longLivedPending()).isZero();
        assertThat(gc.longLivedTotal()).isEqualTo(gc.generationSize(2));
        gc.validate();
    }

    /** Allocates threshold0 + 1 lists that stay alive and polls; returns the first. */
    private static long round(GcHeap h) {
        long first = 0;
        for (long i = 0; i <= h.gc.threshold(0); i++) {
            long l = h.newList();
            if (first == 0) first = l;
        }
        assertThat(h.t.evalBreaker() & GcHeap.GC_BIT).isEqualTo(GcHeap.GC_BIT);
        h.gc.poll(h.t);
        return first;
    }

    private static long[] counts(CycleCollector gc) {
        return new long[] {gc.generationCount(0), gc.generationCount(1), gc.generationCount(2)};
    }
}
