package org.pxlab.configurations;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.pxlab.refcount.BiasedRefCount;
import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.discipline.RefTrafficRecorder;
import org.pxlab.runtime.exec.Mutator;
import org.pxlab.runtime.exec.PxRuntime;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.spi.Collector;

/**
 * {@code free-threaded} (3.14t) against {@code free-threaded-3.13}: deferred definitions whose
 * stack references are not counted, survive their frames' references and are freed by a
 * collection once unreachable; per-thread slots that sum to the true count of a class; and the
 * bytes 3.13t immortalizes that 3.14t does not.
 */
class FreeThreadedTest {

    /** {@code def f(): return None} in a new module; returns {module, f}. */
    private static long[] moduleWithFunction(Mutator m) {
        long mod = m.define().module("app");
        long fn = m.define().function(mod, "f", 0, 0, new Object[] {null}, new String[0], b -> {
            b.loadConst(0);
            b.returnValue();
        });
        return new long[] {mod, fn};
    }

    /** {@code f()} n times from a module frame: LOAD_GLOBAL f, CALL 0, POP_TOP. */
    private static void callRepeatedly(Mutator m, long mod, long name, int n) {
        m.enterModule(mod, 0);
        for (int i = 0; i < n; i++) {
            m.loadGlobalName(name, true);
            m.call(0);
            m.popTop();
        }
        m.exitFrame();
    }

    @Test
    void callingADeferredFunctionCountsNeitherItNorItsCode() {
        int calls = 100;
        int[] traffic = new int[4];
        for (String config : List.of("free-threaded", "free-threaded-3.13")) {
            RefTrafficRecorder[] recorder = new RefTrafficRecorder[1];
            try (PxRuntime rt = PxRuntime.start(GilRuntime.REGISTRY.assemble(config), r -> recorder[0] = new RefTrafficRecorder(r))) {
                rt.onMain(m -> {
                    long[] made = moduleWithFunction(m);
                    long code = m.heap().functions().functionCode(made[1]);
                    long name = m.heap().strings().intern("f", m.thread());
                    recorder[0].start();
                    callRepeatedly(m, made[0], name, calls);
                    recorder[0].stop();
                    int at = config.equals("free-threaded") ? 0 : 2;
                    traffic[at] = recorder[0].increfs(made[1]) + recorder[0].decrefs(made[1]);
                    traffic[at + 1] = recorder[0].increfs(code) + recorder[0].decrefs(code);
                    return null;
                });
            }
        }
        assertThat(traffic[0]).as("3.14t: f's count untouched by LOAD_GLOBAL, CALL and the frame's exit").isZero();
        assertThat(traffic[1]).as("3.14t: f_executable tagged, not counted").isZero();
        // 3.13t's stack holds PyObject*: the calls are made, on an immortal (3.12's discipline).
        assertThat(traffic[2]).as("3.13t: +1/-1 per call on the function").isEqualTo(2 * calls);
        assertThat(traffic[3]).as("3.13t: +1/-1 per call on the code").isEqualTo(2 * calls);
    }

    @Test
    void aDeferredFunctionSurvivesAFrameReferenceAndIsFreedByACollectionOnceUnreachable() {
        try (PxRuntime rt = PxRuntime.start(GilRuntime.REGISTRY.assemble("free-threaded"))) {
            Collector gc = rt.heap().space(0).collector();
            BiasedRefCount counts = (BiasedRefCount) rt.heap().space(0).refcount();
            rt.onMain(m -> {
                Heap h = m.heap();
                long[] made = moduleWithFunction(m);
                long fn = made[1];
                long name = h.strings().intern("f", m.thread());
                assertThat(counts.isDeferred(fn)).isTrue();
                gc.collect(2, m.thread()); // settle what the set-up left
                m.enterModule(made[0], 0);
                m.loadGlobalName(name, false); // a tagged, uncounted reference on the stack
                assertThat(h.referenceCount(fn)).as("the module's reference and the bias only").isEqualTo(1 + BiasedRefCount.DEFERRED);
                h.dicts().delItem(h.modules().dict(made[0]), name, m.thread()); // del f: only the frame holds it
                assertThat(h.referenceCount(fn)).as("no decrement frees a deferred object").isEqualTo(BiasedRefCount.DEFERRED);

                long freed = gc.statistics().objectsFreed();
                gc.collect(2, m.thread());
                assertThat(gc.statistics().objectsFreed() - freed).as("the frame's tagged reference keeps f").isZero();
                assertThat(h.kindOf(m.peek(0))).isEqualTo(org.pxlab.runtime.object.TypeKind.FUNCTION);
                assertThat(counts.isDeferred(fn)).isTrue();

                m.popTop(); // PyStackRef_CLOSE of a tagged reference: nothing
                assertThat(h.referenceCount(fn)).isEqualTo(BiasedRefCount.DEFERRED);
                gc.collect(2, m.thread());
                assertThat(gc.statistics().objectsFreed() - freed).as("unreachable now: the collection frees f").isEqualTo(1);
                m.exitFrame();
                return null;
            });
        }
    }

    @Test
    void perThreadSlotsSumToTheTrueCountOfAClass() {
        try (PxRuntime rt = PxRuntime.start(GilRuntime.REGISTRY.assemble("free-threaded"))) {
            Heap h = rt.heap();
            Collector gc = h.space(0).collector();
            int onMain = 50, onWorker = 30, freedByWorker = 10;
            long[] instances = new long[onMain + onWorker];
            long[] cls = new long[2];
            rt.onMain(m -> {
                long mod = m.define().module("app");
                cls[0] = m.define().klass(mod, "Point", 0, List.of("x"), false);
                gc.collect(2, m.thread());
                cls[1] = h.referenceCount(cls[0]) - BiasedRefCount.DEFERRED;
                for (int i = 0; i < onMain; i++) instances[i] = h.instances().newInstance(cls[0], m.thread());
                assertThat(h.referenceCount(cls[0]) - BiasedRefCount.DEFERRED).as("_Py_INCREF_TYPE wrote main's slot, not the class")
                        .isEqualTo(cls[1]);
                return null;
            });
            rt.runWorkers(1, Placement.WORKER, (m, w) -> {
                for (int i = 0; i < onWorker; i++) instances[onMain + i] = h.instances().newInstance(cls[0], m.thread());
                // Main owns these: the worker's last decrefs queue them to main (brc.c), which frees them,
                // and so decrements the class in its own slot, at its next merge.
                for (int i = 0; i < freedByWorker; i++) h.decref(instances[i], m.thread());
                assertThat(h.referenceCount(cls[0]) - BiasedRefCount.DEFERRED).as("nothing merged yet").isEqualTo(cls[1]);
            });
            assertThat(h.referenceCount(cls[0]) - BiasedRefCount.DEFERRED).as("the worker's exit merged its slot")
                    .isEqualTo(cls[1] + onWorker);
            rt.onMain(m -> {
                // The pause merges every slot, then the queues, as gc_collect_internal does; the
                // queued instances freed then decrement main's slot again, which the next pause merges.
                gc.collect(2, m.thread());
                assertThat(h.referenceCount(cls[0]) - BiasedRefCount.DEFERRED).as("slots merged before the queued frees")
                        .isEqualTo(cls[1] + onMain + onWorker);
                gc.collect(2, m.thread());
                long live = onMain + onWorker - freedByWorker;
                assertThat(h.referenceCount(cls[0]) - BiasedRefCount.DEFERRED).as("the collection merged main's: the true count")
                        .isEqualTo(cls[1] + live);
                for (int i = freedByWorker; i < instances.length; i++) h.decref(instances[i], m.thread());
                gc.collect(2, m.thread());
                assertThat(h.referenceCount(cls[0]) - BiasedRefCount.DEFERRED).isEqualTo(cls[1]);
                return null;
            });
        }
    }

    @Test
    void anObjectQueuedToItsOwnerIsMergedAndFreedAtTheOwnersNextEvalBreakerCheck() {
        try (PxRuntime rt = PxRuntime.start(GilRuntime.REGISTRY.assemble("free-threaded"))) {
            Heap h = rt.heap();
            BiasedRefCount counts = (BiasedRefCount) h.space(0).refcount();
            long[] list = new long[1];
            rt.onMain(m -> list[0] = h.lists().newList(0, m.thread())); // main owns it; this is its one reference
            long queued = counts.queuedObjects(), merged = counts.mergedObjects();
            rt.runWorkers(1, Placement.WORKER, (m, w) -> h.decref(list[0], m.thread())); // shared 0: queued to main
            assertThat(counts.queuedObjects() - queued).isEqualTo(1);
            assertThat(counts.sharedWord(list[0]) & BiasedRefCount.FLAG_MASK).isEqualTo(BiasedRefCount.QUEUED);
            rt.onMain(m -> {
                long frees = h.space(0).allocator().statistics().frees();
                assertThat(m.thread().evalBreaker() & PxRuntime.REFCOUNT_BIT).as("main's merge bit").isNotZero();
                assertThat(counts.mergedObjects() - merged).as("nothing merged before main's safepoint").isZero();
                m.jumpBackward(); // an eval-breaker check: _Py_brc_merge_refcounts
                assertThat(counts.mergedObjects() - merged).isEqualTo(1);
                assertThat(h.space(0).allocator().statistics().frees() - frees).as("merged to 0: freed").isPositive();
                return null;
            });
        }
    }

    @Test
    void anObjectQueuedToAWorkerIsMergedAndFreedWhenTheWorkerExits() throws Exception {
        try (PxRuntime rt = PxRuntime.start(GilRuntime.REGISTRY.assemble("free-threaded"))) {
            Heap h = rt.heap();
            BiasedRefCount counts = (BiasedRefCount) h.space(0).refcount();
            long[] list = new long[1];
            java.util.concurrent.CountDownLatch made = new java.util.concurrent.CountDownLatch(1), dropped = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
            Thread serving = org.pxlab.runtime.testkit.TestThreads.start("serving", failure, () -> rt.runWorkers(1, Placement.WORKER, (m, w) -> {
                list[0] = h.lists().newList(0, m.thread()); // the worker owns it
                made.countDown();
                try {
                    dropped.await(); // no eval-breaker check meanwhile: the queue waits for the exit
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }));
            made.await();
            long merged = counts.mergedObjects(), frees = h.space(0).allocator().statistics().frees();
            rt.onMain(m -> {
                h.decref(list[0], m.thread()); // main drops the only reference: queued to the worker
                return null;
            });
            assertThat(counts.mergedObjects() - merged).isZero();
            dropped.countDown();
            org.pxlab.runtime.testkit.TestThreads.join(failure, serving);
            assertThat(counts.mergedObjects() - merged).as("_Py_brc_remove_thread merged it").isEqualTo(1);
            assertThat(h.space(0).allocator().statistics().frees() - frees).isPositive();
        }
    }

    /**
     * What 3.13t leaks by immortalizing its deferred objects: the same definitions under both
     * configurations, and the bytes each counts as never freed ({@link Heap#immortalizedBytes}).
     */
    @Test
    void free313ImmortalizesTheDefinitionsThat314tKeepsMortal() {
        long[] bytes = new long[2];
        long[] sizes = new long[1];
        int i = 0;
        for (String config : List.of("free-threaded", "free-threaded-3.13")) {
            try (PxRuntime rt = PxRuntime.start(GilRuntime.REGISTRY.assemble(config))) {
                Heap h = rt.heap();
                long before = h.immortalizedBytes();
                int at = i++;
                rt.onMain(m -> {
                    long[] made = moduleWithFunction(m);
                    long cls = m.define().klass(made[0], "Point", 0, List.of("x"), false);
                    long code = h.functions().functionCode(made[1]);
                    sizes[0] = h.blockSize(made[0]) + h.blockSize(made[1]) + h.blockSize(code) + h.blockSize(cls);
                    assertThat(h.refcounts().isImmortal(made[1])).isEqualTo(config.equals("free-threaded-3.13"));
                    return null;
                });
                bytes[at] = h.immortalizedBytes() - before;
            }
        }
        System.out.printf("never freed after defining a module, a function and a class: free-threaded %d B,"
                + " free-threaded-3.13 %d B%n", bytes[0], bytes[1]);
        assertThat(bytes[1] - bytes[0]).as("3.13t's leak: the module, function, code and class").isEqualTo(sizes[0]);
    }
}
