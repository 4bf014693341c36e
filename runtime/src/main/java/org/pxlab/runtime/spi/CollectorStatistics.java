package org.pxlab.runtime.spi;

/**
 * Work a collector has done.
 *
 * @param collections     collections run, all generations together
 * @param objectsVisited  objects examined by those collections
 * @param objectsFreed    objects freed by those collections (not by plain refcounting)
 * @param tracked         objects tracked now
 * @param pauseNanos      wall time spent collecting, in nanoseconds
 */
public record CollectorStatistics(long collections, long objectsVisited, long objectsFreed, long tracked, long pauseNanos) {
}
