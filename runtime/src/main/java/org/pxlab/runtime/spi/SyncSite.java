package org.pxlab.runtime.spi;

import org.pxlab.runtime.exec.ThreadContext;

/** What a sync discipline may ask of the runtime: its eval-breaker bit and the runtime's attached threads. */
public interface SyncSite {
    /** The bit of {@link ThreadContext#evalBreaker()} that calls the discipline's poll. */
    int breakerBit();

    /** Sets the discipline's bit on one thread (e.g. the GIL holder, asked to drop it). */
    void schedule(ThreadContext thread);

    /**
     * The runtime's heap: its spaces, header and object operations. Sites outside a runtime
     * (a discipline's unit tests) have none.
     */
    default org.pxlab.runtime.object.Heap heap() {
        throw new UnsupportedOperationException("this sync site belongs to no runtime and has no heap");
    }

    /**
     * Moves the thread's allocations to the space the configuration maps {@code placement}
     * to (a parallel context entered, the main thread's role taken for a moment).
     */
    default void placeIn(ThreadContext thread, org.pxlab.runtime.config.Placement placement) {
        throw new UnsupportedOperationException("this sync site belongs to no runtime and places no thread");
    }

    /**
     * Moves the thread's allocations to one space by index, at {@code placement}: isolated
     * heaps give each worker a space of its own, which no placement alone names.
     */
    default void placeIn(ThreadContext thread, org.pxlab.runtime.config.Placement placement, int space) {
        throw new UnsupportedOperationException("this sync site belongs to no runtime and places no thread");
    }

    /**
     * The thread is about to sleep inside the discipline (a mutex waiter about to park, as
     * CPython's {@code PyMutex_Lock} parks with {@code _PY_LOCK_DETACH}): until
     * {@link #unparked} it counts as detached, so a stop-the-world does not wait for it. Only
     * the runtime's thread state changes; the discipline's own {@link SyncDiscipline#detach}
     * is not called. Does nothing for a thread that is not attached. Outside a runtime (a
     * component test's site) there is no world to stop and this may do nothing, as the default
     * does. Allocates nothing.
     */
    default void parking(ThreadContext thread) {
    }

    /**
     * The thread woke from the sleep announced by {@link #parking}: it attaches again, waiting
     * first if the world is stopped, before it touches simulated memory. Does nothing if
     * {@link #parking} did not detach it.
     */
    default void unparked(ThreadContext thread) {
    }
}
