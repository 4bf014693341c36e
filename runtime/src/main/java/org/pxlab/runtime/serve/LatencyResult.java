package org.pxlab.runtime.serve;

import org.HdrHistogram.Histogram;

/**
 * What an open-loop run measured. Histogram values are nanoseconds, recorded with three
 * significant decimal digits (any value is reported within 0.1% of what was recorded) from 1 ns
 * up to {@link OpenLoopServer#HIGHEST_NANOS}; a longer latency is recorded as that highest value.
 *
 * @param plan         what was asked for
 * @param scheduled    requests due in the measured part of the schedule
 * @param served       measured requests served and verified, all workers together; fewer than
 *                     {@code scheduled} only when the run fell so far behind its schedule that it
 *                     stopped issuing (see {@link OpenLoopServer})
 * @param perWorker    measured requests served by each worker
 * @param latency      each measured request's latency from its <em>due</em> time to its verified
 *                     answer: the open-loop figure, corrected for coordinated omission
 * @param serviceTime  the same requests from the moment their worker started them: what a
 *                     closed-loop measurement would report, for contrast
 * @param elapsedNanos from the start of the measured schedule to the end of its last answer
 */
public record LatencyResult(OpenLoopPlan plan, long scheduled, long served, long[] perWorker,
                            Histogram latency, Histogram serviceTime, long elapsedNanos) {
    /** The percentiles pxlab reports of a latency histogram (in HdrHistogram's terms, percent), beside its maximum. */
    public static final java.util.List<Double> PERCENTILES = java.util.List.of(50.0, 90.0, 99.0, 99.9);

    /** Measured requests served per second over {@link #elapsedNanos}: the rate achieved. */
    public double achievedRate() {
        return elapsedNanos <= 0 ? 0 : served * 1e9 / elapsedNanos;
    }

    /** Measured requests that were due but never issued (0 unless the run fell behind). */
    public long unstarted() {
        return scheduled - served;
    }
}
