package org.pxlab.refcount;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.layout.StructLayout;
import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.memory.SystemMalloc;
import org.pxlab.runtime.object.Heap;

/** CPython 3.13t's corner cases of biased counting, one per test, on raw header words. */
class BiasedRefCountTest {
    private static final int BIT = RecordingRefCountSite.BIT;
    private final ThreadContext owner = new ThreadContext(1, "owner", Placement.MAIN);
    private final ThreadContext other = new ThreadContext(2, "other", Placement.MAIN);
    private final List<Long> released = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<Long> blocks = new ArrayList<>();
    private BiasedRefCount rc;
    private StructLayout header;

    @BeforeEach
    void bind() {
        rc = new BiasedRefCount();
        header = Heap.composeHeader(List.of(rc), List.of());
        rc.bind(header);
        RecordingRefCountSite.bind(rc, released, owner, other);
    }

    @AfterEach
    void free() {
        blocks.forEach(SystemMalloc::free);
    }

    private long newObject(ThreadContext by) {
        long o = SystemMalloc.malloc(64);
        blocks.add(o);
        for (int i = 0; i < 64; i += 8) Memory.putLong(o + i, 0L);
        rc.initialize(o, by);
        return o;
    }

    @Test
    void ownerDecrementToZeroWithSharedZeroFreesWithoutTouchingShared() {
        long o = newObject(owner);
        rc.incref(o, owner);
        assertThat(rc.localCount(o)).isEqualTo(2);
        assertThat(rc.decref(o, owner)).isFalse();
        assertThat(rc.decref(o, owner)).as("owner's last decrement, shared 0").isTrue();
        assertThat(rc.sharedWord(o)).as("no RMW on shared: still INIT, 0").isZero();
        assertThat(rc.ownerTid(o)).as("ob_tid untouched on the fast path").isEqualTo(owner.id() + 1L);
    }

    @Test
    void ownerDecrementToZeroWithSharedCountMergesAndTheLastSharedDecrementFrees() {
        long o = newObject(owner);
        rc.incref(o, other); // shared +4
        assertThat(rc.sharedWord(o)).isEqualTo(BiasedRefCount.ONE_SHARED);
        assertThat(rc.referenceCount(o)).isEqualTo(2);
        assertThat(rc.decref(o, owner)).as("owner at local 0 with a shared reference").isFalse();
        assertThat(rc.ownerTid(o)).as("merged: no owner").isZero();
        assertThat(rc.sharedWord(o)).isEqualTo(BiasedRefCount.ONE_SHARED | BiasedRefCount.MERGED);
        assertThat(rc.decref(o, owner)).as("after the merge the former owner counts on shared, and frees at 0").isTrue();
        assertThat(rc.sharedWord(o)).isEqualTo(BiasedRefCount.MERGED);
        assertThat(rc.queuedObjects()).isZero();
    }

    @Test
    void nonOwnerDecrementFindingSharedZeroQueuesExactlyOnceAndTheMergeAccounts() {
        long o = newObject(owner);
        rc.incref(o, owner);
        rc.incref(o, owner); // local 3: two of them handed to `other`
        assertThat(rc.decref(o, other)).isFalse();
        assertThat(rc.sharedWord(o)).as("queued, not subtracted").isEqualTo(BiasedRefCount.QUEUED);
        assertThat(owner.evalBreaker() & BIT).as("owner's merge bit").isEqualTo(BIT);
        assertThat(rc.decref(o, other)).isFalse();
        assertThat(rc.sharedWord(o)).as("QUEUED: later decrements subtract, below zero").isEqualTo(-BiasedRefCount.ONE_SHARED | BiasedRefCount.QUEUED);
        assertThat(rc.queuedObjects()).as("pushed once").isEqualTo(1);
        assertThat(rc.referenceCount(o)).as("3 local - 1 shared: the owner's and the queue's").isEqualTo(2);
        rc.processPending(owner);
        assertThat(owner.evalBreaker() & BIT).isZero();
        assertThat(released).isEmpty();
        assertThat(rc.ownerTid(o)).isZero();
        assertThat(rc.localCount(o)).isZero();
        assertThat(rc.sharedWord(o)).as("3 - 1 - 1 (the queue's) = 1, merged").isEqualTo(BiasedRefCount.ONE_SHARED | BiasedRefCount.MERGED);
        assertThat(rc.decref(o, owner)).as("the owner's reference, now counted on shared").isTrue();
    }

    @Test
    void aMergeThatReachesZeroFreesExactlyOnce() {
        long o = newObject(owner); // its one reference handed to `other`
        assertThat(rc.decref(o, other)).isFalse();
        assertThat(released).isEmpty();
        rc.processPending(other);
        assertThat(released).as("another thread's merge does not touch the owner's queue").isEmpty();
        rc.processPending(owner);
        assertThat(released).containsExactly(o);
        rc.processPending(owner);
        rc.processAllPending(other);
        assertThat(released).as("merged once, freed once").containsExactly(o);
        assertThat(rc.mergedObjects()).isEqualTo(1);
    }

    @Test
    void theCollectorMergesEveryQueueWithTheWorldStopped() {
        long a = newObject(owner);
        long b = newObject(other);
        assertThat(rc.decref(a, other)).isFalse();
        assertThat(rc.decref(b, owner)).isFalse();
        ThreadContext collector = new ThreadContext(5, "collector", Placement.MAIN);
        rc.processAllPending(collector);
        assertThat(released).containsExactlyInAnyOrder(a, b);
        assertThat(owner.evalBreaker() & BIT).isZero();
        assertThat(other.evalBreaker() & BIT).isZero();
    }

    @Test
    void ownerExitMergesItsQueueAndItsAbandonedObjectsAreMergedByWhoeverDropsThem() {
        long queuedBeforeExit = newObject(owner);
        long abandoned = newObject(owner);
        assertThat(rc.decref(queuedBeforeExit, other)).isFalse();
        rc.threadExiting(owner);
        assertThat(released).as("merged at exit").containsExactly(queuedBeforeExit);
        // The owner is gone: a non-owner's decrement finding shared 0 merges at once.
        assertThat(rc.decref(abandoned, other)).as("abandoned object's last reference").isTrue();
        assertThat(rc.queuedObjects()).isEqualTo(1);
        assertThat(rc.ownerTid(abandoned)).isZero();
    }

    @Test
    void immortalObjectsAreNeverWritten() {
        long o = newObject(owner);
        rc.incref(o, other);
        rc.makeImmortal(o);
        assertThat(rc.isImmortal(o)).isTrue();
        assertThat(rc.referenceCount(o)).isEqualTo(BiasedRefCount.IMMORTAL_REFCNT);
        byte[] before = Memory.toArray(o, 24);
        for (ThreadContext t : new ThreadContext[] {owner, other}) {
            for (int i = 0; i < 100; i++) rc.incref(o, t);
            for (int i = 0; i < 300; i++) assertThat(rc.decref(o, t)).isFalse();
            assertThat(rc.tryIncref(o, t)).isTrue();
        }
        assertThat(Memory.toArray(o, 24)).isEqualTo(before);
        assertThat(released).isEmpty();
    }

    @Test
    void tryIncrefFollowsTryIncrefFastAndTryIncRefShared() {
        long o = newObject(owner);
        assertThat(rc.tryIncref(o, owner)).as("owner: fast path").isTrue();
        assertThat(rc.localCount(o)).isEqualTo(2);
        assertThat(rc.tryIncref(o, other)).as("non-owner, shared word 0: the owner may free without an atomic").isFalse();
        // pxlab has no weak references; init_weakref's _PyObject_SetMaybeWeakref would set the state so.
        Memory.putLong(o + header.offsetOf("ob_ref_shared"), BiasedRefCount.MAYBE_WEAKREF);
        assertThat(rc.sharedWord(o)).isEqualTo(BiasedRefCount.MAYBE_WEAKREF);
        assertThat(rc.tryIncref(o, other)).as("MAYBE_WEAKREF lifts it").isTrue();
        assertThat(rc.sharedWord(o)).isEqualTo(BiasedRefCount.ONE_SHARED | BiasedRefCount.MAYBE_WEAKREF);
        assertThat(rc.decref(o, other)).isFalse();
        assertThat(rc.decref(o, owner)).isFalse();
        // Owner at 0 with MAYBE_WEAKREF: not the no-atomic fast path but the CAS to MERGED, and free.
        assertThat(rc.decref(o, owner)).isTrue();
        assertThat(rc.sharedWord(o)).isEqualTo(BiasedRefCount.MERGED);
        assertThat(rc.tryIncref(o, other)).as("merged at 0: dead").isFalse();
        assertThat(rc.tryIncref(o, owner)).as("merged at 0: dead for the former owner too").isFalse();
    }

    /**
     * Two threads hammer one object, owner and non-owner, in many rounds: pairs that must lose
     * nothing, then the last two references dropped at once, one by each. Across decrements
     * that report zero, the owner's merges and its exit, the object is freed exactly once per
     * round.
     */
    @Test
    void twoThreadsHammeringOneObjectLoseNoUpdateAndFreeItExactlyOnce() throws InterruptedException {
        final int rounds = 2_000;
        final int pairs = 2_000;
        long[] objects = new long[rounds];
        for (int r = 0; r < rounds; r++) {
            objects[r] = newObject(owner);
            rc.incref(objects[r], owner); // one reference for each thread
        }
        AtomicInteger arrivals = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        int[] freesByDecref = new int[rounds];
        Thread[] threads = new Thread[2];
        for (int w = 0; w < 2; w++) {
            ThreadContext me = w == 0 ? owner : other;
            threads[w] = new Thread(() -> {
                try {
                    for (int r = 0; r < rounds; r++) {
                        arrivals.incrementAndGet();
                        while (arrivals.get() < 2 * (r + 1)) Thread.onSpinWait();
                        long o = objects[r];
                        for (int i = 0; i < pairs; i++) {
                            rc.incref(o, me);
                            if (rc.decref(o, me)) throw new AssertionError("a pair's decref reported zero in round " + r);
                        }
                        if (rc.decref(o, me)) {
                            synchronized (freesByDecref) {
                                freesByDecref[r]++;
                            }
                        }
                        if (me == owner && (owner.evalBreaker() & BIT) != 0) rc.processPending(owner);
                    }
                    if (me == owner) rc.threadExiting(owner);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }, me.name());
            threads[w].start();
        }
        for (Thread t : threads) t.join(120_000);
        assertThat(threads).noneMatch(Thread::isAlive);
        if (failure.get() != null) throw new AssertionError(failure.get());
        int[] frees = freesByDecref.clone();
        synchronized (released) {
            for (long o : released) {
                for (int r = 0; r < rounds; r++) if (objects[r] == o) frees[r]++;
            }
        }
        for (int r = 0; r < rounds; r++) assertThat(frees[r]).as("frees of round %d's object", r).isEqualTo(1);
        System.out.printf("biased: %d rounds, %d queued, %d merged, %d freed by a merge%n", rounds, rc.queuedObjects(),
                rc.mergedObjects(), released.size());
    }
}
