package org.pxlab.configurations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pxlab.gc.isolated.CrossHeapReference;
import org.pxlab.gc.isolated.Isolated;
import org.pxlab.gc.isolated.RefcBinaries;
import org.pxlab.runtime.config.ComponentRegistry;
import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.exec.PxRuntime;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.object.TypeKind;

/**
 * The rules of the isolated configurations, each shown on a running runtime: a worker's copy of
 * the main interpreter's state lies wholly in its own heap (deep, sharing and cycles kept,
 * immortals shared) and is independent of its source; requests cross by a complete copy; a
 * store that would make one heap reference another's object is refused, naming the operation
 * and both heaps, and changes nothing; a worker collects its own heap only.
 */
class IsolatedTest {
    private static final ComponentRegistry REGISTRY = GilRuntime.REGISTRY;

    /**
     * Main's module {@code app}: {@code data = {"a": [1000, 2.5, [3000, "deep"]], "b": ("t", b)}},
     * {@code loop = [loop]}, {@code pair = [data, data]} and a function {@code f} over it. Returns
     * {@code f}, the interned keys {@code data, loop, pair, a}.
     */
    private static long[] setUp(PxRuntime rt) {
        return rt.onMain(m -> {
            Heap h = m.heap();
            ThreadContext t = m.thread();
            long mod = m.define().module("app");
            long inner = h.lists().newList(0, t);
            h.lists().appendTake(inner, h.numbers().newInt(3000, t), t);
            h.lists().appendTake(inner, h.strings().newStr("deep", t), t);
            long a = h.lists().newList(0, t);
            h.lists().appendTake(a, h.numbers().newInt(1000, t), t);
            h.lists().appendTake(a, h.numbers().newFloat(2.5, t), t);
            h.lists().appendTake(a, inner, t);
            long data = h.dicts().newDict(t);
            long keyA = h.strings().intern("a", t);
            h.dicts().setItemTake2(data, keyA, a, t);
            h.dicts().setItemTake2(data, h.strings().newStr("b", t),
                    h.tuples().of(t, h.strings().newStr("t", t), h.blobs().newBlob(3, t)), t);
            m.define().global(mod, "data", data);
            long loop = h.lists().newList(0, t);
            h.lists().append(loop, loop, t);
            m.define().global(mod, "loop", loop);
            long pair = h.lists().newList(0, t);
            h.lists().append(pair, data, t);
            h.lists().append(pair, data, t);
            m.define().global(mod, "pair", pair);
            long f = m.define().function(mod, "f", 1, 1, new Object[] {}, new String[] {}, b -> {
                b.loadFast(0);
                b.returnValue();
            });
            return new long[] {f, h.strings().intern("data", t), h.strings().intern("loop", t), h.strings().intern("pair", t), keyA};
        });
    }

    private static long global(Heap h, long function, long key) {
        return h.dicts().getItem(org.pxlab.runtime.memory.Memory.getLong(function + h.bodyOffset()
                + org.pxlab.runtime.object.Functions.FUNC_GLOBALS), key);
    }

    /** The objects reachable from {@code root} that are neither immortal nor in heap {@code space}. */
    private static Set<Long> foreignReachable(Heap h, long root, int space) {
        Set<Long> foreign = new HashSet<>();
        for (long o : reachable(h, root)) if (h.spaceOf(o).index() != space) foreign.add(o);
        return foreign;
    }

    @ParameterizedTest
    @ValueSource(strings = {"subinterpreters", "multiprocessing", "actors"})
    void aWorkersCopyLiesInItsOwnHeapKeepsSharingAndCyclesAndIsIndependent(String configuration) {
        try (PxRuntime rt = PxRuntime.start(REGISTRY.assemble(configuration))) {
            Heap h = rt.heap();
            long[] s = setUp(rt);
            long f = s[0], dataKey = s[1], loopKey = s[2], pairKey = s[3], aKey = s[4];
            long mainReachable = rt.onMain(m -> (long) reachable(h, f).size());
            rt.runWorkers(1, Placement.WORKER, (m, w) -> {
                ThreadContext t = m.thread();
                long copy = rt.sync().handlerFor(f, t);
                assertThat(copy).isNotEqualTo(f);
                assertThat(h.spaceOf(copy).index()).isEqualTo(t.id()).isEqualTo(t.allocationSpace());
                assertThat(rt.sync().handlerFor(f, t)).as("made once").isEqualTo(copy);
                assertThat(foreignReachable(h, copy, t.allocationSpace())).as("objects of other heaps reachable from the copy").isEmpty();
                assertThat(reachable(h, copy)).as("a complete copy: as many objects as the original reaches").hasSize((int) mainReachable);
                long data = global(h, copy, dataKey);
                long pair = global(h, copy, pairKey);
                assertThat(h.lists().getItem(pair, 0)).as("sharing kept").isEqualTo(data).isEqualTo(h.lists().getItem(pair, 1));
                long loop = global(h, copy, loopKey);
                assertThat(h.lists().getItem(loop, 0)).as("a cycle closes on the copy").isEqualTo(loop);
                long inner = h.lists().getItem(h.dicts().getItem(data, aKey), 2);
                assertThat(h.strings().toJava(h.lists().getItem(inner, 1))).isEqualTo("deep");
                // Mutate the copy: the original does not change.
                h.lists().appendTake(inner, h.numbers().newInt(4000, t), t);
                assertThat(h.lists().size(inner)).isEqualTo(3);
            });
            rt.onMain(m -> {
                long inner = h.lists().getItem(h.dicts().getItem(global(h, f, dataKey), aKey), 2);
                assertThat(h.lists().size(inner)).as("the source after its copy changed").isEqualTo(2);
                // Mutate the source: the copy does not change.
                h.lists().appendTake(inner, h.numbers().newInt(5000, m.thread()), m.thread());
                return null;
            });
            rt.runWorkers(1, Placement.WORKER, (m, w) -> {
                long copy = rt.sync().handlerFor(f, m.thread());
                long inner = h.lists().getItem(h.dicts().getItem(global(h, copy, dataKey), aKey), 2);
                assertThat(h.lists().size(inner)).as("the copy after its source changed").isEqualTo(3);
                assertThat(h.numbers().intValue(h.lists().getItem(inner, 2))).isEqualTo(4000);
            });
        }
    }

    /** The objects reachable from {@code root}, immortal ones left out. */
    private static Set<Long> reachable(Heap h, long root) {
        Set<Long> seen = new HashSet<>();
        java.util.ArrayDeque<Long> todo = new java.util.ArrayDeque<>();
        todo.add(root);
        while (!todo.isEmpty()) {
            long o = todo.poll();
            if (h.spaceOf(o).refcount().isImmortal(o) || !seen.add(o)) continue;
            h.traverse(o, todo::add);
        }
        return seen;
    }

    @ParameterizedTest
    @ValueSource(strings = {"subinterpreters", "multiprocessing", "actors"})
    void aRequestCrossesByACompleteDeepCopyAndTheOriginalIsReleased(String configuration) {
        try (PxRuntime rt = PxRuntime.start(REGISTRY.assemble(configuration))) {
            Heap h = rt.heap();
            rt.runWorkers(1, Placement.WORKER, (m, w) -> {
                ThreadContext t = m.thread();
                rt.sync().beginRequest(t);
                try {
                    assertThat(t.allocationSpace()).as("a request is made on the main interpreter's side").isZero();
                    long inner = h.lists().newList(0, t);
                    h.lists().appendTake(inner, h.strings().newStr("x", t), t);
                    long d = h.dicts().newDict(t);
                    h.dicts().setItemTake2(d, h.strings().newStr("k", t), inner, t);
                    long message = h.tuples().of(t, d, h.numbers().newInt(123456, t));
                    long mainBefore = h.space(0).allocator().statistics().inUse();
                    long mainAllocations = h.space(0).allocator().statistics().allocations();
                    long copy = rt.sync().receive(message, t);
                    assertThat(h.space(0).allocator().statistics().allocations() - mainAllocations)
                            .as("multiprocessing pickles the message into a buffer in the sender's heap; the others copy it")
                            .isEqualTo(configuration.equals("multiprocessing") ? 1 : 0);
                    assertThat(t.allocationSpace()).isEqualTo(t.id());
                    assertThat(foreignReachable(h, copy, t.id())).as("objects of other heaps reachable from the copy").isEmpty();
                    assertThat(reachable(h, copy)).as("tuple, dict, key, list, str, int").hasSize(6);
                    assertThat(h.space(0).allocator().statistics().inUse()).as("the original released").isLessThan(mainBefore);
                    long dc = h.tuples().getItem(copy, 0);
                    long listCopy = h.dicts().getItem(dc, h.dicts().entryKey(dc, firstEntry(h, dc)));
                    assertThat(h.strings().toJava(h.lists().getItem(listCopy, 0))).isEqualTo("x");
                    assertThat(h.numbers().intValue(h.tuples().getItem(copy, 1))).isEqualTo(123456);
                    h.decref(copy, t);
                } finally {
                    rt.sync().endRequest(t);
                }
            });
        }
    }

    private static long firstEntry(Heap h, long dict) {
        for (long i = 0; ; i++) if (h.dicts().entryKey(dict, i) != 0) return i;
    }

    @ParameterizedTest
    @ValueSource(strings = {"subinterpreters", "multiprocessing", "actors"})
    void aCrossHeapReferenceIsRefusedNamingTheOperationAndBothHeapsAndChangesNothing(String configuration) {
        try (PxRuntime rt = PxRuntime.start(REGISTRY.assemble(configuration))) {
            Heap h = rt.heap();
            long[] main = rt.onMain(m -> {
                long list = h.lists().newList(0, m.thread());
                long str = h.strings().newStr("main's", m.thread());
                m.define().global(m.define().module("held"), "list", list);
                m.define().global(m.define().module("held2"), "str", str);
                return new long[] {list, str};
            });
            long strCount = h.referenceCount(main[1]);
            String worker = h.space(1).name();
            assertThat(worker).endsWith("-1");
            rt.runWorkers(1, Placement.WORKER, (m, w) -> {
                ThreadContext t = m.thread();
                long own = h.lists().newList(0, t);
                assertThatThrownBy(() -> h.lists().append(own, main[1], t)).isInstanceOf(CrossHeapReference.class)
                        .hasMessageContaining("list.append").hasMessageContaining("heap main")
                        .hasMessageContaining("heap " + worker).hasMessageStartingWith("TypeError");
                assertThat(h.lists().size(own)).isZero();
                assertThatThrownBy(() -> h.lists().append(main[0], h.types().none(), t)).isInstanceOf(CrossHeapReference.class)
                        .hasMessageContaining("list.append").hasMessageContaining("heap main").hasMessageContaining("heap " + worker);
                h.decref(own, t);
            });
            assertThat(h.referenceCount(main[1])).as("the refused store took no reference").isEqualTo(strCount);
            assertThat((long) rt.onMain(m -> h.lists().size(main[0]))).isZero();
            assertThat(((Isolated) rt.sync()).toString()).contains("8 worker heaps");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"subinterpreters", "multiprocessing", "actors"})
    void aWorkerCollectsItsOwnHeapOnly(String configuration) {
        try (PxRuntime rt = PxRuntime.start(REGISTRY.assemble(configuration))) {
            Heap h = rt.heap();
            long mainCollections = h.space(0).collector().statistics().collections();
            AtomicLong freed = new AtomicLong();
            rt.runWorkers(1, Placement.WORKER, (m, w) -> {
                ThreadContext t = m.thread();
                long a = h.lists().newList(0, t), b = h.lists().newList(0, t);
                h.lists().append(a, b, t);
                h.lists().append(b, a, t);
                h.decref(a, t);
                h.decref(b, t);
                freed.set(m.gcCollect(2));
            });
            assertThat(freed.get()).as("the worker's cycle, collected in its heap").isEqualTo(2);
            assertThat(h.space(0).collector().statistics().collections()).as("main's collector untouched").isEqualTo(mainCollections);
            assertThat(h.space(1).collector().statistics().collections()).isPositive();
        }
    }

    // ---- actors: refc binaries ----

    /**
     * Two handles to one 100-byte binary, released in the given order: the bytes stay (and are
     * not copied: both handles point at them) until the last handle goes, then are freed once.
     * A 64-byte blob stays in the heap.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aBinaryIsFreedExactlyOnceWithItsLastHandle(boolean originalFirst) {
        try (PxRuntime rt = PxRuntime.start(REGISTRY.assemble("actors"))) {
            Heap h = rt.heap();
            RefcBinaries binaries = (RefcBinaries) h.offHeapBinaries();
            rt.runWorkers(1, Placement.WORKER, (m, w) -> {
                ThreadContext t = m.thread();
                long small = h.blobs().newBlob(64, t);
                assertThat(h.blobs().offHeap(small)).as("64 bytes stay on the heap").isFalse();
                assertThat(binaries.statistics().allocations()).isZero();
                long blob = h.blobs().newBlob(100, t);
                assertThat(h.blobs().offHeap(blob)).isTrue();
                assertThat(h.spaceOf(blob).index()).as("the handle lives in the actor's heap").isEqualTo(t.id());
                long data = h.blobs().data(blob);
                org.pxlab.runtime.memory.Memory.putByte(data + 99, (byte) 42);
                long copy = h.copies().copy(blob, t);
                assertThat(copy).as("a handle per holder").isNotEqualTo(blob);
                assertThat(h.blobs().data(copy)).as("the bytes are shared, not copied").isEqualTo(data);
                assertThat(h.blobs().size(copy)).isEqualTo(100);
                assertThat(binaries.handles(data)).isEqualTo(2);
                h.decref(originalFirst ? blob : copy, t);
                assertThat(binaries.statistics().frees()).as("one handle left: not freed").isZero();
                assertThat(binaries.handles(data)).isEqualTo(1);
                assertThat(org.pxlab.runtime.memory.Memory.getByte(data + 99)).isEqualTo((byte) 42);
                h.decref(originalFirst ? copy : blob, t);
                assertThat(binaries.statistics().frees()).as("freed with the last handle, once").isEqualTo(1);
                assertThat(binaries.statistics().allocations()).isEqualTo(1);
                assertThat(binaries.statistics().inUse()).isZero();
                h.decref(small, t);
            });
        }
    }

    /** A binary sent from main to an actor crosses as a new handle to the same bytes; main's handle is released. */
    @org.junit.jupiter.api.Test
    void aBinarySentToAnActorCrossesAsAHandle() {
        try (PxRuntime rt = PxRuntime.start(REGISTRY.assemble("actors"))) {
            Heap h = rt.heap();
            RefcBinaries binaries = (RefcBinaries) h.offHeapBinaries();
            rt.runWorkers(1, Placement.WORKER, (m, w) -> {
                ThreadContext t = m.thread();
                rt.sync().beginRequest(t);
                try {
                    long sent = h.blobs().newBlob(1000, t);
                    assertThat(h.spaceOf(sent).index()).isZero();
                    long data = h.blobs().data(sent);
                    long got = rt.sync().receive(sent, t);
                    assertThat(h.spaceOf(got).index()).isEqualTo(t.id());
                    assertThat(h.blobs().data(got)).isEqualTo(data);
                    assertThat(binaries.handles(data)).as("main's handle released").isEqualTo(1);
                    h.decref(got, t);
                    assertThat(binaries.statistics().frees()).isEqualTo(1);
                } finally {
                    rt.sync().endRequest(t);
                }
            });
        }
    }

    /** A ninth worker has no heap: refused at its first request, naming the limit; the other eight serve. */
    @org.junit.jupiter.api.Test
    void moreWorkersThanHeapsAreRefused() {
        try (PxRuntime rt = PxRuntime.start(REGISTRY.assemble("subinterpreters"))) {
            assertThatThrownBy(() -> rt.runWorkers(9, Placement.WORKER, (m, w) -> {
                rt.sync().beginRequest(m.thread());
                rt.sync().endRequest(m.thread());
            }))
                    .hasMessageContaining("thread 9").hasMessageContaining("8 worker heaps");
        }
    }
}
