package org.pxlab.runtime.serve;

import java.util.Locale;
import org.pxlab.runtime.config.ConfigurationException;
import org.pxlab.runtime.exec.ThreadContext;

/**
 * What an open-loop run does: requests at a constant total {@code rate}, issued on a fixed
 * schedule for {@code warmupNanos + durationNanos}, by {@code workers} runtime worker threads,
 * with an interval histogram logged every {@code intervalNanos}. Request {@code i} (counting
 * from 0 at the run's start, across workers) is due at {@code i / rate} seconds; worker
 * {@code w} of {@code n} issues requests {@code w, w+n, ...}, so each worker runs at
 * {@code rate / n} and the workers' requests interleave evenly.
 *
 * <p>Requests due before the warm-up ends are served but not recorded. Every value is checked
 * here, before anything starts or is written.
 *
 * @param rate          requests per second, all workers together; above 0, at most {@value #MAX_RATE}
 * @param durationNanos the measured part of the schedule, in nanoseconds; above 0, at most an hour
 * @param warmupNanos   the unrecorded part before it, in nanoseconds; 0 to an hour
 * @param workers       runtime worker threads; 1 to {@value #MAX_WORKERS}
 * @param intervalNanos how often an interval histogram is logged, in nanoseconds; 1 ms to an hour
 * @throws ConfigurationException naming the field, the value and what is allowed
 */
public record OpenLoopPlan(double rate, long durationNanos, long warmupNanos, int workers, long intervalNanos) {
    /**
     * The highest rate accepted, requests per second: a request due every 100 ns, beyond what
     * any configuration serves here, so a typo (an extra zero or three) is caught rather than
     * run as a hopeless backlog.
     */
    public static final double MAX_RATE = 10_000_000;
    /** The most workers: half of the runtime's thread ids, leaving the rest to the main thread and collectors. */
    public static final int MAX_WORKERS = ThreadContext.MAX_THREADS / 2;
    /** One hour in nanoseconds: the longest duration, warm-up or interval accepted. */
    public static final long HOUR_NANOS = 3_600_000_000_000L;
    /** One second in nanoseconds: the usual logging interval (HdrHistogram's tools plot per-second lines). */
    public static final long SECOND_NANOS = 1_000_000_000L;

    public OpenLoopPlan {
        if (!(rate > 0 && rate <= MAX_RATE)) { // also refuses NaN
            throw new ConfigurationException("rate", format(rate),
                    "requests per second, above 0 and at most " + (long) MAX_RATE);
        }
        if (durationNanos <= 0 || durationNanos > HOUR_NANOS) {
            throw new ConfigurationException("duration", nanos(durationNanos), "above 0 and at most 1h");
        }
        if (warmupNanos < 0 || warmupNanos > HOUR_NANOS) {
            throw new ConfigurationException("warmup", nanos(warmupNanos), "0 or more, at most 1h");
        }
        if (workers < 1 || workers > MAX_WORKERS) {
            throw new ConfigurationException("workers", Integer.toString(workers), "1 to " + MAX_WORKERS);
        }
        if (intervalNanos < 1_000_000 || intervalNanos > HOUR_NANOS) {
            throw new ConfigurationException("interval", nanos(intervalNanos), "at least 1ms, at most 1h");
        }
        if (rate * durationNanos / 1e9 < 1) {
            throw new ConfigurationException("rate", format(rate),
                    "at least one request in the duration of " + nanos(durationNanos) + " (a rate of "
                            + format(1e9 / durationNanos) + " or more)");
        }
    }

    /** A plan logging an interval histogram every second. */
    public static OpenLoopPlan of(double rate, long durationNanos, long warmupNanos, int workers) {
        return new OpenLoopPlan(rate, durationNanos, warmupNanos, workers, SECOND_NANOS);
    }

    /** Nanoseconds between two consecutive requests of the whole schedule ({@code 1e9 / rate}). */
    public double periodNanos() {
        return 1e9 / rate;
    }

    /**
     * When request {@code index} is due, in nanoseconds after the schedule's start. A fixed
     * function of the index: it never depends on when earlier requests were answered, which is
     * what makes the loop open.
     */
    public long dueNanos(long index) {
        return (long) (index * 1e9 / rate);
    }

    /** Requests due before the warm-up ends: those with {@code dueNanos(i) < warmupNanos}. */
    public long warmupRequests() {
        return dueBefore(warmupNanos);
    }

    /** Requests the whole schedule holds (warm-up and measured). */
    public long scheduledRequests() {
        return dueBefore(warmupNanos + durationNanos);
    }

    /** Requests due in the measured part of the schedule. */
    public long measuredRequests() {
        return scheduledRequests() - warmupRequests();
    }

    /** The number of indexes {@code i >= 0} with {@code dueNanos(i) < nanos}. */
    private long dueBefore(long nanos) {
        // A first guess from the real quotient, then corrected against dueNanos itself so that
        // the count and the schedule agree exactly despite rounding.
        long n = (long) Math.ceil(nanos * rate / 1e9);
        while (n > 0 && dueNanos(n - 1) >= nanos) n--;
        while (dueNanos(n) < nanos) n++;
        return n;
    }

    private static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15
                ? Long.toString((long) value) : String.format(Locale.ROOT, "%s", value);
    }

    private static String nanos(long nanos) {
        return nanos % 1_000_000 == 0 ? (nanos / 1_000_000) + "ms" : nanos + "ns";
    }
}
