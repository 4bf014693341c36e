package org.pxlab.configurations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.Test;
import org.pxlab.runtime.config.ComponentRegistry;
import org.pxlab.runtime.config.ConfigurationDeclaration;
import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.exec.Mutator;
import org.pxlab.runtime.exec.PxRuntime;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.object.AttributeAccess;
import org.pxlab.runtime.object.Dicts;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.object.Lists;
import org.pxlab.runtime.object.PersistenceViolation;
import org.pxlab.runtime.object.PyException;
import org.pxlab.runtime.object.TypeKind;
import org.pxlab.runtime.spi.StoreOperation;
import org.pxlab.runtime.spi.SyncDiscipline;

/**
 * The rules of {@code split-brain}, each shown on a running runtime: the guard refuses every
 * persisting store and the refused store changes nothing; the faithful guard lets a dict insert
 * through and leaves a dangling reference; protected stores and calls into main work from two
 * workers at once; parallel code counts nothing; collection is main-only and never touches a
 * parallel object; map mode copies results into the main heap.
 */
class SplitBrainTest {
    private static final ComponentRegistry REGISTRY = GilRuntime.REGISTRY;

    private static PxRuntime start() {
        return PxRuntime.start(REGISTRY.assemble("split-brain"));
    }

    private static PxRuntime startFaithful() {
        ConfigurationDeclaration d = REGISTRY.configuration("split-brain");
        ConfigurationDeclaration faithful = new ConfigurationDeclaration("split-brain-faithful", d.description(), d.version(),
                d.sync(), java.util.Map.of("guard", "faithful"), d.spaces(), d.placements(), d.interpreterWorkNanos(), d.unsafe());
        return PxRuntime.start(REGISTRY.assemble(faithful));
    }

    /** Runs {@code body} on one worker, inside a connection and a request of its context. */
    private static void inRequest(PxRuntime rt, java.util.function.Consumer<Mutator> body) {
        rt.runWorkers(1, Placement.WORKER, (m, w) -> inRequest(m, body));
    }

    private static void inRequest(Mutator m, java.util.function.Consumer<Mutator> body) {
        SyncDiscipline sync = m.runtime().sync();
        ThreadContext t = m.thread();
        sync.beginConnection(t);
        try {
            sync.beginRequest(t);
            try {
                body.accept(m);
            } finally {
                sync.endRequest(t);
            }
        } finally {
            sync.endConnection(t);
        }
    }

    /** The bytes of an object (header and body) and of its items or keys block. */
    private static byte[] image(Heap heap, long o) {
        long size = heap.blockSize(o) - (heap.kindOf(o).container() ? heap.spaceOf(o).preHeaderSize() : 0);
        byte[] own = Memory.toArray(o, (int) size);
        long aux = 0, auxSize = 0;
        if (heap.kindOf(o) == TypeKind.LIST) {
            aux = Memory.getLong(o + heap.bodyOffset() + Lists.ITEMS);
            auxSize = 8 * Memory.getLong(o + heap.bodyOffset() + Lists.ALLOCATED);
        } else if (heap.kindOf(o) == TypeKind.DICT) {
            aux = Memory.getLong(o + heap.bodyOffset() + Dicts.KEYS);
            auxSize = Dicts.keysBlockSize(Long.numberOfTrailingZeros(heap.dicts().tableSize(o)));
        }
        byte[] all = new byte[own.length + (int) auxSize];
        System.arraycopy(own, 0, all, 0, own.length);
        if (aux != 0) System.arraycopy(Memory.toArray(aux, (int) auxSize), 0, all, own.length, (int) auxSize);
        return all;
    }

    // ---- the complete guard ----

    @Test
    void everyPersistingStoreIsRefusedNamingBothObjectsAndChangesNothing() {
        try (PxRuntime rt = start()) {
            Heap h = rt.heap();
            long[] main = rt.onMain(m -> {
                ThreadContext t = m.thread();
                long mod = m.define().module("app");
                long list = h.lists().newList(0, t);
                h.lists().appendTake(list, h.strings().newStr("kept", t), t);
                long roomy = h.dicts().newDict(t);
                h.dicts().setItemTake2(roomy, h.strings().newStr("k", t), h.strings().newStr("v", t), t);
                long full = h.dicts().newDict(t);
                // A fresh table of 8 has room for 5 (USABLE_FRACTION): the sixth insert must resize it.
                for (int i = 0; i < 5; i++) h.dicts().setItemTake2(full, h.numbers().newInt(1000 + i, t), h.numbers().newInt(i, t), t);
                long cls = m.define().klass(mod, "Point", 0, List.of("x"), true);
                long point = h.instances().newInstance(cls, t);
                m.define().global(mod, "list", list);
                m.define().global(mod, "roomy", roomy);
                m.define().global(mod, "full", full);
                m.define().global(mod, "point", point);
                return new long[] {list, roomy, full, point, h.strings().intern("x", t), h.strings().intern("y", t)};
            });
            long list = main[0], roomy = main[1], full = main[2], point = main[3], x = main[4], y = main[5];
            List<String> refused = new ArrayList<>();
            inRequest(rt, m -> {
                ThreadContext t = m.thread();
                long p = h.strings().newStr("parallel", t);
                long key = h.strings().newStr("new-key", t);
                long mainValue = h.lists().getItem(list, 0);
                long kept = h.referenceCount(mainValue);
                record(refused, h, list, p, StoreOperation.LIST_APPEND, () -> h.lists().append(list, p, t));
                record(refused, h, list, p, StoreOperation.LIST_SET_ITEM, () -> h.lists().setItemTake(list, 0, p, t));
                record(refused, h, list, mainValue, StoreOperation.LIST_APPEND, () -> h.lists().append(list, mainValue, t));
                record(refused, h, list, 0, StoreOperation.LIST_REMOVE, () -> h.lists().pop(list, 0, t));
                record(refused, h, roomy, p, StoreOperation.DICT_INSERT, () -> h.dicts().setItem(roomy, key, p, t));
                record(refused, h, roomy, p, StoreOperation.DICT_REPLACE,
                        () -> h.dicts().setItem(roomy, h.strings().newStr("k", t), p, t));
                record(refused, h, full, p, StoreOperation.DICT_INSERT_RESIZE, () -> h.dicts().setItem(full, key, p, t));
                record(refused, h, roomy, 0, StoreOperation.DICT_CLEAR, () -> h.dicts().clear(roomy, t));
                record(refused, h, point, p, StoreOperation.ATTRIBUTE_SLOT, () -> AttributeAccess.setAttrTake(h, point, x, p, t));
                record(refused, h, point, 0, StoreOperation.INSTANCE_DICT, () -> AttributeAccess.setAttrTake(h, point, y, p, t));
                assertThat(h.referenceCount(mainValue)).as("count of the main item after the refusals").isEqualTo(kept);
            });
            assertThat(refused).hasSize(10);
        }
    }

    @Test
    void theMainThreadMayNotPersistAParallelObjectEither() throws Exception {
        try (PxRuntime rt = start()) {
            Heap h = rt.heap();
            AtomicLong parallelObject = new AtomicLong();
            CountDownLatch made = new CountDownLatch(1), checked = new CountDownLatch(1);
            Thread worker = new Thread(() -> rt.runWorkers(1, Placement.WORKER, (m, w) -> inRequest(m, mm -> {
                parallelObject.set(h.strings().newStr("p", mm.thread()));
                made.countDown();
                rt.detach(mm.thread());
                try {
                    checked.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                } finally {
                    rt.attach(mm.thread());
                }
            })));
            worker.start();
            made.await();
            try {
                // BUILD_TUPLE on main from a parallel item (the context is alive, its request in flight).
                long mainInUse = h.space(0).allocator().statistics().inUse();
                assertThatThrownBy(() -> rt.onMain(m -> {
                    m.enterModule(h.types().builtinsModule(), 0);
                    try {
                        m.pushNew(parallelObject.get());
                        m.buildTuple(1);
                        return m.popOwned();
                    } finally {
                        m.exitFrame();
                    }
                })).isInstanceOfSatisfying(PersistenceViolation.class, e -> {
                    assertThat(e.operation()).isEqualTo(StoreOperation.TUPLE_BUILD);
                    assertThat(e.value()).isEqualTo(parallelObject.get());
                    assertThat(e.getMessage()).contains(Long.toHexString(parallelObject.get())).contains("persist");
                });
                assertThat(h.space(0).allocator().statistics().inUse()).as("main heap after the refused tuple").isEqualTo(mainInUse);
            } finally {
                checked.countDown();
                worker.join();
            }
        }
    }

    // ---- faithful: PyParallel's hole ----

    @Test
    void theFaithfulGuardLetsADictInsertThroughAndTheCollectorNeverTouchesTheParallelObject() throws Exception {
        try (PxRuntime rt = startFaithful()) {
            Heap h = rt.heap();
            long[] mainObjects = rt.onMain(m -> {
                long d = h.dicts().newDict(m.thread());
                long l = h.lists().newList(0, m.thread());
                long mod = m.define().module("app");
                m.define().global(mod, "d", d);
                m.define().global(mod, "l", l);
                return new long[] {d, l, h.strings().intern("leak", m.thread())};
            });
            long dict = mainObjects[0], list = mainObjects[1], key = mainObjects[2];
            AtomicLong leaked = new AtomicLong();
            CountDownLatch stored = new CountDownLatch(1), collected = new CountDownLatch(1);
            Thread worker = new Thread(() -> rt.runWorkers(1, Placement.WORKER, (m, w) -> inRequest(m, mm -> {
                ThreadContext t = mm.thread();
                long p = h.lists().newList(0, t); // a parallel container: no GC pre-header, never tracked
                h.lists().appendTake(p, h.strings().newStr("x", t), t);
                // PyParallel's own guard catches a parallel item in a main list ...
                assertThatThrownBy(() -> h.lists().append(list, p, t)).isInstanceOf(PersistenceViolation.class)
                        .hasMessageContaining("PyParallel refuses a parallel item in a main list");
                // ... but not a dict insert that needs no resize.
                h.dicts().setItem(dict, key, p, t);
                leaked.set(p);
                stored.countDown();
                rt.detach(t);
                try {
                    collected.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                } finally {
                    rt.attach(t);
                }
            })));
            worker.start();
            stored.await();
            long p = leaked.get();
            try {
                // The main thread collects while the main dict references the live parallel list.
                long before = h.space(0).collector().statistics().collections();
                int span = 16 + (int) h.blockSize(p);
                byte[] around = Memory.toArray(p - 16, span);
                rt.onMain(m -> m.gcCollect(2));
                assertThat(h.space(0).collector().statistics().collections()).as("collections").isGreaterThan(before);
                assertThat(Memory.toArray(p - 16, span)).as("the parallel list and the 16 bytes before it after a collection")
                        .isEqualTo(around);
            } finally {
                collected.countDown();
                worker.join();
            }
            // The request has been rolled back: the main dict now holds a dangling reference.
            long value = rt.onMain(m -> h.dicts().getItem(dict, key));
            assertThat(value).as("the dict still holds the parallel address").isEqualTo(p);
            assertThat(h.typeOf(p)).as("the type word of the rolled-back object (zeroed by the rollback)").isZero();
        }
    }

    // ---- protect, callIntoMain, map ----

    @Test
    void protectedStoresFromTwoWorkersAtOnceCopyIntoTheMainHeap() {
        try (PxRuntime rt = start()) {
            Heap h = rt.heap();
            final int perWorker = 200;
            long[] main = rt.onMain(m -> {
                long d = h.dicts().newDict(m.thread());
                long mod = m.define().module("app");
                m.define().global(mod, "counts", d);
                m.protect(d);
                return new long[] {d, h.strings().newStr("shared value", m.thread())};
            });
            long counts = main[0], mainValue = main[1];
            long mainCountBefore = h.referenceCount(mainValue);
            rt.runWorkers(2, Placement.WORKER, (m, w) -> {
                for (int i = 0; i < perWorker; i++) {
                    int n = i;
                    inRequest(m, mm -> {
                        ThreadContext t = mm.thread();
                        long key = h.strings().newStr("w" + w + "-" + n, t);
                        h.dicts().setItem(counts, key, h.numbers().newInt(1_000_000L * w + n + 1_000, t), t);
                        h.dicts().setItem(counts, h.strings().newStr("total", t), h.numbers().newInt(n, t), t); // replace
                    });
                }
                inRequest(m, mm -> h.dicts().setItem(counts, h.strings().newStr("main-" + w, mm.thread()), mainValue, mm.thread()));
            });
            rt.onMain(m -> {
                assertThat(h.dicts().size(counts)).as("entries").isEqualTo(2L * perWorker + 1 + 2);
                for (int w = 0; w < 2; w++) {
                    for (int i = 0; i < perWorker; i++) {
                        long key = h.strings().newStr("w" + w + "-" + i, m.thread());
                        long v = h.dicts().getItem(counts, key);
                        assertThat(v).as("w%d-%d", w, i).isNotZero();
                        assertThat(h.spaceOf(v).name()).isEqualTo("main");
                        assertThat(h.numbers().intValue(v)).isEqualTo(1_000_000L * w + i + 1_000);
                        assertThat(h.referenceCount(v)).as("count of a copied value").isEqualTo(1);
                        h.decref(key, m.thread());
                    }
                }
                return null;
            });
            assertThat(h.referenceCount(mainValue)).as("a main value stored from parallel code gains the dict's references")
                    .isEqualTo(mainCountBefore + 2);
        }
    }

    /**
     * Parallel code replacing a protected dict's value under a <em>main</em> key object (a
     * constant or a global it loaded, its increment elided): the dict drops the passed key's
     * reference as main, which must not take a reference the key never got. Without the guard's
     * adjustment every such store cost the key one count, and the key was freed while the dict
     * still held it (found by the stress test {@code ProtectedStoresFromTwoContexts}).
     */
    @Test
    void aProtectedReplaceUnderAMainKeyLeavesTheKeysCountAsItWas() {
        try (PxRuntime rt = start()) {
            Heap h = rt.heap();
            long[] main = rt.onMain(m -> {
                ThreadContext t = m.thread();
                long d = h.dicts().newDict(t);
                long mod = m.define().module("app");
                m.define().global(mod, "table", d);
                long key = h.strings().newStr("hits", t);
                m.define().global(mod, "KEY", key);
                h.dicts().setItem(d, key, h.numbers().newInt(0, t), t);
                m.protect(d);
                return new long[] {d, key};
            });
            long table = main[0], key = main[1];
            long before = h.referenceCount(key);
            for (int i = 0; i < 50; i++) {
                int n = i;
                inRequest(rt, m -> h.dicts().setItem(table, key, h.numbers().newInt(n + 1, m.thread()), m.thread()));
            }
            assertThat(h.referenceCount(key)).as("the main key's count after 50 replaces from parallel code")
                    .isEqualTo(before);
            long v = rt.onMain(m -> h.dicts().getItem(table, key));
            assertThat(h.numbers().intValue(v)).isEqualTo(50);
            assertThat(h.spaceOf(v).name()).isEqualTo("main");
        }
    }

    /**
     * A protected slot store from parallel code releases the old value as main, inside the
     * instance's critical section: released after the section, its decrement would be elided and
     * the old value would leak.
     */
    @Test
    void aProtectedSlotStoreReleasesTheOldValueAsMain() {
        try (PxRuntime rt = start()) {
            Heap h = rt.heap();
            long[] main = rt.onMain(m -> {
                ThreadContext t = m.thread();
                long mod = m.define().module("app");
                long cls = m.define().klass(mod, "Box", 0, List.of("x"), false);
                long box = h.instances().newInstance(cls, t);
                m.define().global(mod, "box", box);
                long old = h.strings().newStr("old value", t);
                h.incref(old, t); // one reference for the test, one for the slot
                AttributeAccess.setAttrTake(h, box, h.strings().intern("x", t), old, t);
                m.protect(box);
                return new long[] {box, old, h.strings().intern("x", t)};
            });
            long box = main[0], old = main[1], x = main[2];
            long before = h.referenceCount(old);
            inRequest(rt, m -> AttributeAccess.setAttrTake(h, box, x, h.strings().newStr("new value", m.thread()), m.thread()));
            assertThat(h.referenceCount(old)).as("the old value's count after the slot dropped it").isEqualTo(before - 1);
            long now = h.instances().slot(box, 0);
            assertThat(h.spaceOf(now).name()).isEqualTo("main");
            assertThat(h.strings().toJava(now)).isEqualTo("new value");
        }
    }

    @Test
    void callIntoMainFromTwoWorkersAtOnceRunsOnMainAndCopiesBothWays() {
        try (PxRuntime rt = start()) {
            Heap h = rt.heap();
            final int perWorker = 100;
            long[] fn = rt.onMain(m -> {
                long mod = m.define().module("calls");
                long log = h.lists().newList(0, m.thread());
                m.define().global(mod, "log", log);
                long record = m.define().function(mod, "record", 1, 1, new Object[0], new String[] {"log", "append"}, b -> {
                    b.loadGlobal(0, false); // log.append(x); return x
                    b.loadMethod(1);
                    b.loadFast(0);
                    b.call(1);
                    b.popTop();
                    b.loadFast(0);
                    b.returnValue();
                });
                return new long[] {record, log};
            });
            long record = fn[0], log = fn[1];
            rt.runWorkers(2, Placement.WORKER, (m, w) -> {
                m.enterModule(h.types().builtinsModule(), 0);
                for (int i = 0; i < perWorker; i++) {
                    int n = i;
                    inRequest(m, mm -> {
                        ThreadContext t = mm.thread();
                        long arg = h.strings().newStr("w" + w + "-" + n, t);
                        long back = mm.callIntoMain(record, arg, true);
                        assertThat(h.spaceOf(back).name()).as("the result lives in the caller's context").isEqualTo("context");
                        assertThat(h.strings().toJava(back)).isEqualTo("w" + w + "-" + n);
                        mm.callIntoMain(record, h.strings().newStr("async-w" + w + "-" + n, t), false);
                    });
                }
                m.exitFrame();
            });
            List<String> logged = rt.onMain(m -> {
                List<String> out = new ArrayList<>();
                for (long i = 0; i < h.lists().size(log); i++) {
                    long item = h.lists().getItem(log, i);
                    assertThat(h.spaceOf(item).name()).as("logged item %d", i).isEqualTo("main");
                    out.add(h.strings().toJava(item));
                }
                return out;
            });
            List<String> expected = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                for (int i = 0; i < perWorker; i++) {
                    expected.add("w" + w + "-" + i);
                    expected.add("async-w" + w + "-" + i);
                }
            }
            assertThat(logged).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    @Test
    void mapModeCopiesEachResultIntoTheMainHeapAndRollsEveryContextBack() {
        try (PxRuntime rt = start()) {
            Heap h = rt.heap();
            List<Long> values = rt.onMain(m -> {
                ThreadContext t = m.thread();
                long mod = m.define().module("fan");
                long square = m.define().function(mod, "square", 1, 1, new Object[0], new String[0], b -> {
                    b.loadFast(0);
                    b.loadFast(0);
                    b.binaryMultiplyInt();
                    b.returnValue();
                });
                long items = h.lists().newList(0, t);
                for (int i = 0; i < 100; i++) h.lists().appendTake(items, h.numbers().newInt(1000 + i, t), t);
                long results = m.mapInParallel(square, items, 2);
                List<Long> out = new ArrayList<>();
                for (long i = 0; i < h.lists().size(results); i++) {
                    long r = h.lists().getItem(results, i);
                    assertThat(h.spaceOf(r).name()).as("result %d", i).isEqualTo("main");
                    out.add(h.numbers().intValue(r));
                }
                h.decref(results, t);
                h.decref(items, t);
                return out;
            });
            for (int i = 0; i < 100; i++) assertThat(values.get(i)).isEqualTo((1000L + i) * (1000L + i));
            assertThat(h.space(1).allocator().statistics().inUse()).as("context arenas in use after the map").isZero();
        }
    }

    // ---- contexts ----

    @Test
    void copyOnAssignKeepsScalarsInTheConnectionHeapAndRefusesContainers() {
        try (PxRuntime rt = start()) {
            Heap h = rt.heap();
            rt.runWorkers(1, Placement.WORKER, (m, w) -> {
                ThreadContext t = m.thread();
                SyncDiscipline sync = rt.sync();
                sync.beginConnection(t);
                long state = h.dicts().newDict(t); // connection state: allocated outside any request
                for (int r = 0; r < 3; r++) {
                    sync.beginRequest(t);
                    long key = h.strings().newStr("last", t);
                    h.dicts().setItem(state, key, h.strings().newStr("request " + r, t), t);
                    long list = h.lists().newList(0, t);
                    assertThatThrownBy(() -> h.dicts().setItem(state, h.strings().newStr("list", t), list, t))
                            .isInstanceOf(PersistenceViolation.class).hasMessageContaining("connection's state");
                    sync.endRequest(t);
                    long kept = h.dicts().getItem(state, h.strings().newStr("last", t)); // (a lookup key, outside any request)
                    assertThat(h.strings().toJava(kept)).as("the copied value after request %d rolled back", r).isEqualTo("request " + r);
                }
                assertThat(h.dicts().size(state)).isEqualTo(1);
                sync.endConnection(t);
            });
        }
    }

    @Test
    void parallelCodeCountsNothingAndCannotAllocateOutsideAContextOrCollect() {
        try (PxRuntime rt = start()) {
            Heap h = rt.heap();
            long shared = rt.onMain(m -> {
                long s = h.strings().newStr("shared", m.thread());
                m.define().global(m.define().module("app"), "s", s);
                return s;
            });
            byte[] before = Memory.toArray(shared, (int) h.blockSize(shared));
            rt.runWorkers(1, Placement.WORKER, (m, w) -> {
                ThreadContext t = m.thread();
                assertThatThrownBy(() -> h.strings().newStr("x", t)).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("outside any parallel context");
                inRequest(m, mm -> {
                    for (int i = 0; i < 1_000; i++) h.incref(shared, t);
                    for (int i = 0; i < 999; i++) h.decref(shared, t);
                    assertThatThrownBy(() -> mm.gcCollect(0)).isInstanceOf(PyException.class).hasMessageContaining("main thread");
                    assertThatThrownBy(() -> mm.protect(shared)).hasMessageContaining("main-thread only");
                    long l = h.lists().newList(0, t);
                    assertThat(h.space(1).preHeaderSize()).as("parallel containers carry no GC header").isZero();
                    assertThat(h.spaceOf(l).name()).isEqualTo("context");
                });
            });
            assertThat(Memory.toArray(shared, (int) h.blockSize(shared))).as("a main object after 1,000 parallel increfs")
                    .isEqualTo(before);
            assertThat(h.space(1).collector().statistics().tracked()).as("containers offered to arena-release, not tracked")
                    .isPositive();
        }
    }

    private static void record(List<String> refused, Heap h, long target, long value, StoreOperation op, Runnable store) {
        byte[] before = image(h, target);
        byte[] valueBefore = value == 0 ? null : image(h, value);
        assertThatThrownBy(store::run).as(op.label()).isInstanceOfSatisfying(PersistenceViolation.class, e -> {
            assertThat(e.operation()).isEqualTo(op);
            assertThat(e.target()).isEqualTo(target);
            assertThat(e.getMessage()).contains(op.label()).contains(Long.toHexString(target));
        });
        assertThat(image(h, target)).as("the target after a refused " + op.label()).isEqualTo(before);
        if (value != 0) assertThat(image(h, value)).as("the value after a refused " + op.label()).isEqualTo(valueBefore);
        refused.add(op.label());
    }
}
