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
            } finally {
                checked.countDown();
                worker.join();
            }
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
