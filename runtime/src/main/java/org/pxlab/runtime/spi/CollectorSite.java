package org.pxlab.runtime.spi;

import org.pxlab.runtime.exec.ThreadContext;

/**
 * What a collector may ask of the runtime besides the heap: the eval-breaker bit it owns,
 * with which it schedules work for the next eval-breaker check of every runtime thread, and
 * the stop-the-world protocol of CPython 3.13t ({@code _PyEval_StopTheWorld},
 * {@code _PyEval_StartTheWorld} in {@code Python/pystate.c}).
 */
public interface CollectorSite {
    /** Sets this collector's eval-breaker bit on every attached runtime thread. */
    void scheduleOnAllThreads();

    /** The bit of {@link org.pxlab.runtime.exec.ThreadContext#evalBreaker()} that calls this collector's poll. */
    int breakerBit();

    /**
     * Stops the world: returns once every runtime thread but {@code requester} is suspended,
     * at an eval-breaker check or while detached (blocked on a lock, a queue, I/O), and none
     * can attach until {@link #startTheWorld}. The requester must be attached; it does not
     * wait at all when no other thread is attached. If another thread is stopping the world,
     * the requester suspends for that stop first. Not reentrant.
     */
    void stopTheWorld(ThreadContext requester);

    /** Restarts the world stopped by the same {@code requester}'s {@link #stopTheWorld}. */
    void startTheWorld(ThreadContext requester);

    /**
     * Visits every deferred reference held by the runtime threads' frames (CPython 3.14t's
     * {@code gc_visit_thread_stacks}): stack slots tagged as deferred, which the objects' counts
     * do not include. Called with the world stopped by {@code requester}. Default: none (a
     * runtime without deferred references).
     */
    default void visitDeferredStackReferences(org.pxlab.runtime.object.ReferenceVisitor visitor) {
    }
}
