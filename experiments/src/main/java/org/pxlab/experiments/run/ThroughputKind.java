package org.pxlab.experiments.run;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.pxlab.experiments.bench.WorkloadBench;
import org.pxlab.experiments.suite.Durations;
import org.pxlab.experiments.suite.Kind;
import org.pxlab.experiments.suite.Measurement;

/**
 * Throughput: {@link WorkloadBench#serve} through JMH's Runner API, with the suite's forks,
 * iterations and times. The forks run this JVM's class path (pxlab.jar carries JMH and the
 * benchmarks) with this JVM's flags, as JMH does by default. The setting {@code batch} is JMH's
 * operations per invocation, the requests each invocation serves (WorkloadBench's {@code -opi}).
 * While another JMH run holds JMH's lock, a measurement waits for it ({@link JmhLock}). JMH writes its JSON to
 * {@code jmh/ID.json} itself and its human-readable log to {@code jmh/ID.log}; the results.csv
 * row is the primary score (requests per second) and JMH's 99.9% error.
 */
final class ThroughputKind implements MeasurementKind {
    /** A fork's start, set-up and tear-down beside its iterations, in seconds, for the ETA. */
    private static final double FORK_OVERHEAD_SECONDS = 2.5;
    /** How long a measurement waits for another JMH run to end before it fails. */
    private static final long LOCK_WAIT_MILLIS = 30 * 60_000L;
    /** How many times a measurement goes back to waiting when JMH finds its lock taken after all. */
    private static final int LOCK_ATTEMPTS = 10;
    /** What JMH's refusal to start says when another run holds its lock. */
    private static final String LOCK_TAKEN = "Unable to acquire the JMH lock";

    @Override
    public Kind kind() {
        return Kind.THROUGHPUT;
    }

    @Override
    public double estimatedSeconds(Measurement m) {
        int forks = Integer.parseInt(m.setting("forks"));
        double perFork = Integer.parseInt(m.setting("warmup-iterations")) * seconds(m.setting("warmup-time"))
                + Integer.parseInt(m.setting("iterations")) * seconds(m.setting("time"));
        return forks * (perFork + FORK_OVERHEAD_SECONDS);
    }

    @Override
    public Outcome run(Measurement m, MeasurementContext context) throws Exception {
        Path dir = Files.createDirectories(context.folder().resolve("jmh"));
        Path json = dir.resolve(m.id() + ".json");
        Path log = dir.resolve(m.id() + ".log");
        Options options = new OptionsBuilder()
                .include("^" + Pattern.quote(WorkloadBench.class.getName() + ".serve") + "$")
                .param("configuration", m.configuration())
                .param("composition", m.composition())
                .param("workload", m.workload())
                .param("workers", Integer.toString(m.threads()))
                .param("options", m.paramsText())
                .forks(Integer.parseInt(m.setting("forks")))
                .warmupIterations(Integer.parseInt(m.setting("warmup-iterations")))
                .warmupTime(millis(m.setting("warmup-time")))
                .measurementIterations(Integer.parseInt(m.setting("iterations")))
                .measurementTime(millis(m.setting("time")))
                .operationsPerInvocation(Integer.parseInt(m.setting("batch")))
                .shouldFailOnError(true)
                .resultFormat(ResultFormatType.JSON)
                .result(json.toString())
                .build();
        RunResult result = null;
        for (int attempt = 1; result == null; attempt++) {
            JmhLock.awaitFree(LOCK_WAIT_MILLIS, 1000, () -> System.err.println(
                    "pxlab run: another JMH run holds jmh.lock; " + m.id() + " waits for it (up to " + LOCK_WAIT_MILLIS / 60_000 + " min)"));
            try (OutputStream file = Files.newOutputStream(log);
                 PrintStream out = new PrintStream(file, true, StandardCharsets.UTF_8)) {
                result = new Runner(options, OutputFormatFactory.createFormatInstance(out, VerboseMode.NORMAL)).runSingle();
            } catch (Exception e) {
                // Another JMH run may take the lock between the wait and JMH's own attempt: wait again.
                boolean lockTaken = String.valueOf(e.getMessage()).contains(LOCK_TAKEN);
                if (!lockTaken || attempt >= LOCK_ATTEMPTS) {
                    throw new IOException("JMH: " + e.getMessage() + lastError(log) + " (log: jmh/" + log.getFileName() + ")", e);
                }
            }
        }
        Result<?> primary = result.getPrimaryResult();
        return Outcome.of(List.of(new ResultRow("throughput", primary.getScore(), primary.getScoreError(), "requests/s")));
    }

    /** The first exception line of JMH's log, where a fork's failure is printed. */
    private static String lastError(Path log) throws IOException {
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (line.contains("Exception") || line.contains("Error:")) return ": " + line.strip();
        }
        return "";
    }

    private static TimeValue millis(String duration) {
        return TimeValue.milliseconds(Math.max(1, Durations.nanos(duration) / 1_000_000));
    }

    private static double seconds(String duration) {
        return Durations.nanos(duration) / 1e9;
    }
}
