package org.pxlab.runtime.spi;

/**
 * What a collector may ask of the runtime besides the heap: the eval-breaker bit it owns,
 * with which it schedules work for the next eval-breaker check of every runtime thread.
 */
public interface CollectorSite {
    /** Sets this collector's eval-breaker bit on every attached runtime thread. */
    void scheduleOnAllThreads();

    /** The bit of {@link org.pxlab.runtime.exec.ThreadContext#evalBreaker()} that calls this collector's poll. */
    int breakerBit();
}
