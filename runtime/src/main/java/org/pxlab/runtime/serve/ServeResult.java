package org.pxlab.runtime.serve;

/**
 * What one serving run did.
 *
 * @param requests     requests answered (and verified), all workers together
 * @param perWorker    requests answered by each worker
 * @param elapsedNanos wall time from the first worker's start to the last worker's end, in nanoseconds
 */
public record ServeResult(long requests, long[] perWorker, long elapsedNanos) {
    /** Requests per second over the run. */
    public double throughput() {
        return requests * 1e9 / elapsedNanos;
    }
}
