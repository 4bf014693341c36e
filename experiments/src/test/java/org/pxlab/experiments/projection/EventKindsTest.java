package org.pxlab.experiments.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pxlab.runtime.config.ComponentRegistry;
import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.layout.HeaderField;
import org.pxlab.runtime.layout.StructLayout;
import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.memory.SystemMalloc;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.projection.MemoryObserver;
import org.pxlab.runtime.spi.Allocator;
import org.pxlab.runtime.spi.Collector;
import org.pxlab.runtime.spi.CollectorSite;
import org.pxlab.runtime.spi.CollectorStatistics;
import org.pxlab.runtime.spi.ComponentKind;
import org.pxlab.runtime.spi.ContextArena;
import org.pxlab.runtime.spi.RefCountStrategy;
import org.pxlab.runtime.spi.SyncDiscipline;
import org.pxlab.runtime.spi.SyncSite;

/**
 * Each event kind, counted by its decorator in a tiny scripted scenario whose expected count
 * is worked out by hand from the script; and each decorator passes on every SPI method.
 */
class EventKindsTest {
    private static final ComponentRegistry REGISTRY = ComponentRegistry.load();
    private final Tally tally = new Tally();
    private final ThreadContext one = new ThreadContext(1, "one", Placement.WORKER);
    private final ThreadContext two = new ThreadContext(2, "two", Placement.WORKER);
    private final List<Long> chunks = new ArrayList<>();

    @BeforeEach
    void observe() {
        assumeTrue(Memory.OBSERVED, "run by the projection-test execution, with -Dpxlab.projection=true");
        Memory.observe(tally.coherence);
    }

    @AfterEach
    void stop() {
        if (Memory.OBSERVED) Memory.observe(MemoryObserver.NONE);
        chunks.forEach(SystemMalloc::free);
    }

    private long object() {
        long o = SystemMalloc.calloc(128);
        chunks.add(o);
        return (o + 63) & ~63L;
    }

    private void as(ThreadContext t) {
        tally.coherence.runAs(t.id());
    }

    private RefCountStrategy refcount(String name) {
        RefCountStrategy s = REGISTRY.create(ComponentKind.REFCOUNT, name, "test", Map.of(), RefCountStrategy.class);
        s.bind(Heap.composeHeader(List.of(s), List.of()));
        return new CountingRefCount(s, tally);
    }

    @Test
    void plainCountsByOwnerAndOther() {
        RefCountStrategy r = refcount("plain");
        long o = object();
        as(one);
        r.initialize(o, one);
        r.incref(o, one);
        r.incref(o, one);
        as(two);
        r.incref(o, two);
        r.decref(o, two);
        r.decref(o, two);
        assertThat(tally.counts.on(1, Event.REFCOUNT_PLAIN_OWNER)).isEqualTo(2);
        assertThat(tally.counts.on(2, Event.REFCOUNT_PLAIN_OTHER)).isEqualTo(3);
        assertThat(tally.counts.total(Event.REFCOUNT_ATOMIC_OWNER) + tally.counts.total(Event.REFCOUNT_ATOMIC_OTHER)).isZero();
        assertThat(r.referenceCount(o)).isEqualTo(1 + 2 + 1 - 2);
    }

    @Test
    void interlockedCountsAtomicByOwnerAndOther() {
        RefCountStrategy r = refcount("interlocked");
        long o = object();
        as(two);
        r.initialize(o, two);
        r.incref(o, two);
        as(one);
        r.incref(o, one);
        r.decref(o, one);
        assertThat(tally.counts.on(2, Event.REFCOUNT_ATOMIC_OWNER)).isEqualTo(1);
        assertThat(tally.counts.on(1, Event.REFCOUNT_ATOMIC_OTHER)).isEqualTo(2);
        assertThat(tally.counts.total(Event.REFCOUNT_PLAIN_OWNER) + tally.counts.total(Event.REFCOUNT_PLAIN_OTHER)).isZero();
    }

    @Test
    void anImmortalObjectsCountWritesNothing() {
        RefCountStrategy r = refcount("interlocked");
        long o = object();
        as(one);
        r.initialize(o, one);
        r.makeImmortal(o);
        r.incref(o, one);
        r.decref(o, one);
        r.incref(o, one);
        assertThat(tally.counts.on(1, Event.REFCOUNT_NO_WRITE)).isEqualTo(3);
        assertThat(tally.counts.on(1, Event.REFCOUNT_ATOMIC_OWNER)).isZero();
    }

    @Test
    void locksAreLocalUntilAnotherCoreTakesThem() {
        SyncDiscipline raw = REGISTRY.create(ComponentKind.SYNC, "per-object-locks", "test", Map.of(), SyncDiscipline.class);
        List<HeaderField> fields = new ArrayList<>(raw.headerFields());
        StructLayout header = Heap.composeHeader(List.of(REGISTRY.create(ComponentKind.REFCOUNT, "interlocked", "test", Map.of(),
                RefCountStrategy.class)), fields);
        raw.bind(header, new SyncSite() {
            @Override public int breakerBit() { return 0; }
            @Override public void schedule(ThreadContext thread) { }
        });
        SyncDiscipline sync = new CountingSync(raw, tally);
        long a = object(), b = object();
        as(one);
        for (int i = 0; i < 3; i++) {                 // 3 local
            sync.lock(a, one);
            sync.unlock(a, one);
        }
        as(two);
        sync.lock(a, two);                            // remote (one took it last)
        sync.unlock(a, two);
        sync.lockPair(a, b, two);                     // a local (two took it last), b local (nobody)
        sync.unlockPair(a, b, two);
        as(one);
        sync.lockPair(b, a, one);                     // both remote
        sync.unlockPair(b, a, one);
        assertThat(tally.counts.total(Event.LOCK_LOCAL)).isEqualTo(3 + 2);
        assertThat(tally.counts.total(Event.LOCK_REMOTE)).isEqualTo(1 + 2);
        tally.finish();
        assertThat(tally.counts.hottestLock()).isEqualTo(6);   // a: 3 + 1 + 1 + 1
    }

    @Test
    void allocationsFreesAndRemoteFreesPerAllocator() {
        Allocator raw = REGISTRY.create(ComponentKind.ALLOCATOR, "size-class-pool", "test", Map.of(), Allocator.class);
        Allocator a = new CountingAllocator(raw, tally, "main:size-class-pool");
        try {
            as(one);
            long x = a.allocate(32, one), y = a.allocate(48, one), z = a.allocate(32, one);
            a.free(x, 32, one);
            as(two);
            long w = a.allocate(32, two);
            a.free(y, 48, two);
            a.freeDelayed(z, 32, two);
            a.free(w, 32, two);
            assertThat(tally.counts.total(Event.ALLOCATION)).isEqualTo(4);
            assertThat(tally.counts.total(Event.FREE)).isEqualTo(4);
            assertThat(tally.counts.on(2, Event.FREE_REMOTE)).isEqualTo(2);
            assertThat(tally.counts.allocators().get("main:size-class-pool")).containsExactly(4, 4, 2);
        } finally {
            raw.release();
        }
    }

    @Test
    void arenaSnapshotsAndRollbacks() {
        ContextArena raw = REGISTRY.create(ComponentKind.ALLOCATOR, "bump-arena", "test", Map.of(), ContextArena.class);
        ContextArena arena = new CountingContextArena(raw, tally, "context:bump-arena");
        try {
            as(one);
            for (int request = 0; request < 5; request++) {
                long s = arena.snapshot();
                arena.allocate(64, one);
                arena.allocate(64, one);
                arena.rollback(s);
                arena.discard(s);
            }
            assertThat(tally.counts.on(1, Event.ARENA_SNAPSHOT)).isEqualTo(5);
            assertThat(tally.counts.on(1, Event.ARENA_ROLLBACK)).isEqualTo(5);
            assertThat(tally.counts.on(1, Event.ALLOCATION)).isEqualTo(10);
        } finally {
            raw.release();
        }
    }

    /** A collector that, per collection, stops the world and visits {@code visits} words. */
    private static final class ScriptedCollector implements Collector {
        long collections, visited, scratch;
        CollectorSite site;
        final int visits;

        ScriptedCollector(long scratch, int visits) {
            this.scratch = scratch;
            this.visits = visits;
        }

        @Override public List<HeaderField> preHeaderFields() { return List.of(); }
        @Override public void bind(Heap heap, CollectorSite s) { site = s; }
        @Override public void track(long object, ThreadContext thread) { }
        @Override public void untrack(long object, ThreadContext thread) { }
        @Override public void poll(ThreadContext thread) { collect(0, thread); }

        @Override
        public long collect(int generation, ThreadContext thread) {
            site.stopTheWorld(thread);
            for (int i = 0; i < visits; i++) Memory.getLong(scratch + 8L * (i % 8));
            collections++;
            visited += visits;
            site.startTheWorld(thread);
            return 0;
        }

        @Override
        public CollectorStatistics statistics() {
            return new CollectorStatistics(collections, visited, 0, 0, 0);
        }
    }

    @Test
    void collectionsVisitsCollectorAccessesAndSafepointWaits() {
        tally.logicalCores(4);
        ScriptedCollector raw = new ScriptedCollector(object(), 7);
        Collector c = new CountingCollector(raw, tally);
        c.bind(null, new CollectorSite() {
            @Override public void scheduleOnAllThreads() { }
            @Override public int breakerBit() { return 2; }
            @Override public void stopTheWorld(ThreadContext requester) { }
            @Override public void startTheWorld(ThreadContext requester) { }
        });
        as(one);
        c.collect(0, one);
        c.poll(one);
        assertThat(tally.counts.on(1, Event.GC_COLLECTION)).isEqualTo(2);
        assertThat(tally.counts.on(1, Event.GC_OBJECT_VISITED)).isEqualTo(14);
        assertThat(tally.counts.on(1, Event.GC_ACCESS)).isEqualTo(14);
        assertThat(tally.counts.on(1, Event.LOAD)).isZero();
        assertThat(tally.counts.on(1, Event.STOP_THE_WORLD)).isEqualTo(2);
        assertThat(tally.counts.on(1, Event.SAFEPOINT_WAIT)).isEqualTo(2 * 3);
    }

    @Test
    void everyDecoratorPassesOnEverySpiMethod() {
        check(CountingAllocator.class, Allocator.class);
        check(CountingContextArena.class, ContextArena.class);
        check(CountingRefCount.class, RefCountStrategy.class);
        check(CountingSync.class, SyncDiscipline.class);
        check(CountingCollector.class, Collector.class);
    }

    /** A default method the decorator does not override would silently change the component's behaviour. */
    private static void check(Class<?> decorator, Class<?> spi) {
        for (Method m : spi.getMethods()) {
            if (Modifier.isStatic(m.getModifiers())) continue;
            Method found;
            try {
                found = decorator.getMethod(m.getName(), m.getParameterTypes());
            } catch (NoSuchMethodException e) {
                throw new AssertionError(decorator.getSimpleName() + " lacks " + m);
            }
            assertThat(found.getDeclaringClass().isInterface())
                    .as("%s passes on %s", decorator.getSimpleName(), m.getName()).isFalse();
        }
    }
}
