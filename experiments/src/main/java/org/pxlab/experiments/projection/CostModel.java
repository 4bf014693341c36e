package org.pxlab.experiments.projection;

/**
 * Turns a counting run's counts into predicted throughput on N cores. Model output, never a
 * measurement; {@code docs/projection.md} explains it with the same symbols.
 *
 * <p>Per request (counts divided by the requests counted, at N logical cores), with the
 * {@link Calibration}'s prices: access {@code a}, atomic extra {@code b}, line transfer
 * {@code x}, contended CAS {@code c}, critical section {@code l}; and the workload's
 * interpreter work {@code W} (its {@link #workNanos}):
 *
 * <pre>
 *   t_m = a (loads + stores) + (a + b) atomics + l locks + x (read transfers + write transfers)
 *   t_r = x races                                        transfers the turns could not see
 *   t_g = a gc_accesses                                  collector work
 *   core time per request:
 *     T = W + t_m + t_r + t_g                            no stop-the-world
 *     T = W + t_m + t_r + N t_g + x safepoint_waits      with stops: every core idles through the
 *                                                        pause, and each stop costs each other core
 *                                                        one hand-shake (a line transfer)
 *   X(1) = 1 / T
 *   GIL (a configuration that serialises its mutators), N &gt;= 2:
 *     X(N) = 1 / (W + t_m - x transfers + t_g)           one thread runs at a time and keeps the GIL
 *                                                        for a switch interval (thousands of
 *                                                        requests): the lines stay with it
 *   otherwise, N &gt;= 2:
 *     X(N) = min(N / T, bounds)
 *     hottest lock   1 / (h (l + x))                     h = its acquisitions per request; each one
 *                                                        moves its line and holds it for l
 *     hottest line   1 / (H max(x, c))                   H = its transfers and races per request; a
 *                                                        line moves to one core at a time
 * </pre>
 *
 * <p>{@code W} is the work a request does that touches no simulated memory (the interpreter's
 * own Java work, the same in every configuration): measured once per workload on the
 * reference configuration at one core ({@link #workNanos}). Without it ({@link #predict(EventCounts,
 * int, boolean)}) the model prices the components' work only.
 *
 * <p>What it does not see: waiting inside a request for a lock held by a request on another
 * core beyond the hottest lock's serialisation, queueing delay as a bound is approached (the
 * prediction has a sharp knee where a real system curves), caches overflowing (the coherence
 * model's caches are unbounded), memory bandwidth, SMT, and contention on Java state the
 * components share outside simulated memory. The interleaving's granularity is the request
 * ({@link org.pxlab.runtime.serve.InterleavedServer}); the races ({@link Event#LINE_RACE}) are
 * the coherence model's estimate of the transfers finer interleaving would add: per line that
 * arrived in a turn of {@code A} accesses, with {@code a} accesses to it ({@code w} writes,
 * {@code w'} after the arriving one, {@code r = a - w} reads) spanning {@code S} accesses,
 * {@code min(a - 1, (N - 1) (w + r w' / (a - 1)) S / A)} ({@link CoherenceModel}; here
 * {@code a} counts accesses, not the access price).
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
        return serialNanos(c) + prices.lineTransferNs() * transfers(c);
    }

    /** {@code t_m} without its transfers: the mutator work of a thread that keeps its lines. */
    private double serialNanos(EventCounts c) {
        double a = prices.accessNs();
        return a * (c.perRequest(Event.LOAD) + c.perRequest(Event.STORE))
                + (a + prices.atomicNs()) * c.perRequest(Event.ATOMIC)
                + prices.lockNs() * (c.perRequest(Event.LOCK_LOCAL) + c.perRequest(Event.LOCK_REMOTE));
    }

    private static double transfers(EventCounts c) {
        return c.perRequest(Event.LINE_READ_TRANSFER) + c.perRequest(Event.LINE_WRITE_TRANSFER);
    }

    /** Core nanoseconds per request of transfers the request-by-request turns could not see ({@code t_r}). */
    public double raceNanos(EventCounts c) {
        return prices.lineTransferNs() * c.perRequest(Event.LINE_RACE);
    }

    /** Core nanoseconds per request of collector work ({@code t_g}). */
    public double collectorNanos(EventCounts c) {
        return prices.accessNs() * c.perRequest(Event.GC_ACCESS);
    }

    /**
     * The workload's interpreter work {@code W}: what a measured single-core throughput leaves
     * once the counted work is priced, {@code W = 1e9 / rps - (t_m + t_g)} from counts at one
     * logical core.
     *
     * 0 when the priced work alone takes longer than the measured request: the prices are too
     * high for this machine, and the reference's own one-core error shows by how much.
     *
     * @param oneCore counts of the workload on the reference configuration at one logical core
     * @param rps     its measured throughput on one worker
     * @throws IllegalArgumentException if nothing was served
     */
    public double workNanos(EventCounts oneCore, double rps) {
        if (!(rps > 0) || oneCore.total(Event.REQUEST) == 0) throw new IllegalArgumentException("the reference served nothing to measure W on");
        return Math.max(0, 1e9 / rps - mutatorNanos(oneCore) - collectorNanos(oneCore));
    }

    /** {@link #predict(EventCounts, double, int, boolean)} with no interpreter work ({@code W = 0}). */
    public Prediction predict(EventCounts c, int cores, boolean serialised) {
        return predict(c, 0, cores, serialised);
    }

    /**
     * Predicts throughput on {@code cores} cores from counts taken at that many logical cores
     * (or at fewer, for core counts a counting run cannot have: the per-request counts level
     * off once every request runs on another core than the one before).
     *
     * @param workNanos  the workload's interpreter work {@code W} ({@link #workNanos})
     * @param serialised whether the configuration lets one thread at a time run (a GIL)
     */
    public Prediction predict(EventCounts c, double workNanos, int cores, boolean serialised) {
        double tg = collectorNanos(c);
        if (serialised && cores >= 2) return new Prediction(cores, 1e9 / (workNanos + serialNanos(c) + tg), "GIL");
        double tm = mutatorNanos(c) + (cores >= 2 ? raceNanos(c) : 0);
        double coreNanos = workNanos + (c.total(Event.STOP_THE_WORLD) == 0 ? tm + tg
                : tm + cores * tg + prices.lineTransferNs() * c.perRequest(Event.SAFEPOINT_WAIT));
        double x = cores * 1e9 / coreNanos;
        String limit = cores == 1 ? "one core" : "parallel work";
        if (cores >= 2) {
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
