package org.pxlab.gc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.layout.HeaderField;
import org.pxlab.runtime.layout.StructLayout;
import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.object.Space;
import org.pxlab.runtime.spi.CollectorStatistics;
import org.pxlab.runtime.spi.RefCountStrategy;

/** What the cycle collector frees, what it keeps, and the state of its lists afterwards. */
class CycleCollectorTest {
    private GcHeap h;
    private Heap heap;
    private ThreadContext t;
    private CycleCollector gc;

    @BeforeEach
    void setUp() {
        h = GcHeap.standard();
        heap = h.heap;
        t = h.t;
        gc = h.gc;
        h.settle();
    }

    // ---------------------------------------------------------------- garbage cycles

    @Test
    void selfReferencingListOutlivesItsLastReferenceAndIsFreedByAFullCollection() {
        long baseline = h.inUse();
        long trackedBefore = h.tracked();

        long list = h.newList();
        h.append(list, list);
        h.decref(list);

        // Refcounting alone cannot free it: the list references itself.
        assertThat(h.refcnt(list)).isEqualTo(1);
        assertThat(CycleCollector.isTracked(list)).isTrue();
        assertThat(h.inUse()).isGreaterThan(baseline);
        assertThat(h.tracked()).isEqualTo(trackedBefore + 1);

        assertThat(gc.collect(2, t)).isEqualTo(1);

        assertThat(h.inUse()).isEqualTo(baseline);
        assertThat(h.tracked()).isEqualTo(trackedBefore);
        gc.validate();
    }

    @Test
    void twoInstancesReferencingEachOtherThroughSlotsAreFreed() {
        long cls = heap.types().newClass("Node", 0, List.of("peer"), false, t);
        long clsRefs = h.refcnt(cls);
        long baseline = h.inUse();

        long a = heap.instances().newInstance(cls, t);
        long b = heap.instances().newInstance(cls, t);
        heap.instances().setSlotTake(a, 0, heap.newRef(b, t), t);
        heap.instances().setSlotTake(b, 0, heap.newRef(a, t), t);
        h.decref(a);
        h.decref(b);

        assertThat(h.refcnt(a)).isEqualTo(1);
        assertThat(h.refcnt(b)).isEqualTo(1);
        assertThat(h.inUse()).isGreaterThan(baseline);

        assertThat(gc.collect(2, t)).isEqualTo(2);

        assertThat(h.inUse()).isEqualTo(baseline);
        assertThat(h.refcnt(cls)).as("each instance's reference to its class is gone").isEqualTo(clsRefs);
        gc.validate();
        h.decref(cls);
    }

    @Test
    void twoInstancesReferencingEachOtherThroughTheirDictsAreFreed() {
        long cls = heap.types().newClass("Box", 0, List.of(), true, t);
        long key = heap.strings().intern("other", t); // interned (immortal) before the baseline
        long baseline = h.inUse();
        long trackedBefore = h.tracked();

        long a = heap.instances().newInstance(cls, t);
        long b = heap.instances().newInstance(cls, t);
        heap.dicts().setItem(heap.instances().dictForStore(a, t), key, b, t);
        heap.dicts().setItem(heap.instances().dictForStore(b, t), key, a, t);
        h.decref(a);
        h.decref(b);
        assertThat(h.tracked()).isEqualTo(trackedBefore + 4);

        // two instances and their two dicts
        assertThat(gc.collect(2, t)).isEqualTo(4);

        assertThat(h.inUse()).isEqualTo(baseline);
        assertThat(h.tracked()).isEqualTo(trackedBefore);
        gc.validate();
        h.decref(cls);
    }

    @Test
    void dictContainingItselfIsFreed() {
        long key = heap.strings().intern("self", t);
        long baseline = h.inUse();

        long d = heap.dicts().newDict(t);
        heap.dicts().setItem(d, key, d, t);
        h.decref(d);
        assertThat(h.refcnt(d)).isEqualTo(1);

        assertThat(gc.collect(2, t)).isEqualTo(1);
        assertThat(h.inUse()).isEqualTo(baseline);
        gc.validate();
    }

    @Test
    void ringOfTenThousandListsIsFreedWithoutRecursion() {
        int n = 10_000;
        long baseline = h.inUse();
        long trackedBefore = h.tracked();
        long first = h.newList();
        long prev = first;
        for (int i = 1; i < n; i++) {
            long next = h.newList();
            h.append(prev, next);
            if (prev != first) h.decref(prev);
            prev = next;
        }
        h.append(prev, first);
        h.decref(prev);
        h.decref(first);
        assertThat(h.tracked()).isEqualTo(trackedBefore + n);

        assertThat(gc.collect(2, t)).isEqualTo(n);

        assertThat(h.inUse()).isEqualTo(baseline);
        assertThat(h.tracked()).isEqualTo(trackedBefore);
        gc.validate();
    }

    @Test
    void ringOfInstancesThroughDictsAndTuplesIsFreed() {
        // instance -> dict -> tuple -> next instance: tuples have no tp_clear and must fall
        // when the dicts let go.
        long cls = heap.types().newClass("Link", 0, List.of(), true, t);
        long key = heap.strings().intern("next", t);
        long baseline = h.inUse();
        int n = 2_000;
        long[] nodes = new long[n];
        for (int i = 0; i < n; i++) nodes[i] = heap.instances().newInstance(cls, t);
        for (int i = 0; i < n; i++) {
            long tuple = heap.tuples().of(t, heap.newRef(nodes[(i + 1) % n], t), heap.numbers().newInt(100_000 + i, t));
            heap.dicts().setItemTake2(heap.instances().dictForStore(nodes[i], t), key, tuple, t);
        }
        for (long node : nodes) h.decref(node);

        assertThat(gc.collect(2, t)).isEqualTo(3L * n); // instances, dicts, tuples
        assertThat(h.inUse()).isEqualTo(baseline);
        gc.validate();
        h.decref(cls);
    }

    @Test
    void objectsOnlyTheGarbageReferencesInOlderGenerationsAreFreedByTheCascade() {
        long baseline = h.inUse();
        long trackedBefore = h.tracked();
        // x reaches generation 2 while held; then only the cycle holds it
        long x = h.newList();
        h.append(x, heap.numbers().newInt(1, t));
        gc.collect(2, t);
        assertThat(gc.generationOf(x)).isEqualTo(2);

        long a = h.newList();
        long b = h.newList();
        h.append(a, b);
        h.append(b, a);
        h.append(a, x);
        h.decref(x);
        h.decref(a);
        h.decref(b);

        // x is not in the collected set: it is garbage only by refcount once a lets go
        assertThat(gc.collect(0, t)).isEqualTo(2);
        assertThat(h.inUse()).isEqualTo(baseline);
        assertThat(h.tracked()).isEqualTo(trackedBefore);
        gc.validate();
    }

    // ---------------------------------------------------------------- what survives

    @Test
    void objectReachableFromALiveObjectSurvivesAndIsPromoted() {
        long holder = h.newList();
        long inner = h.newList();
        long innermost = heap.dicts().newDict(t);
        h.append(holder, inner);
        h.append(inner, innermost);
        h.decref(inner);
        h.decref(innermost);
        long innerRefs = h.refcnt(inner), innermostRefs = h.refcnt(innermost);
        long visited = gc.statistics().objectsVisited();

        assertThat(gc.collect(0, t)).isZero();
        // inner and innermost follow their referrer in young: visit_reachable marks them
        // (gc_refs 1) before the scan reaches them, so the unreachable set stays empty and
        // the second (resurrection) pass has nothing to look at.
        assertThat(gc.statistics().objectsVisited() - visited).isEqualTo(3);

        assertThat(gc.generationOf(holder)).isEqualTo(1);
        assertThat(gc.generationOf(inner)).isEqualTo(1);
        assertThat(gc.generationOf(innermost)).isEqualTo(1);
        assertThat(h.refcnt(inner)).isEqualTo(innerRefs);
        assertThat(h.refcnt(innermost)).isEqualTo(innermostRefs);
        assertThat(heap.lists().getItem(holder, 0)).isEqualTo(inner);
        assertThat(heap.lists().getItem(inner, 0)).isEqualTo(innermost);
        gc.validate();

        long baseline = h.inUse();
        h.decref(holder);
        assertThat(h.inUse()).isLessThan(baseline);
        gc.validate();
    }

    @Test
    void externallyReferencedCycleSurvivesUntilTheReferenceIsDropped() {
        long cls = heap.types().newClass("Pair", 0, List.of("peer", "data"), false, t);
        long baseline = h.inUse();
        long a = heap.instances().newInstance(cls, t);
        long b = heap.instances().newInstance(cls, t);
        long data = h.newList();
        heap.instances().setSlotTake(a, 0, heap.newRef(b, t), t);
        heap.instances().setSlotTake(b, 0, heap.newRef(a, t), t);
        heap.instances().setSlotTake(b, 1, data, t); // b owns the only reference to data
        h.decref(b);                               // we keep a

        assertThat(gc.collect(2, t)).isZero();
        assertThat(h.refcnt(a)).isEqualTo(2);
        assertThat(h.refcnt(b)).isEqualTo(1);
        assertThat(heap.instances().slot(a, 0)).isEqualTo(b);
        assertThat(heap.instances().slot(b, 1)).isEqualTo(data);
        assertThat(gc.generationOf(a)).isEqualTo(2);
        assertThat(gc.generationOf(data)).isEqualTo(2);
        gc.validate();

        h.decref(a);
        assertThat(gc.collect(2, t)).isEqualTo(3);
        assertThat(h.inUse()).isEqualTo(baseline);
        gc.validate();
        h.decref(cls);
    }

    @Test
    void objectsTentativelyMovedToUnreachableAreRestoredWhenAReachableObjectReferencesThem() {
        // l0 <- l1 <- ... <- l99, only l99 held: young is scanned l0 first, so l0..l98 all
        // start with gc_refs 0, go to the unreachable list, and must come back one by one.
        int n = 100;
        long[] chain = new long[n];
        chain[0] = h.newList();
        for (int i = 1; i < n; i++) {
            chain[i] = h.newList();
            h.append(chain[i], chain[i - 1]);
            h.decref(chain[i - 1]);
        }
        assertThat(gc.collect(0, t)).isZero();
        for (long l : chain) {
            assertThat(gc.generationOf(l)).isEqualTo(1);
            assertThat(h.refcnt(l)).isEqualTo(1);
        }
        // restored objects were appended after the one that reached them
        long[] gen1 = gc.members(1);
        assertThat(gen1[0]).isEqualTo(chain[n - 1]);
        assertThat(gen1[n - 1]).isEqualTo(chain[0]);
        gc.validate();
        h.decref(chain[n - 1]);
        assertThat(gc.generationSize(1)).isZero();
        gc.validate();
    }

    @Test
    void youngCycleHeldByAnOlderGenerationIsNotFreedByAYoungCollection() {
        long old = h.newList();
        gc.collect(2, t);
        long a = h.newList();
        long b = h.newList();
        h.append(a, b);
        h.append(b, a);
        h.append(old, a);
        h.decref(a);
        h.decref(b);

        assertThat(gc.collect(0, t)).isZero();
        assertThat(gc.generationOf(a)).isEqualTo(1);
        assertThat(gc.collect(1, t)).isZero();
        assertThat(gc.generationOf(b)).isEqualTo(2);

        // old itself in the cycle: a full collection is needed, and frees all three
        h.append(a, old);
        long bytes = h.inUse();
        h.decref(old);
        assertThat(h.inUse()).as("old is kept alive by the cycle").isEqualTo(bytes);
        assertThat(gc.collect(1, t)).isZero();
        assertThat(gc.collect(2, t)).isEqualTo(3);
        gc.validate();
    }

    // ---------------------------------------------------------------- delete_garbage

    @Test
    void garbageWithoutTpClearFirstInTheListSurvivesItsTurnAndDiesWithItsNeighbour() {
        // Arrange the unreachable list as [tuple, list]: the tuple (no tp_clear) is looked at
        // first, stays alive and moves on; clearing the list then frees both.
        long baseline = h.inUse();
        long trackedBefore = h.tracked();
        long r = h.newList();
        long tup = heap.tuples().of(t, heap.newRef(r, t));
        h.append(r, tup);
        long holder = h.newList();
        h.append(holder, tup); // holder -> tup -> r -> tup
        h.decref(tup);
        h.decref(r);
        // young = [r, tup, holder]: r and tup start unreachable; holder brings back tup, then r
        gc.collect(0, t);
        long[] gen1 = gc.members(1);
        assertThat(gen1).containsExactly(holder, tup, r);

        h.decref(holder);
        assertThat(gc.generationSize(1)).isEqualTo(2);
        assertThat(gc.collect(1, t)).isEqualTo(2);
        assertThat(h.inUse()).isEqualTo(baseline);
        assertThat(h.tracked()).isEqualTo(trackedBefore);
        gc.validate();
    }

    @Test
    void cycleOfKindsWithoutTpClearIsUncollectableAndMovesToTheOlderGeneration() {
        // tuple -> bound method -> tuple: neither kind has tp_clear (as in CPython 3.12)
        long baseline = h.inUse();
        long func = h.newList(); // any object serves as the method's function
        long tup = heap.tuples().allocate(1, t);
        long method = heap.functions().newBoundMethod(func, tup, t);
        heap.tuples().initItem(tup, 0, method, t); // steals our reference to method
        heap.track(tup, t);
        h.decref(tup);
        h.decref(func);

        long freedBefore = gc.statistics().objectsFreed();
        assertThat(gc.collect(0, t)).isZero();
        assertThat(gc.statistics().objectsFreed()).isEqualTo(freedBefore);
        assertThat(gc.generationOf(tup)).isEqualTo(1);
        assertThat(gc.generationOf(method)).isEqualTo(1);
        assertThat(h.refcnt(tup)).isEqualTo(1);
        assertThat(h.refcnt(method)).isEqualTo(1);
        gc.validate();

        // break it by hand (what a tp_clear would have done) and everything goes
        Memory.putLong(tup + heap.bodyOffset() + org.pxlab.runtime.object.Tuples.ITEMS, 0L);
        h.decref(method);
        assertThat(h.inUse()).isEqualTo(baseline);
        gc.validate();
    }

    @Test
    void collectionReentredFromInsideDeleteGarbageDoesNothing() {
        // A refcount probe runs code in the middle of tp_clear: a nested gc.collect and an
        // allocation that crosses threshold0.
        List<Long> nested = new ArrayList<>();
        long[] allocated = new long[3];
        boolean[] armed = new boolean[1];
        CycleCollector collector = new CycleCollector(1, 10, 10);
        GcHeap[] box = new GcHeap[1];
        GcHeap probe = new GcHeap(collector, inner -> new Delegating(inner) {
            @Override
            public boolean decref(long object, ThreadContext thread) {
                if (armed[0]) {
                    armed[0] = false;
                    nested.add(collector.collect(2, thread));
                    for (int i = 0; i < allocated.length; i++) allocated[i] = box[0].newList();
                }
                return super.decref(object, thread);
            }
        });
        box[0] = probe;
        probe.settle();
        int scheduleCalls = probe.site.scheduleCalls;
        long collectionsBefore = collector.statistics().collections();

        long list = probe.newList();
        probe.append(list, list);
        probe.decref(list);
        probe.t.clear(GcHeap.GC_BIT);
        probe.site.scheduleCalls = scheduleCalls = 0;
        armed[0] = true;
        assertThat(collector.collect(2, probe.t)).isEqualTo(1);

        assertThat(nested).containsExactly(0L);
        assertThat(collector.statistics().collections()).isEqualTo(collectionsBefore + 1);
        assertThat(probe.site.scheduleCalls).as("no schedule while collecting").isEqualTo(scheduleCalls);
        for (long o : allocated) assertThat(collector.generationOf(o)).isEqualTo(0);
        assertThat(collector.isScheduled()).isFalse();
        collector.validate();
        for (long o : allocated) probe.decref(o);
        collector.validate();
    }

    // ---------------------------------------------------------------- tracking

    @Test
    void refcountFreesUntrackAndKeepTheListsConsistent() {
        long cls = heap.types().newClass("K", 0, List.of("x"), true, t);
        long key = heap.strings().intern("k", t);
        long baseline = h.inUse();
        long trackedBefore = h.tracked();
        long count0 = gc.generationCount(0);

        long[] objs = new long[60];
        for (int i = 0; i < objs.length; i += 4) {
            objs[i] = h.newList();
            objs[i + 1] = heap.dicts().newDict(t);
            objs[i + 2] = heap.instances().newInstance(cls, t);
            objs[i + 3] = heap.tuples().of(t, heap.newRef(objs[i], t));
            heap.dicts().setItem(heap.instances().dictForStore(objs[i + 2], t), key, objs[i + 1], t);
        }
        assertThat(gc.generationCount(0)).isEqualTo(count0 + 60 + 15); // + the instance dicts
        // free from the middle, the ends, in an odd order; some after a promotion
        gc.collect(0, t);
        for (int i = objs.length - 1; i >= 0; i -= 2) h.decref(objs[i]);
        gc.validate();
        for (int i = 0; i < objs.length; i += 2) h.decref(objs[i]);
        gc.validate();
        assertThat(h.tracked()).isEqualTo(trackedBefore);
        assertThat(h.inUse()).isEqualTo(baseline);
        h.decref(cls);
    }

    @Test
    void trackingATrackedObjectIsRefused() {
        long list = h.newList();
        assertThatThrownBy(() -> gc.track(list, t)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already tracked");
        gc.validate();
        h.decref(list);
    }

    @Test
    void immortalContainersMoveToThePermanentGeneration() {
        assertThat(gc.permanentSize()).as("bootstrap's immortal dicts, modules, built-ins").isPositive();
        long d = heap.dicts().newDict(t);
        heap.spaceOf(d).refcount().makeImmortal(d);
        assertThat(gc.generationOf(d)).isEqualTo(0);
        gc.collect(0, t);
        assertThat(gc.generationOf(d)).isEqualTo(3);
        for (long o : gc.members(3)) assertThat(heap.refcounts().isImmortal(o)).isTrue();
        gc.validate();
    }

    @Test
    void tuplesOfAtomsAreUntrackedAndStillCountedWhenFreed() {
        long trackedBefore = h.tracked();
        long baseline = h.inUse();
        long atoms = heap.tuples().of(t, heap.numbers().newInt(12345, t), heap.strings().newStr("s", t));
        long nested = heap.tuples().of(t, heap.newRef(atoms, t), heap.newRef(heap.types().intType(), t));
        long list = h.newList();
        long holding = heap.tuples().of(t, heap.newRef(list, t));
        assertThat(h.tracked()).isEqualTo(trackedBefore + 4);

        gc.collect(0, t);

        assertThat(CycleCollector.isTracked(atoms)).isFalse();
        assertThat(CycleCollector.isTracked(nested)).as("holds only an untracked tuple and a static type").isFalse();
        assertThat(CycleCollector.isTracked(holding)).as("holds a list").isTrue();
        assertThat(h.tracked()).isEqualTo(trackedBefore + 2);
        gc.validate();

        assertThat(gc.generationCount(0)).isZero();
        long[] fresh = {h.newList(), h.newList(), h.newList()};
        h.decref(nested);
        h.decref(atoms); // PyObject_GC_Del decrements count for untracked objects too
        assertThat(gc.generationCount(0)).isEqualTo(1);
        h.decref(holding);
        h.decref(list);
        for (long o : fresh) h.decref(o);
        assertThat(h.tracked()).isEqualTo(trackedBefore);
        assertThat(h.inUse()).isEqualTo(baseline);
        gc.validate();
    }

    @Test
    void statisticsCountCollectionsVisitsFreesAndPause() {
        CollectorStatistics before = gc.statistics();
        long a = h.newList();
        long b = h.newList();
        h.append(a, b);
        h.append(b, a);
        h.decref(a);
        h.decref(b);
        long kept = h.newList();
        gc.collect(0, t);
        CollectorStatistics after = gc.statistics();
        assertThat(after.collections()).isEqualTo(before.collections() + 1);
        // first pass: a, b, kept; second (handle_resurrected_objects): a, b
        assertThat(after.objectsVisited()).isEqualTo(before.objectsVisited() + 5);
        assertThat(after.objectsFreed()).isEqualTo(before.objectsFreed() + 2);
        assertThat(after.tracked()).isEqualTo(before.tracked() + 1);
        assertThat(after.pauseNanos()).isGreaterThan(before.pauseNanos());
        h.decref(kept);
    }

    @Test
    void aReferenceCountTooSmallForTheReferencesFoundIsReported() {
        org.junit.jupiter.api.Assumptions.assumeTrue(CycleCollector.CHECKS, "debug checks need -Dpxlab.poison=true");
        long a = h.newList();
        long b = h.newList();
        h.append(a, b);
        h.append(a, b);
        // corrupt b's count: 1 where a alone holds 2 references
        Memory.putLong(b + heap.header().offsetOf("ob_refcnt"), 1L);
        assertThatThrownBy(() -> gc.collect(0, t)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("refcount is too small");
        // the heap is left broken on purpose; this test's heap is not used again
    }

    @Test
    void invalidGenerationIsRefused() {
        assertThatThrownBy(() -> gc.collect(3, t)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> gc.collect(-1, t)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSpaceWithoutThePreHeaderIsRefusedAtBind() {
        CycleCollector c = new CycleCollector();
        Space space = new Space("main", 0, new org.pxlab.allocator.MallocAllocator(Long.MAX_VALUE),
                new org.pxlab.refcount.PlainRefCount(), c, true,
                StructLayout.compose(List.of(new HeaderField("gc_next", 8, 0, "x"))));
        Heap other = new Heap(List.of(space), List.of());
        assertThatThrownBy(() -> c.bind(other, new GcHeap.Site())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("gc_prev");
    }

    /** A refcount strategy that forwards everything; tests override what they probe. */
    static class Delegating implements RefCountStrategy {
        private final RefCountStrategy inner;

        Delegating(RefCountStrategy inner) {
            this.inner = inner;
        }

        @Override public List<HeaderField> headerFields() { return inner.headerFields(); }
        @Override public void bind(StructLayout header) { inner.bind(header); }
        @Override public void initialize(long object, ThreadContext thread) { inner.initialize(object, thread); }
        @Override public void incref(long object, ThreadContext thread) { inner.incref(object, thread); }
        @Override public boolean decref(long object, ThreadContext thread) { return inner.decref(object, thread); }
        @Override public long referenceCount(long object) { return inner.referenceCount(object); }
        @Override public void makeImmortal(long object) { inner.makeImmortal(object); }
        @Override public boolean isImmortal(long object) { return inner.isImmortal(object); }
        @Override public boolean isThreadSafe() { return inner.isThreadSafe(); }
    }
}
