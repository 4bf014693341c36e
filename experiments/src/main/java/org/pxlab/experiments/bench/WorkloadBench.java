package org.pxlab.experiments.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.pxlab.experiments.suite.Composition;
import org.pxlab.experiments.workload.Workloads;
import org.pxlab.runtime.config.ComponentRegistry;
import org.pxlab.runtime.exec.PxRuntime;
import org.pxlab.runtime.serve.ServeResult;
import org.pxlab.runtime.serve.Server;
import org.pxlab.runtime.serve.Service;
import org.pxlab.runtime.serve.ServingSession;
import org.pxlab.runtime.spi.ComponentParameters;

/**
 * Workload throughput, in requests per second, measured through the runtime's own threads
 * (DESIGN.md section 6). Each invocation serves one <em>batch</em> of requests through a
 * {@link ServingSession} opened at set-up: its {@code workers} worker threads stay up, wait
 * between batches detached (with the GIL released), and answer and verify each batch closed
 * loop. The request index runs on from
 * one invocation to the next, so the batches together are one long stream of requests, and
 * JMH's forks, warm-up iterations and error estimates apply to it as to any benchmark.
 *
 * <p><b>Parameters.</b> {@code configuration} (a configuration name, {@code gil} by default),
 * {@code workload} (a registered workload: {@code json}, {@code wiki-search},
 * {@code hot-shared-object}), {@code workers} (runtime worker threads serving each batch) and
 * {@code options}, the workload's options as {@code key=value} pairs separated by {@code ;}
 * (JMH splits {@code -p} values on commas), empty by default so each workload runs at its
 * default size: {@code -p workload=wiki-search -p options=titles=20000}. Options a workload
 * does not know are refused, so give {@code options} together with one {@code workload}.
 *
 * <p><b>Reading the results.</b> The primary score is requests per second, all workers
 * together, with JMH's 99.9% error. Compare configurations and worker counts of one workload
 * within one run; across workloads the scores differ by two orders of magnitude because the
 * requests do (on the development machine, two cores: about 0.4 µs for
 * {@code hot-shared-object}, 1.6 µs for {@code json}, 40 µs for {@code wiki-search} at
 * 200,000 titles, on {@code gil}). Under {@code gil} two workers can only take turns, so
 * their score is at best the one-worker score; a design that scales shows it as
 * {@code workers=2} above {@code workers=1}. A failed verification ({@code WrongAnswer})
 * fails the benchmark: every request counted was answered correctly.
 *
 * <p><b>Batch size and the fixed cost of a batch.</b> The batch is JMH's operations per
 * invocation: {@value #BATCH} requests by default ({@link OperationsPerInvocation}), another
 * size with JMH's {@code -opi N} given to {@code WorkloadBench.serve} alone (JMH divides by
 * the same number, so the score stays in requests per second; {@link #batchOverhead} refuses
 * {@code -opi}). A batch costs a little besides its requests: waking the session's waiting
 * workers and meeting them again at the end. {@link #batchOverhead} measures it in the same
 * run, as the average time of a batch of one request per worker; {@code batch / (batch /
 * score - overhead)} removes it from a score. (Before sessions, every batch started and joined
 * fresh threads, 0.15-1 ms depending on load, and each new thread's allocation buffer brought
 * young collections into the measurement.) On {@code gil}, a batch shorter than the 5 ms
 * switch interval lets two workers run one after the other without a forced switch.
 *
 * <p><b>The JVM's garbage collector.</b> It must not be what is measured, so every measured
 * iteration records what it did, always on, in two secondary results in the table and in
 * {@code -rf json} output (under {@code secondaryMetrics}, each iteration's value in
 * {@code rawData}): {@code jvmGcCount}, the number of collections, and {@code jvmGcMs}, the
 * milliseconds they took, both summed over every {@link GarbageCollectorMXBean} of the JVM
 * (with G1: young, old, and the concurrent cycle's pauses). Each measured iteration counts
 * its own (in {@code rawData}); the score JMH shows for them is their <em>total</em> over all
 * measured iterations of all forks (it sums these counters; it shows no error for them), so
 * with {@code -f 2 -i 5 -r 2s} a {@code jvmGcMs} of 20 is 20 ms of collection in 20 s of
 * measurement. They agree with {@code -prof gc}'s {@code gc.count} and {@code gc.time}, which also gives the allocation
 * rate ({@code gc.alloc.rate.norm}: Java bytes per request). The server loop and the
 * workloads allocate no Java object per request (tests check it per workload), and a batch
 * allocates only its small result, so a collection during a measured iteration is a finding
 * to explain before the score is.
 *
 * <p><b>Running.</b> {@code java --enable-native-access=ALL-UNNAMED -jar
 * experiments/target/benchmarks.jar Workload -f 1 -wi 1 -i 1} for a quick look (the
 * workloads' set-up, half a second for {@code wiki-search}, runs once per fork, outside the
 * iterations); for figures, the defaults ({@code -f 2}, 3 warm-up and 5 measured iterations
 * of 2 s) and a quiet machine; {@code -rf json -rff FILE} for the file. One JMH thread
 * drives the runtime ({@link Threads @Threads(1)}): concurrency is the {@code workers}
 * parameter, not JMH's {@code -t}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Threads(1)
public class WorkloadBench {

    /** Requests per invocation of {@link #serve}, unless {@code -opi} says otherwise. */
    public static final int BATCH = 16384;

    /** A started runtime with one workload set up on it: one per trial (per fork and parameter set). */
    @State(Scope.Benchmark)
    public static class Run {
        /** A configuration name. */
        @Param({"gil", "split-brain", "fine-grained", "fine-grained-global", "free-threaded-3.13", "free-threaded",
                "subinterpreters", "multiprocessing", "actors"})
        public String configuration;

        /** A registered workload's name. */
        @Param({"json", "wiki-search", "hot-shared-object"})
        public String workload;

        /** Worker threads serving each batch. */
        @Param({"1", "2"})
        public int workers;

        /** The workload's options, {@code key=value} pairs separated by {@code ;}; empty for its defaults. */
        @Param({""})
        public String options;

        /**
         * A configuration composed in a suite ({@link Composition#spec()}), which then replaces
         * the registry's {@code configuration}; empty (the default) for a built-in configuration.
         */
        @Param({""})
        public String composition;

        PxRuntime runtime;
        Service service;
        ServingSession session;
        long batch;
        /** The index of the next request: the batches continue one stream. */
        long next;

        @Setup(Level.Trial)
        public void setUp(BenchmarkParams params) {
            int opi = params.getOpsPerInvocation();
            if (params.getBenchmark().endsWith(".batchOverhead")) {
                // Its batch is one request per worker, and its score is per batch.
                if (opi != 1) throw new IllegalArgumentException("-opi changes serve's batch; run batchOverhead without it");
                open(workers);
            } else {
                open(opi);
            }
        }

        /**
         * Starts the runtime, sets the workload up and serves one batch of {@code batchSize}
         * requests, which also checks the answers before anything is measured.
         */
        void open(long batchSize) {
            if (batchSize < workers) {
                throw new IllegalArgumentException("a batch of " + batchSize + " leaves some of " + workers + " workers idle");
            }
            batch = batchSize;
            runtime = PxRuntime.start(Composition.assemble(ComponentRegistry.load(), configuration, composition));
            try {
                service = Server.setUp(runtime, Workloads.load().named(workload), new ComponentParameters(workload, options(options)));
                session = Server.open(runtime, service, workers);
                // First-use work (pools carved, strings hashed, code paths loaded) before JMH's
                // own warm-up, which takes care of the JIT.
                serveBatch(batch);
            } catch (RuntimeException | Error e) {
                close();
                throw e;
            }
        }

        /** Serves the next {@code n} requests of the stream. */
        ServeResult serveBatch(long n) {
            ServeResult r = session.serve(next, n);
            next += n;
            if (r.requests() != n) throw new IllegalStateException("served " + r.requests() + " of " + n + " requests");
            return r;
        }

        @TearDown(Level.Trial)
        public void close() {
            if (session != null) session.close();
            session = null;
            if (runtime != null) runtime.close();
            runtime = null;
            service = null;
        }

        static Map<String, String> options(String spec) {
            Map<String, String> out = new LinkedHashMap<>();
            for (String pair : spec.split(";")) {
                if (pair.isBlank()) continue;
                int eq = pair.indexOf('=');
                if (eq <= 0) throw new IllegalArgumentException("workload option '" + pair + "' is not key=value");
                out.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
            }
            return out;
        }
    }

    /**
     * The JVM's collections during one iteration: a snapshot of every collector's count and
     * time at the iteration's start, the difference at its end. JMH reads the public fields
     * after the iteration's tear-down and reports them as secondary results.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class JvmGc {
        /** Collections during the iteration, all collectors together. */
        public long jvmGcCount;
        /** Milliseconds those collections took, as the collectors account them. */
        public long jvmGcMs;

        private final List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
        private long startCount, startMs;

        @Setup(Level.Iteration)
        public void start() {
            jvmGcCount = 0;
            jvmGcMs = 0;
            startCount = count();
            startMs = millis();
        }

        @TearDown(Level.Iteration)
        public void stop() {
            jvmGcCount = count() - startCount;
            jvmGcMs = millis() - startMs;
        }

        private long count() {
            long n = 0;
            for (GarbageCollectorMXBean c : collectors) n += Math.max(0, c.getCollectionCount());
            return n;
        }

        private long millis() {
            long n = 0;
            for (GarbageCollectorMXBean c : collectors) n += Math.max(0, c.getCollectionTime());
            return n;
        }
    }

    /** Serves one batch; the score is requests per second. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public ServeResult serve(Run run, JvmGc gc) {
        return run.serveBatch(run.batch);
    }

    /**
     * The fixed cost of a batch: one request per worker, so nearly all of it is waking the
     * session's waiting workers and meeting them again at the end. Average time per batch.
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @OperationsPerInvocation(1)
    public ServeResult batchOverhead(Run run, JvmGc gc) {
        return run.serveBatch(run.batch);
    }
}
