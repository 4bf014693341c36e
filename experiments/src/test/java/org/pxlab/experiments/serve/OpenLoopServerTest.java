package org.pxlab.experiments.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pxlab.experiments.workload.Workloads;
import org.pxlab.runtime.config.ComponentRegistry;
import org.pxlab.runtime.config.ConfigurationException;
import org.pxlab.runtime.exec.PxRuntime;
import org.pxlab.runtime.serve.LatencyResult;
import org.pxlab.runtime.serve.OpenLoopPlan;
import org.pxlab.runtime.serve.OpenLoopServer;
import org.pxlab.runtime.serve.Server;
import org.pxlab.runtime.serve.Service;
import org.pxlab.runtime.spi.ComponentParameters;

/**
 * The open-loop harness on real configurations and the {@code json} workload. Nothing here
 * asserts a speed: only the schedule's structure, what a stall must do to the requests due
 * during it (a lower bound that load can only raise), counts, and allocation.
 */
class OpenLoopServerTest {
    private static final long MS = 1_000_000;

    /** The json workload's service, with {@code request} wrapped by {@code before}. */
    private static Service json(PxRuntime rt, Service.Request before) {
        return wrapped(rt, "json", java.util.Map.of(), before);
    }

    /** A workload's service with these options, with {@code request} wrapped by {@code before}. */
    private static Service wrapped(PxRuntime rt, String workload, java.util.Map<String, String> options,
                                   Service.Request before) {
        Service s = Server.setUp(rt, Workloads.load().named(workload), new ComponentParameters(workload, options));
        return Service.of(s.handler(), (m, i) -> {
            before.argument(m, i);
            return s.request(m, i);
        }, s::verify);
    }

    private static PxRuntime start(String configuration) {
        return PxRuntime.start(ComponentRegistry.load().assemble(configuration));
    }

    /** Waits at least {@code nanos} (parkNanos alone may return early). */
    private static void stall(long nanos) {
        long until = System.nanoTime() + nanos;
        for (long left; (left = until - System.nanoTime()) > 0; ) LockSupport.parkNanos(left);
    }

    @Test
    void theScheduleIsAFixedFunctionOfTheIndex() {
        OpenLoopPlan plan = new OpenLoopPlan(1000, 1000 * MS, 500 * MS, 2, 100 * MS);
        assertThat(plan.dueNanos(0)).isZero();
        assertThat(plan.dueNanos(1)).isEqualTo(MS);
        assertThat(plan.dueNanos(1234)).isEqualTo(1234 * MS);
        assertThat(plan.warmupRequests()).isEqualTo(500);
        assertThat(plan.scheduledRequests()).isEqualTo(1500);
        assertThat(plan.measuredRequests()).isEqualTo(1000);
        // A rate whose period is not a whole number of nanoseconds: the counts agree with dueNanos.
        OpenLoopPlan odd = new OpenLoopPlan(3, 1000 * MS, 700 * MS, 1, 100 * MS);
        long n = 0;
        while (odd.dueNanos(n) < 1700 * MS) n++;
        assertThat(odd.scheduledRequests()).isEqualTo(n).isEqualTo(6);
        assertThat(odd.warmupRequests()).isEqualTo(3);
    }

    /**
     * One request stalls for 50 ms at a rate of one request per 0.5 ms on one worker. Each of
     * the 50 requests due in the stall's first 25 ms starts after it, so its latency from its
     * due time is at least 25 ms, however fast or slow the machine. Measured from when the
     * worker started each request (what a closed-loop client sees), only the stalled one is slow.
     */
    @Test
    void aStallShowsInTheLatencyOfEveryRequestDueDuringIt() {
        try (PxRuntime rt = start("gil")) {
            Service slow = json(rt, (m, i) -> {
                if (i == 10) stall(50 * MS);
                return 0;
            });
            LatencyResult r = OpenLoopServer.serve(rt, slow, new OpenLoopPlan(2000, 150 * MS, 0, 1, 50 * MS), null);

            assertThat(r.served()).isEqualTo(r.scheduled()).isEqualTo(300);
            long lateFromDue = r.latency().getCountBetweenValues(25 * MS, OpenLoopServer.HIGHEST_NANOS);
            long slowService = r.serviceTime().getCountBetweenValues(25 * MS, OpenLoopServer.HIGHEST_NANOS);
            assertThat(lateFromDue).as("requests at least 25 ms late from their due time").isGreaterThanOrEqualTo(51);
            assertThat(slowService).as("requests that took 25 ms once started").isGreaterThanOrEqualTo(1);
            assertThat(lateFromDue - slowService).as("late only because of the stall before them").isGreaterThanOrEqualTo(50);
        }
    }

    /**
     * Waiting for the GIL shows in the latency of the worker that waits: on {@code gil} with two
     * workers, worker 0 holds the GIL through a 20 ms stall in one request in fifty of its own (C
     * code that does not release it: no eval-breaker check, so the switch interval cannot take it
     * away), and worker 1's requests that fall due meanwhile cannot attach. They are late from
     * their due time without being slow once started.
     */
    @Test
    void aGilHeldThroughAStallShowsInTheLatencyOfTheOtherWorker() {
        try (PxRuntime rt = start("gil")) {
            Service s = json(rt, (m, i) -> {
                if (i % 100 == 50) stall(20 * MS);   // even indexes: worker 0's requests
                return 0;
            });
            LatencyResult r = OpenLoopServer.serve(rt, s, new OpenLoopPlan(1000, 500 * MS, 0, 2, 100 * MS), null);

            long lateFromDue = r.latency().getCountBetweenValues(10 * MS, OpenLoopServer.HIGHEST_NANOS);
            long slowService = r.serviceTime().getCountBetweenValues(10 * MS, OpenLoopServer.HIGHEST_NANOS);
            assertThat(slowService).as("the stalled requests themselves").isPositive();
            assertThat(lateFromDue - slowService).as("requests at least 10 ms late but not slow once started")
                    .isPositive();
        }
    }

    /**
     * A stop-the-world pause shows in the latency of requests on the <em>other</em> worker too:
     * worker 0 runs {@code gc.collect()} inside one request in fifty of its own on {@code free-threaded-3.13}
     * (a heap of 10,000 wiki titles, so a pause lasts milliseconds), and worker 1's requests that
     * fall due during a pause wait for the world to restart before they can attach. Those are late
     * from their due time without being slow once started, so they are in the latency histogram's
     * tail and not in the service-time one; a harness that timed from the start of service (closed
     * loop) would hide them.
     */
    @Test
    void aStopTheWorldPauseShowsInTheLatencyOfRequestsOnTheOtherWorker() {
        try (PxRuntime rt = start("free-threaded-3.13")) {
            Service s = wrapped(rt, "wiki-search", java.util.Map.of("titles", "10000"), (m, i) -> {
                if (i % 100 == 50) m.gcCollect(2);    // even indexes: worker 0's requests
                return 0;
            });
            var collector = (org.pxlab.gc.StopTheWorldCollector) rt.heap().space(0).collector();
            LatencyResult r = OpenLoopServer.serve(rt, s, new OpenLoopPlan(500, 1000 * MS, 0, 2, 100 * MS), null);

            org.HdrHistogram.Histogram pauses = collector.pauses();
            assertThat(pauses.getTotalCount()).as("pauses").isPositive();
            long shortest = pauses.getMinValue();
            assertThat(r.latency().getMaxValue()).as("the longest latency against the longest pause")
                    .isGreaterThanOrEqualTo(pauses.getMaxValue());
            long lateFromDue = r.latency().getCountBetweenValues(shortest / 2, OpenLoopServer.HIGHEST_NANOS);
            long slowService = r.serviceTime().getCountBetweenValues(shortest / 2, OpenLoopServer.HIGHEST_NANOS);
            assertThat(lateFromDue - slowService)
                    .as("requests at least half the shortest pause (%d us) late but not slow once started", shortest / 1000)
                    .isPositive();
        }
    }

    /** The interval log reads back with HdrHistogram's own reader and holds every measured request once. */
    @ParameterizedTest
    @ValueSource(strings = {"gil", "split-brain"})
    void theIntervalLogReadsBackWithTheCountServed(String configuration) {
        try (PxRuntime rt = start(configuration)) {
            Service s = json(rt, (m, i) -> 0);
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            LatencyResult r = OpenLoopServer.serve(rt, s, new OpenLoopPlan(4000, 200 * MS, 50 * MS, 2, 50 * MS), log,
                    "test " + configuration);

            HistogramLogReader reader = new HistogramLogReader(new ByteArrayInputStream(log.toByteArray()));
            long total = 0;
            int intervals = 0;
            for (EncodableHistogram h; (h = reader.nextIntervalHistogram()) != null; intervals++) {
                total += ((org.HdrHistogram.Histogram) h).getTotalCount();
            }
            assertThat(log.toString()).contains("#test " + configuration);
            assertThat(intervals).isGreaterThanOrEqualTo(2);
            assertThat(r.served()).isPositive().isEqualTo(r.perWorker()[0] + r.perWorker()[1]);
            assertThat(total).isEqualTo(r.served()).isEqualTo(r.latency().getTotalCount())
                    .isEqualTo(r.serviceTime().getTotalCount());
            assertThat(Math.min(r.perWorker()[0], r.perWorker()[1])).as("requests served by the quieter worker").isPositive();
        }
    }

    /**
     * The worker's loop (waiting detached, serving, recording in the recorders) allocates no
     * Java object: the worker's allocated-bytes counter, read from inside requests far into the
     * run (so the loop is compiled), moves by less than 1 KiB over at least one window of 1,000
     * requests. Up to seven windows are read and the smallest counts: an allocation per request shows
     * in every one (16 bytes or more each, 16,000 per window), while the JVM's own sporadic
     * events do not. Those were traced with JFR ({@code -XX:-UseTLAB} and
     * {@code jdk.ObjectAllocationOutsideTLAB}): bursts of a few hundred bytes of strings
     * attributed to safepoint polls in code that allocates nothing (deoptimisation
     * rematerialising scalar-replaced objects), in a few windows out of twenty, more on a loaded
     * machine; two windows once both caught one in CI. It runs on {@code fine-grained}, whose
     * attach never blocks: under a GIL a contended attach enqueues a wait node
     * (GlobalInterpreterLock's documented cost of a thread about to sleep), which is the GIL's
     * allocation, not the harness's.
     */
    @Test
    void theOpenLoopAllocatesNothingPerRequest() {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] at = new long[8];
        try (PxRuntime rt = start("fine-grained")) {
            Service s = json(rt, (m, i) -> {
                if (i >= 2000 && i <= 9000 && i % 1000 == 0) at[(int) (i / 1000 - 2)] = mx.getCurrentThreadAllocatedBytes();
                return 0;
            });
            OpenLoopServer.serve(rt, s, new OpenLoopPlan(5_000, 1900 * MS, 100 * MS, 1, 100 * MS), null);
        }
        // A run that fell far behind on a loaded machine stops issuing: its last readings are missing.
        assertThat(at[0]).as("the first reading, at request 2000").isPositive();
        long smallest = Long.MAX_VALUE;
        int windows = 0;
        for (int k = 1; k < at.length && at[k] > 0; k++, windows++) smallest = Math.min(smallest, at[k] - at[k - 1]);
        assertThat(windows).as("windows of 1,000 requests read").isGreaterThanOrEqualTo(2);
        assertThat(smallest).as("Java bytes allocated by 1,000 open-loop requests, in the quietest of %d windows", windows)
                .isLessThan(1024);
    }

    @Test
    void badPlansAreRefusedNamingTheFieldTheValueAndWhatIsAllowed() {
        assertThatThrownBy(() -> OpenLoopPlan.of(0, 1000 * MS, 0, 1)).isInstanceOf(ConfigurationException.class)
                .hasMessage("rate: '0' is not allowed; expected requests per second, above 0 and at most 10000000");
        assertThatThrownBy(() -> OpenLoopPlan.of(Double.NaN, 1000 * MS, 0, 1)).hasMessageStartingWith("rate: 'NaN'");
        assertThatThrownBy(() -> OpenLoopPlan.of(100, 0, 0, 1)).hasMessageStartingWith("duration: '0ms' is not allowed");
        assertThatThrownBy(() -> OpenLoopPlan.of(100, MS, -MS, 1)).hasMessageStartingWith("warmup: '-1ms'");
        assertThatThrownBy(() -> OpenLoopPlan.of(100, MS * 1000, 0, 0)).hasMessageStartingWith("workers: '0'");
        assertThatThrownBy(() -> new OpenLoopPlan(100, MS * 1000, 0, 1, 1000)).hasMessageStartingWith("interval: '1000ns'");
        assertThatThrownBy(() -> OpenLoopPlan.of(0.5, 1000 * MS, 0, 1))
                .hasMessageContaining("at least one request in the duration of 1000ms");
    }
}
