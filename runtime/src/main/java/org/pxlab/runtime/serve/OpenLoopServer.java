package org.pxlab.runtime.serve;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.HdrHistogram.SingleWriterRecorder;
import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.exec.Mutator;
import org.pxlab.runtime.exec.PxRuntime;

/**
 * Serves requests <em>open loop</em>, as wrk2 drives a server: request {@code i} is due at a
 * fixed time ({@link OpenLoopPlan#dueNanos}), whatever happened to the requests before it, and
 * its latency is counted from that due time to its verified answer. A closed-loop client
 * waits for each answer before it sends the next request, so a stall delays the requests
 * that would have arrived meanwhile without any of them being measured as late ("coordinated
 * omission"); here every request that fell due during the stall waits for it, and shows it.
 *
 * <p><b>Threads and the request path.</b> The runtime's own worker threads serve, through the
 * same path as {@link ServingSession} ({@link Server#answerOnConnection}): keep-alive connections
 * of {@link Server#REQUESTS_PER_CONNECTION} requests (under split-brain, a parallel context per
 * connection and a heap snapshot and rollback per request), each request in its own frame,
 * every answer verified. Worker {@code w} of {@code n} issues requests {@code w, w+n, ...}.
 * A worker ahead of its schedule waits <em>detached</em> (under a GIL, with the GIL released),
 * as a server's thread waits for the next request on its socket; it parks until
 * {@link #SPIN_NANOS} before the due time, then spins, because parking alone overshoots by
 * tens of microseconds, which would add the harness's own timer slack to every latency.
 *
 * <p><b>Recording.</b> Each worker records into its own two HdrHistogram
 * {@link SingleWriterRecorder}s (latency from the due time, and service time from the moment
 * the worker started the request, for contrast): a {@code Recorder} whose one writer needs no
 * atomic read-modify-write, which is the case since no two workers share one. The hot path
 * allocates no Java object. The calling thread, meanwhile, takes every worker's interval
 * histogram each {@link OpenLoopPlan#intervalNanos}, adds them up and writes the sum to the
 * {@code .hlog} with {@link HistogramLogWriter}, one line per interval, values in nanoseconds.
 *
 * <p><b>Falling behind.</b> A rate above what the configuration sustains makes the backlog,
 * and the latencies, grow for the whole run: that is the finding. All due requests are served,
 * unless the run overruns the end of its schedule by more than its measured duration; then
 * the workers stop issuing, and {@link LatencyResult#unstarted()} says how many requests were
 * never started (their latency would only have been larger).
 */
public final class OpenLoopServer {
    /** The highest latency recorded, in nanoseconds (one hour); longer ones are recorded as this. */
    public static final long HIGHEST_NANOS = OpenLoopPlan.HOUR_NANOS;
    /** Significant decimal digits kept by every histogram: values within 0.1%. */
    public static final int SIGNIFICANT_DIGITS = 3;
    /** How long before a due time a waiting worker stops parking and starts spinning. */
    static final long SPIN_NANOS = 50_000;
    /** Between starting the worker threads and the schedule's start, so that they are up in time. */
    static final long LEAD_NANOS = 20_000_000;

    private final PxRuntime runtime;
    private final Service service;
    private final OpenLoopPlan plan;
    private final int workers;
    private final long scheduled;
    private final long warmupRequests;
    private final SingleWriterRecorder[] latency;
    private final SingleWriterRecorder[] serviceTime;
    private final long[] perWorker;
    private final long[] lastEnd;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    /** Set when a worker fails, so that the others stop instead of serving the rest of the schedule. */
    private volatile boolean stop;
    private long start;
    private long deadline;

    private OpenLoopServer(PxRuntime runtime, Service service, OpenLoopPlan plan) {
        this.runtime = runtime;
        this.service = service;
        this.plan = plan;
        this.workers = plan.workers();
        this.scheduled = plan.scheduledRequests();
        this.warmupRequests = plan.warmupRequests();
        this.latency = new SingleWriterRecorder[workers];
        this.serviceTime = new SingleWriterRecorder[workers];
        for (int w = 0; w < workers; w++) {
            latency[w] = new SingleWriterRecorder(HIGHEST_NANOS, SIGNIFICANT_DIGITS);
            serviceTime[w] = new SingleWriterRecorder(HIGHEST_NANOS, SIGNIFICANT_DIGITS);
        }
        this.perWorker = new long[workers];
        this.lastEnd = new long[workers];
    }

    /**
     * Runs {@code plan} against {@code service} (set up on {@code runtime}) and returns when every
     * issued request has been answered.
     *
     * @param hlog     where the interval log goes (not closed here), or null for none
     * @param comments lines written at the head of the log as {@code #} comments (what was run)
     * @throws WrongAnswer or any other failure of a request, after the workers have stopped
     */
    public static LatencyResult serve(PxRuntime runtime, Service service, OpenLoopPlan plan,
                                      OutputStream hlog, String... comments) {
        return new OpenLoopServer(runtime, service, plan).run(hlog, comments);
    }

    private LatencyResult run(OutputStream hlog, String[] comments) {
        PrintStream logStream = hlog == null ? null : new PrintStream(hlog, false, StandardCharsets.US_ASCII);
        HistogramLogWriter log = logStream == null ? null : new HistogramLogWriter(logStream);
        Thread pool = new Thread(() -> {
            try {
                runtime.runWorkers(workers, Placement.WORKER, this::work);
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        }, "pxlab-open-loop");
        pool.setDaemon(true);
        start = System.nanoTime() + LEAD_NANOS;
        long measureStart = start + plan.warmupNanos();
        long scheduleEnd = measureStart + plan.durationNanos();
        deadline = scheduleEnd + plan.durationNanos();
        long measureStartMillis = System.currentTimeMillis() + (measureStart - System.nanoTime()) / 1_000_000;
        if (log != null) {
            log.outputLogFormatVersion();
            for (String c : comments) log.outputComment(c);
            log.outputComment(String.format(java.util.Locale.ROOT,
                    "open loop: %.1f requests/s, %d workers, warm-up %d ms, duration %d ms; values in nanoseconds",
                    plan.rate(), workers, plan.warmupNanos() / 1_000_000, plan.durationNanos() / 1_000_000));
            log.outputStartTime(measureStartMillis);
            log.setBaseTime(measureStartMillis);
            log.outputLegend();
        }
        pool.start();

        Histogram interval = new Histogram(HIGHEST_NANOS, SIGNIFICANT_DIGITS);
        Histogram latencyTotal = new Histogram(HIGHEST_NANOS, SIGNIFICANT_DIGITS);
        Histogram serviceTotal = new Histogram(HIGHEST_NANOS, SIGNIFICANT_DIGITS);
        Histogram[] latencyRecycled = new Histogram[workers];
        Histogram[] serviceRecycled = new Histogram[workers];
        // Nothing is recorded before the measured part, so the first interval starts with it.
        long intervalStart = measureStart;
        long tick = measureStart + plan.intervalNanos();
        boolean running = true;
        while (running) {
            long now = System.nanoTime();
            if (now < tick) running = !join(pool, tick - now);
            now = System.nanoTime();
            if (now < tick && running) continue;
            interval.reset();
            for (int w = 0; w < workers; w++) {
                latencyRecycled[w] = latency[w].getIntervalHistogram(latencyRecycled[w]);
                serviceRecycled[w] = serviceTime[w].getIntervalHistogram(serviceRecycled[w]);
                interval.add(latencyRecycled[w]);
                serviceTotal.add(serviceRecycled[w]);
            }
            latencyTotal.add(interval);
            // The last flush, just after the workers end, usually covers a sliver with nothing in it.
            if (log != null && (running || interval.getTotalCount() > 0)) {
                log.outputIntervalHistogram(Math.max(0, intervalStart - measureStart) / 1e9,
                        Math.max(0, now - measureStart) / 1e9, interval, 1e6);
            }
            intervalStart = now;
            while (tick <= now) tick += plan.intervalNanos();
        }
        if (logStream != null) logStream.flush();

        Throwable f = failure.get();
        if (f instanceof RuntimeException r) throw r;
        if (f instanceof Error e) throw e;
        if (f != null) throw new IllegalStateException(f);
        long served = 0, end = measureStart;
        for (int w = 0; w < workers; w++) {
            served += perWorker[w];
            end = Math.max(end, lastEnd[w]);
        }
        return new LatencyResult(plan, plan.measuredRequests(), served, perWorker.clone(),
                latencyTotal, serviceTotal, end - measureStart);
    }

    /** Waits up to {@code nanos} for the workers; true once they have all ended. */
    private static boolean join(Thread pool, long nanos) {
        try {
            return pool.join(Duration.ofNanos(nanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while serving open loop", e);
        }
    }

    /** One worker's share of the schedule: requests {@code w, w+n, ...}, each at its due time. */
    private void work(Mutator m, int w) {
        SingleWriterRecorder latencyRecorder = latency[w];
        SingleWriterRecorder serviceRecorder = serviceTime[w];
        long served = 0, measured = 0, last = 0;
        m.enterModule(runtime.heap().types().builtinsModule(), 0);
        try {
            for (long i = w; i < scheduled && !stop; i += workers) {
                long due = start + plan.dueNanos(i);
                long now = System.nanoTime();
                if (now < due) {
                    waitUntil(m, due);
                } else if (now > deadline) {
                    break;                          // hopelessly behind: the rest count as unstarted
                }
                long begin = System.nanoTime();
                Server.answerOnConnection(m, service, i, served++);
                long end = System.nanoTime();
                if (i >= warmupRequests) {
                    latencyRecorder.recordValue(Math.min(end - due, HIGHEST_NANOS));
                    serviceRecorder.recordValue(Math.min(end - begin, HIGHEST_NANOS));
                    measured++;
                    last = end;
                }
            }
        } catch (Throwable e) {
            stop = true;
            throw e;
        } finally {
            perWorker[w] = measured;
            lastEnd[w] = last;
            Server.closeConnection(m, served);
            m.exitFrame();
        }
    }

    /** Waits for {@code due} detached, so that a waiting worker holds no GIL. */
    private void waitUntil(Mutator m, long due) {
        runtime.detach(m.thread());
        try {
            long left;
            while ((left = due - System.nanoTime()) > SPIN_NANOS) LockSupport.parkNanos(left - SPIN_NANOS);
            while (System.nanoTime() < due) Thread.onSpinWait();
        } finally {
            runtime.attach(m.thread());
        }
    }
}
