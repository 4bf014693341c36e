package org.pxlab.runtime.spi;

import org.pxlab.runtime.exec.ThreadContext;

/**
 * What the runtime offers a refcount strategy that finishes some decrements later than the
 * {@code Py_DECREF} that began them (CPython 3.13t's biased counts: a non-owner's decrement
 * that queues the object for its owner, {@code Python/brc.c}). The runtime binds it once,
 * through {@link RefCountStrategy#bindSite}, before any runtime thread runs. Component tests
 * and the refcount kit bind their own.
 */
public interface RefCountSite {

    /**
     * The eval-breaker bit reserved for refcount work ({@code _PY_EVAL_EXPLICIT_MERGE_BIT}).
     * A thread whose breaker has it set calls {@link RefCountStrategy#processPending} at its
     * next eval-breaker check.
     */
    int breakerBit();

    /**
     * Sets {@link #breakerBit()} on {@code owner}, from any thread ({@code _Py_set_eval_breaker_bit}
     * in {@code _Py_brc_queue_object}). Allocates nothing.
     */
    void schedule(ThreadContext owner);

    /**
     * Deallocates an object whose count the strategy has just found at zero outside a
     * {@code decref} (a merge): the runtime's {@code _Py_Dealloc}, which releases what the
     * object references (decrements that may themselves queue or free) and frees its blocks,
     * on {@code thread}. Must not be called from inside another {@code release} on the same
     * thread's stack other than through the runtime's own loop.
     */
    void release(long object, ThreadContext thread);
}
