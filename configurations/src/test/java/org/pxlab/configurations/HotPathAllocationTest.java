package org.pxlab.configurations;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pxlab.runtime.exec.PxRuntime;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.object.Heap;

/**
 * The simulator's hot paths allocate no Java objects, so the JVM's collector is never what
 * a benchmark measures. Each path runs a million times after a warm-up of the same loop,
 * and the thread's allocated-bytes counter (deterministic, unlike heap sampling) must not
 * move by more than a few hundred bytes (the counter's own bookkeeping).
 */
class HotPathAllocationTest {
    private static final long BUDGET = 1024;
    private static PxRuntime rt;

    @BeforeAll
    static void start() {
        rt = GilRuntime.start();
    }

    @AfterAll
    static void stop() {
        rt.close();
    }

    private static long allocatedBytes(Runnable loop) {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().threadId();
        loop.run(); // warm-up: the JIT compiles the loop before the measured run
        loop.run();
        long before = mx.getThreadAllocatedBytes(id);
        loop.run();
        return mx.getThreadAllocatedBytes(id) - before;
    }

    private static void assertNoAllocation(String what, Runnable loop) {
        assertThat(allocatedBytes(loop)).as("Java bytes allocated by a million %s", what).isLessThan(BUDGET);
    }

    @Test
    void increfDecref() {
        rt.onMain(m -> {
            Heap h = m.heap();
            ThreadContext t = m.thread();
            long o = h.numbers().newFloat(1.0, t);
            assertNoAllocation("incref+decref", () -> {
                for (int i = 0; i < 1_000_000; i++) {
                    h.incref(o, t);
                    h.decref(o, t);
                }
            });
            h.decref(o, t);
            return null;
        });
    }

    @Test
    void allocateAndFreeAnObject() {
        rt.onMain(m -> {
            Heap h = m.heap();
            ThreadContext t = m.thread();
            assertNoAllocation("allocate+free of a float", () -> {
                for (int i = 0; i < 1_000_000; i++) h.decref(h.numbers().newFloat(i, t), t);
            });
            var allocator = h.space(0).allocator();
            assertNoAllocation("raw allocate+free of 32 bytes", () -> {
                for (int i = 0; i < 1_000_000; i++) allocator.free(allocator.allocate(32, t), 32, t);
            });
            return null;
        });
    }

    /**
     * {@code fine-grained}'s paths: a dict store in the dict's critical section, an optimistic
     * dict read and list read (try-incref and re-check), an append that resizes the list (its
     * old items block goes through the delayed free), and the quiescent point that frees it.
     */
    @Test
    void fineGrainedLockedStoresOptimisticReadsAndDelayedFrees() {
        try (PxRuntime fine = FineGrainedRuntime.start("fine-grained")) {
            fine.onMain(m -> {
                Heap h = m.heap();
                ThreadContext t = m.thread();
                long d = h.dicts().newDict(t);
                long[] keys = new long[64];
                for (int i = 0; i < keys.length; i++) keys[i] = h.strings().newStr("key" + i, t);
                long value = h.numbers().newFloat(2.0, t);
                assertNoAllocation("fine-grained dict set+get, list append+get+clear, quiescent points", () -> {
                    for (int i = 0; i < 1_000_000; i++) {
                        long k = keys[i & 63];
                        h.dicts().setItem(d, k, value, t);
                        long v = h.dicts().getItemRef(d, k, t);
                        if (v != value) throw new AssertionError();
                        h.decref(v, t);
                        long l = h.lists().newList(0, t);
                        for (int j = 0; j < 9; j++) h.lists().append(l, value, t); // resizes: 4, 8, 16
                        h.decref(h.lists().getItemRef(l, i % 9, t), t);
                        h.decref(l, t);
                        m.jumpBackward();
                    }
                });
                h.decref(d, t);
                return null;
            });
        }
    }

    /**
     * A split-brain request in its context: the snapshot, parallel allocations, elided counts
     * of a main object, a store into a parallel container (the guard's owner test) and the
     * rollback.
     */
    @Test
    void splitBrainRequestsSnapshotAllocateCountStoreAndRollBack() {
        try (PxRuntime sb = PxRuntime.start(GilRuntime.REGISTRY.assemble("split-brain"))) {
            long shared = sb.onMain(m -> {
                long s = m.heap().strings().newStr("shared", m.thread());
                m.define().global(m.define().module("app"), "s", s);
                return s;
            });
            sb.runWorkers(1, org.pxlab.runtime.config.Placement.WORKER, (m, w) -> {
                Heap h = m.heap();
                ThreadContext t = m.thread();
                var sync = sb.sync();
                sync.beginConnection(t);
                assertNoAllocation("split-brain requests (of 8 operations each)", () -> {
                    for (int i = 0; i < 1_000_000; i++) {
                        sync.beginRequest(t);
                        long list = h.lists().newList(0, t);
                        h.lists().append(list, shared, t);
                        h.lists().appendTake(list, h.numbers().newFloat(i, t), t);
                        h.incref(shared, t);
                        h.decref(shared, t);
                        h.decref(list, t);
                        sync.endRequest(t);
                    }
                });
                sync.endConnection(t);
            });
        }
    }

    @Test
    void dictGetAndSet() {
        rt.onMain(m -> {
            Heap h = m.heap();
            ThreadContext t = m.thread();
            long d = h.dicts().newDict(t);
            long[] keys = new long[64];
            for (int i = 0; i < keys.length; i++) keys[i] = h.strings().newStr("key" + i, t);
            long value = h.numbers().newFloat(2.0, t);
            assertNoAllocation("dict set+get", () -> {
                for (int i = 0; i < 1_000_000; i++) {
                    long k = keys[i & 63];
                    h.dicts().setItem(d, k, value, t);
                    if (h.dicts().getItem(d, k) != value) throw new AssertionError();
                }
            });
            h.decref(d, t);
            return null;
        });
    }

    @Test
    void loadAttrThroughTheMutator() {
        long module = rt.onMain(m -> m.define().module("hot"));
        rt.onMain(m -> {
            Heap h = m.heap();
            ThreadContext t = m.thread();
            long cls = m.define().klass(module, "Obj", 0, List.of("x"), true);
            long o = h.instances().newInstance(cls, t);
            h.instances().setSlotTake(o, 0, h.numbers().newFloat(3.0, t), t);
            m.define().global(module, "obj", o);
            long[] loops = new long[1];
            long fn = m.define().function(module, "reader", 0, 0, new Object[0], new String[] {"obj", "x"}, mm -> {
                for (long i = 0; i < loops[0]; i++) {
                    mm.loadGlobal(0, false);
                    mm.loadAttr(1);
                    mm.popTop();
                }
                mm.pushNew(mm.heap().types().none());
                mm.returnValue();
            });
            m.enterModule(module, 0);
            loops[0] = 1_000_000;
            assertNoAllocation("LOAD_GLOBAL+LOAD_ATTR+POP_TOP (and a call)", () -> h.decref(m.callFunction(fn), t));
            m.exitFrame();
            return null;
        });
    }
}
