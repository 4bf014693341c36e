package org.pxlab.runtime.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.exec.PxRuntime;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.spi.Collector;
import org.pxlab.runtime.sync.PerObjectLocks;

/**
 * A stop-the-world collection with two running mutators, one of them blocked, for any
 * configuration of one space under {@code per-object-locks} whose collector stops the world
 * (CPython 3.13t's protocol, {@code Python/pystate.c}): the collector's module runs it on a
 * test configuration, the configurations' tests on the built-in ones.
 *
 * <p>Two workers: one holds a per-object lock and keeps running, moving a live cycle out of
 * the root list into a Java local and back at every loop iteration; the other is parked on
 * that lock, so it counts as detached and is not waited for. A collection from the main
 * thread stops the running worker at its next backward jump (its critical section is
 * suspended, as CPython's detach does), frees exactly the garbage cycles (not the live cycle
 * the suspended worker holds only in its local), and both workers then finish. Were a parked
 * waiter waited for, the stop would never end ({@link TestThreads} fails the test after its
 * bound). The caller should give the collector no automatic collection that could run
 * meanwhile (a threshold above the few dozen containers made here).
 */
public final class ParkedWaiterCollection {
    private ParkedWaiterCollection() {}

    /** How many garbage cycles (of two lists each) the main thread leaves before the collection. */
    public static final int GARBAGE_CYCLES = 30;

    /**
     * Runs the scenario on {@code rt} and checks it; returns the collector's statistics'
     * collection count before the scenario's one collection, so callers can check more.
     */
    public static long run(PxRuntime rt) throws Exception {
        Collector gc = rt.heap().space(0).collector();
        PerObjectLocks locks = (PerObjectLocks) rt.sync();
        Heap heap = rt.heap();
        // Whatever earlier set-up left behind is collected first, so that the count below is exact.
        rt.onMain(m -> gc.collect(2, m.thread()));
        // root: [cycle head]; the cycle: c1 <-> c2; lock: a list both workers lock.
        long[] shared = rt.onMain(m -> {
            ThreadContext t = m.thread();
            long root = heap.lists().newList(0, t), c1 = heap.lists().newList(0, t), c2 = heap.lists().newList(0, t);
            heap.lists().append(c1, c2, t);
            heap.lists().append(c2, c1, t);
            heap.lists().append(root, c1, t);
            heap.decref(c1, t);
            heap.decref(c2, t);
            return new long[] {root, c1, c2, heap.lists().newList(0, t)};
        });
        long root = shared[0], c1 = shared[1], c2 = shared[2], lock = shared[3];
        rt.onMain(m -> {
            for (int i = 0; i < GARBAGE_CYCLES; i++) {
                long a = heap.lists().newList(0, m.thread()), b = heap.lists().newList(0, m.thread());
                heap.lists().append(a, b, m.thread());
                heap.lists().append(b, a, m.thread());
                heap.lists().append(b, root, m.thread()); // garbage that references a live object
                heap.decref(a, m.thread());
                heap.decref(b, m.thread());
            }
            return null;
        });
        long collectionsBefore = gc.statistics().collections();

        AtomicBoolean holding = new AtomicBoolean(), collected = new AtomicBoolean();
        AtomicBoolean holderDone = new AtomicBoolean(), waiterDone = new AtomicBoolean();
        AtomicReference<ThreadContext> waiterContext = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread workers = TestThreads.start("workers", failure, () -> rt.runWorkers(2, Placement.WORKER, (m, w) -> {
            ThreadContext t = m.thread();
            if (w == 0) {
                locks.lock(lock, t);
                holding.set(true);
                while (!collected.get()) {
                    long cycle = heap.lists().pop(root, 0, t); // the live cycle now hangs on this local only
                    m.jumpBackward();                           // the safepoint: suspends here for the stop
                    heap.lists().appendTake(root, cycle, t);
                    Thread.onSpinWait();
                }
                locks.unlock(lock, t);
                holderDone.set(true);
            } else {
                waiterContext.set(t);
                while (!holding.get()) Thread.onSpinWait();
                locks.lock(lock, t); // parks: detached while asleep
                m.jumpBackward();
                locks.unlock(lock, t);
                waiterDone.set(true);
            }
        }));
        TestThreads.await("the second worker parked on the lock, detached", () -> waiterContext.get() != null
                && locks.hasParked(lock) && waiterContext.get().state() != ThreadContext.ATTACHED);

        long freed = rt.onMain(m -> gc.collect(2, m.thread()));
        collected.set(true);
        TestThreads.join(failure, workers);

        assertThat(freed).as("objects freed: the garbage cycles' lists, nothing else").isEqualTo(2L * GARBAGE_CYCLES);
        assertThat(holderDone).as("the running worker resumed").isTrue();
        assertThat(waiterDone).as("the parked worker resumed").isTrue();
        assertThat(gc.statistics().collections()).as("collections during the scenario").isEqualTo(collectionsBefore + 1);
        rt.onMain(m -> {
            assertThat(heap.lists().size(root)).isEqualTo(1);
            assertThat(heap.lists().getItem(root, 0)).isEqualTo(c1);
            assertThat(heap.lists().getItem(c1, 0)).isEqualTo(c2);
            assertThat(heap.lists().getItem(c2, 0)).isEqualTo(c1);
            assertThat(heap.referenceCount(c1)).isEqualTo(2);
            assertThat(heap.referenceCount(c2)).isEqualTo(1);
            assertThat(locks.isLocked(lock)).isFalse();
            heap.decref(root, m.thread());
            heap.decref(lock, m.thread());
            return null;
        });
        return collectionsBefore;
    }
}
