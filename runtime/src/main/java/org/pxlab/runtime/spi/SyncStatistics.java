package org.pxlab.runtime.spi;

/**
 * Contention seen by a sync discipline.
 *
 * @param acquisitions  lock acquisitions (of the GIL, or of object locks)
 * @param contended     acquisitions that had to wait
 * @param handoffs      times a holder gave the lock up because another thread asked for it
 * @param waitNanos     total time threads spent waiting, in nanoseconds
 */
public record SyncStatistics(long acquisitions, long contended, long handoffs, long waitNanos) {
}
