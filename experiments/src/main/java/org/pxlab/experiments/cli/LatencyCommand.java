package org.pxlab.experiments.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import org.HdrHistogram.Histogram;
import org.pxlab.experiments.workload.ServedWorkload;
import org.pxlab.runtime.config.ConfigurationException;
import org.pxlab.runtime.serve.LatencyResult;
import org.pxlab.runtime.serve.OpenLoopPlan;
import org.pxlab.runtime.serve.OpenLoopServer;
import org.pxlab.runtime.serve.ServeResult;
import org.pxlab.runtime.serve.Server;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code pxlab latency CONFIG WORKLOAD --rate R --duration D}: serves the workload open loop
 * ({@link OpenLoopServer}) and prints the latency percentiles from each request's due time
 * (and, for contrast, from the moment its worker started it), then the interval log's path.
 *
 * <p>Every argument is checked, and the workload set up, before anything is written. The
 * {@code .hlog} never replaces an existing file: when its name is taken, the next free name
 * with a {@code -2}, {@code -3}, ... suffix is used, and the summary says so.
 */
@Command(name = "latency", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Serves a workload open loop at a constant rate and prints its latency percentiles;",
                "writes an HdrHistogram interval log (.hlog)."})
final class LatencyCommand implements Runnable {
    /**
     * The default rate as a fraction of closed-loop throughput: half, so that a configuration
     * runs at the same relative load as every other and queueing, not saturation, is measured
     * (at a fraction near 1 the backlog, and the latency, grow without bound).
     */
    static final double DEFAULT_RATE_FRACTION = 0.5;
    /** The longest closed-loop probe. */
    static final long MAX_PROBE_NANOS = 60_000_000_000L;

    @ParentCommand
    private PxlabCommand pxlab;

    @Spec
    private CommandSpec spec;

    @Mixin
    private WorkloadArguments target;

    @Option(names = "--rate", paramLabel = "R",
            description = {"Requests per second, all workers together (up to 10000000).",
                    "Default: --rate-fraction of the throughput measured closed loop just before."})
    private Double rate;

    @Option(names = "--rate-fraction", paramLabel = "F",
            description = {"Without --rate: this fraction (above 0, at most 1; default " + DEFAULT_RATE_FRACTION + ") of the",
                    "requests per second the same runtime serves closed loop for --probe first."})
    private Double rateFraction;

    @Option(names = "--probe", paramLabel = "D", defaultValue = "2s", converter = DurationConverter.class,
            description = "How long the closed-loop measurement behind the default rate runs (default: ${DEFAULT-VALUE}).")
    private long probeNanos;

    @Option(names = "--duration", required = true, paramLabel = "D", converter = DurationConverter.class,
            description = "How long the measured part runs: 500ms, 10s, 2m (up to 1h).")
    private long durationNanos;

    @Option(names = "--warmup", paramLabel = "D", defaultValue = "2s", converter = DurationConverter.class,
            description = "Served at the same rate before, not recorded (default: ${DEFAULT-VALUE}).")
    private long warmupNanos;

    @Option(names = "--interval", paramLabel = "D", defaultValue = "1s", converter = DurationConverter.class,
            description = "One interval histogram per this much time in the log (default: ${DEFAULT-VALUE}).")
    private long intervalNanos;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = ".",
            description = "Where the .hlog goes; made if missing (default: the current directory).")
    private Path out;

    @Override
    public void run() {
        target.checkWorkers();
        if (rate != null && rateFraction != null) {
            throw new ConfigurationException("--rate-fraction", number(rateFraction), "no --rate-fraction with --rate");
        }
        double fraction = rateFraction == null ? DEFAULT_RATE_FRACTION : rateFraction;
        if (!(fraction > 0 && fraction <= 1)) {
            throw new ConfigurationException("--rate-fraction", number(fraction), "a fraction above 0 and at most 1");
        }
        if (rate == null && (probeNanos < 1_000_000 || probeNanos > MAX_PROBE_NANOS)) {
            throw new ConfigurationException("--probe", probeNanos / 1_000_000 + "ms", "1ms to 60s");
        }
        // Checked before anything runs, with the probe's rate standing in when there is none yet.
        new OpenLoopPlan(rate == null ? 1_000_000 : rate, durationNanos, warmupNanos, target.workers, intervalNanos);
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new ConfigurationException("--out", out.toString(), "a directory (this is a file)");
        }
        target.lookUpWorkload(); // an unknown workload is refused before a runtime starts
        try (ServedWorkload started = target.start(pxlab)) {
            String rateSource = "";
            double r = rate == null ? 0 : rate;
            if (rate == null) {
                ServeResult probe = Server.serveFor(started.runtime(), started.service(), target.workers, probeNanos);
                r = fraction * probe.throughput();
                rateSource = String.format(Locale.ROOT, " (%s of %.1f requests/s served closed loop for %s)",
                        number(fraction), probe.throughput(), seconds(probeNanos));
            }
            OpenLoopPlan plan = new OpenLoopPlan(r, durationNanos, warmupNanos, target.workers, intervalNanos);
            String base = String.format(Locale.ROOT, "latency-%s-%s-%srps-%dw", target.configuration, target.workload,
                    number(Math.rint(r * 10) / 10), target.workers);
            Path wanted = out.resolve(base + ".hlog");
            Path log;
            LatencyResult result;
            try {
                Files.createDirectories(out);
                log = createNew(out, base);
                try (OutputStream stream = Files.newOutputStream(log, StandardOpenOption.APPEND)) {
                    result = OpenLoopServer.serve(started.runtime(), started.service(), plan, stream,
                            "pxlab latency " + target.configuration + " " + target.workload + " " + target.options);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            print(result, log, wanted, rateSource);
        }
    }

    /** Creates {@code base.hlog} in {@code dir}, or the first free {@code base-N.hlog}; never opens an existing file. */
    static Path createNew(Path dir, String base) throws IOException {
        for (int n = 1; n < 10_000; n++) {
            Path p = dir.resolve(n == 1 ? base + ".hlog" : base + "-" + n + ".hlog");
            try {
                return Files.createFile(p);     // atomic: fails if the name exists, even if made just now
            } catch (FileAlreadyExistsException taken) {
                // the next name
            }
        }
        throw new IOException("no free name for " + base + ".hlog in " + dir);
    }

    private void print(LatencyResult r, Path log, Path wanted, String rateSource) {
        PrintWriter o = spec.commandLine().getOut();
        OpenLoopPlan p = r.plan();
        o.printf(Locale.ROOT, "latency: %s on %s, %d worker%s, open loop at %s requests/s%s for %s after %s of warm-up%n",
                target.workload, target.configuration, p.workers(), p.workers() == 1 ? "" : "s",
                number(Math.rint(p.rate() * 10) / 10), rateSource, seconds(p.durationNanos()), seconds(p.warmupNanos()));
        o.printf(Locale.ROOT, "served %d of %d requests due, achieved %.1f requests/s%n",
                r.served(), r.scheduled(), r.achievedRate());
        if (r.unstarted() > 0) {
            o.printf(Locale.ROOT, "fell behind: %d requests due were never started (the run stopped issuing once it "
                    + "overran its schedule by the duration); the rate is above what %s sustains here%n",
                    r.unstarted(), target.configuration);
        }
        o.printf(Locale.ROOT, "%-28s %10s %10s %10s %10s %10s%n", "microseconds", "p50", "p90", "p99", "p99.9", "max");
        row(o, "latency (from due time)", r.latency());
        row(o, "service time (closed-loop)", r.serviceTime());
        o.printf("interval log: %s%s%n", log,
                log.equals(wanted) ? "" : " (" + wanted + " exists and was left as it was)");
        o.flush();
    }

    private static void row(PrintWriter o, String label, Histogram h) {
        o.printf(Locale.ROOT, "%-28s", label);
        for (double p : LatencyResult.PERCENTILES) o.printf(Locale.ROOT, " %10.1f", h.getValueAtPercentile(p) / 1e3);
        o.printf(Locale.ROOT, " %10.1f%n", h.getMaxValue() / 1e3);
    }

    private static String number(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%ss", number(nanos / 1e9));
    }
}
