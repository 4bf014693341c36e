package org.pxlab.experiments.run;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.HdrHistogram.Histogram;
import org.pxlab.experiments.suite.Durations;
import org.pxlab.experiments.suite.Kind;
import org.pxlab.experiments.suite.Measurement;
import org.pxlab.experiments.workload.ServedWorkload;
import org.pxlab.runtime.serve.LatencyResult;
import org.pxlab.runtime.serve.OpenLoopPlan;
import org.pxlab.runtime.serve.OpenLoopServer;
import org.pxlab.runtime.spi.ComponentParameters;

/**
 * Latency: the workload served open loop by {@link OpenLoopServer} at the measurement's rate,
 * requests per second or ({@code 0.5x}) a fraction of the throughput this results folder
 * measured for the same configuration, workload, parameters and threads. The interval log goes
 * to {@code latency/ID.hlog}; results.csv gets the percentiles of latency from each request's
 * due time, in microseconds, the rate scheduled and the requests served.
 */
final class LatencyKind implements MeasurementKind {
    /** results.csv's latency metrics, one per {@link LatencyResult#PERCENTILES}, in their order. */
    private static final List<String> METRICS = List.of("latency_p50", "latency_p90", "latency_p99", "latency_p999");

    @Override
    public Kind kind() {
        return Kind.LATENCY;
    }

    @Override
    public double estimatedSeconds(Measurement m) {
        return (Durations.nanos(m.setting("warmup")) + Durations.nanos(m.setting("duration"))) / 1e9 + 1;
    }

    @Override
    public Outcome run(Measurement m, MeasurementContext context) throws Exception {
        double rate = rate(m, context);
        OpenLoopPlan plan = OpenLoopPlan.of(rate, Durations.nanos(m.setting("duration")), Durations.nanos(m.setting("warmup")),
                m.threads());
        Path dir = Files.createDirectories(context.folder().resolve("latency"));
        LatencyResult r;
        try (ServedWorkload served = ServedWorkload.start(context.configuration(m), context.workloads().named(m.workload()),
                new ComponentParameters(m.workload(), m.params()));
             OutputStream log = Files.newOutputStream(dir.resolve(m.id() + ".hlog"),
                     StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            r = OpenLoopServer.serve(served.runtime(), served.service(), plan, log, "pxlab run " + m.id());
        }
        List<ResultRow> rows = new ArrayList<>();
        Histogram h = r.latency();
        for (int i = 0; i < METRICS.size(); i++) rows.add(ResultRow.of(METRICS.get(i), h.getValueAtPercentile(LatencyResult.PERCENTILES.get(i)) / 1e3, "us"));
        rows.add(ResultRow.of("latency_max", h.getMaxValue() / 1e3, "us"));
        rows.add(ResultRow.of("rate", rate, "requests/s"));
        rows.add(ResultRow.of("served", r.served(), "requests"));
        return Outcome.of(rows);
    }

    private static double rate(Measurement m, MeasurementContext context) {
        String rate = m.setting("rate");
        if (!rate.endsWith("x")) return Double.parseDouble(rate);
        double fraction = Double.parseDouble(rate.substring(0, rate.length() - 1));
        OptionalDouble t = context.throughput().of(m.configuration(), m.workload(), m.params(), m.threads());
        if (t.isEmpty()) {
            throw new IllegalStateException("rate " + rate + " is a fraction of throughput, and this results folder has no"
                    + " successful throughput of " + m.configuration() + " " + m.workload() + " with " + m.threads() + " threads");
        }
        return Math.min(OpenLoopPlan.MAX_RATE, fraction * t.getAsDouble());
    }
}
