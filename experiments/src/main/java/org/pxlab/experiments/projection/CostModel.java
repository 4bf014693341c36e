package org.pxlab.experiments.projection;

/**
 * Turns a counting run's counts into predicted throughput on N cores. Model output, never a
 * measurement; {@code docs/projection.md} explains it with the same symbols.
 *
 * <p>Per request (counts divided by the requests counted, at N logical cores), with the
 * {@link Calibration}'s prices: access {@code a}, atomic extra {@code b}, line transfer
 * {@code x}, contended CAS {@code c}, lock {@code l}:
 *
 * <pre>
 *   t_m = a (loads + stores) + (a + b) atomics + x (read transfers + write transfers)
 *   t_g = a gc_accesses                                  collector work
 *   core time per request:
 *     T = t_m + t_g                                      no stop-the-world
 *     T = t_m + N t_g + x safepoint_waits                with stops: every core idles through the
 *                                                        pause, and each stop costs each other core
 *                                                        one hand-shake (a line transfer)
 *   X_parallel(N) = N / T
 *   bounds (requests per second), for N &gt;= 2:
 *     GIL         1 / (t_m + t_g)                        every request runs under one lock
 *     hottest lock   1 / (h (l + x))                     h = its acquisitions per request; each one
 *                                                        moves its line and holds it for l
 *     hottest line   1 / (H max(x, c))                   H = its transfers per request; a line moves
 *                                                        to one core at a time
 *   X(N) = min(X_parallel(N), bounds)
 * </pre>
 *
 * <p>What it does not see: waiting inside a request for a lock held by a request on another
 * core beyond the hottest lock's serialisation, queueing delay as a bound is approached (the
 * prediction has a sharp knee where a real system curves), caches overflowing (the coherence
 * model's caches are unbounded), memory bandwidth, and SMT. The interleaving's granularity is
 * the request ({@link org.pxlab.runtime.serve.InterleavedServer}): transfers are counted
 * between requests, so a line written several times in one request is counted once per
 * request, as if each core kept it for the whole request.
 */
public final class CostModel {
    private final Calibration prices;

    public CostModel(Calibration prices) {
        this.prices = prices;
    }

    /** A prediction: throughput and what limits it. */
    public record Prediction(int cores, double requestsPerSecond, String limit) {
    }

    /** Core nanoseconds per request of mutator work ({@code t_m}). */
    public double mutatorNanos(EventCounts c) {
        double a = prices.accessNs();
        return a * (c.perRequest(Event.LOAD) + c.perRequest(Event.STORE))
                + (a + prices.atomicNs()) * c.perRequest(Event.ATOMIC)
                + prices.lineTransferNs() * (c.perRequest(Event.LINE_READ_TRANSFER) + c.perRequest(Event.LINE_WRITE_TRANSFER));
    }

    /** Core nanoseconds per request of collector work ({@code t_g}). */
    public double collectorNanos(EventCounts c) {
        return prices.accessNs() * c.perRequest(Event.GC_ACCESS);
    }

    /**
     * Predicts throughput on {@code cores} cores from counts taken at that many logical cores
     * (or at fewer, for core counts a counting run cannot have: the per-request counts level
     * off once every request runs on another core than the one before).
     *
     * @param serialised whether the configuration lets one thread at a time run (a GIL)
     */
    public Prediction predict(EventCounts c, int cores, boolean serialised) {
        double tm = mutatorNanos(c);
        double tg = collectorNanos(c);
        double coreNanos = c.total(Event.STOP_THE_WORLD) == 0 ? tm + tg
                : tm + cores * tg + prices.lineTransferNs() * c.perRequest(Event.SAFEPOINT_WAIT);
        double x = cores * 1e9 / coreNanos;
        String limit = cores == 1 ? "one core" : "parallel work";
        if (cores >= 2) {
            if (serialised) {
                double gil = 1e9 / (tm + tg);
                if (gil < x) { x = gil; limit = "GIL"; }
            }
            double h = perRequest(c.hottestLock(), c);
            if (h > 0) {
                double lock = 1e9 / (h * (prices.lockNs() + prices.lineTransferNs()));
                if (lock < x) { x = lock; limit = "hottest lock"; }
            }
            double hl = perRequest(c.hottestLine(), c);
            if (hl > 0) {
                double line = 1e9 / (hl * Math.max(prices.lineTransferNs(), prices.contendedCasNs()));
                if (line < x) { x = line; limit = "hottest line"; }
            }
        }
        return new Prediction(cores, x, limit);
    }

    private static double perRequest(long n, EventCounts c) {
        long r = c.total(Event.REQUEST);
        return r == 0 ? 0 : (double) n / r;
    }
}
