package org.pxlab.experiments.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.pxlab.experiments.projection.Calibration;
import org.pxlab.experiments.projection.CalibrationSet;
import org.pxlab.experiments.projection.CostModel;
import org.pxlab.experiments.projection.OutOfSampleCheck;
import org.pxlab.experiments.projection.Projection;
import org.pxlab.experiments.workload.Workloads;
import org.pxlab.runtime.config.ConfigurationException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code pxlab project CONFIG WORKLOAD --cores 1,2,4,...}: predicted throughput and scaling
 * from the projection model (README, "Projection"), with the native measurement and the
 * model's error beside every prediction at 1 and 2 cores. Writes only the calibration file,
 * and only when it does not exist yet.
 */
@Command(name = "project", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Predicts throughput on N cores from a counting run and a calibrated cost model (model output),",
                "beside a short native measurement at 1 and 2 cores and the model's error."})
final class ProjectCommand implements Runnable {
    @ParentCommand
    private PxlabCommand pxlab;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG", description = "A configuration name, as `pxlab list` shows them.")
    private String configuration;

    @Parameters(index = "1", arity = "0..1", paramLabel = "WORKLOAD", description = "A workload name, as `pxlab list` shows them.")
    private String workload;

    @Option(names = {"-o", "--option"}, paramLabel = "KEY=VALUE", description = "A workload option; repeatable.")
    private Map<String, String> options = new java.util.LinkedHashMap<>();

    @Option(names = "--cores", split = ",", paramLabel = "N[,N...]", defaultValue = "1,2,4,8,16,32,64",
            description = "Core counts to predict (default: ${DEFAULT-VALUE}).")
    private List<Integer> cores;

    @Option(names = "--calibration", paramLabel = "FILE", defaultValue = "projection-calibration.properties",
            description = {"The cost model's prices: read if the file exists, else measured on this machine",
                    "(and the lock and transfer prices fitted on a stated set of runs, docs/projection.md) and saved there",
                    "(default: ${DEFAULT-VALUE})."})
    private Path calibrationFile;

    @Option(names = "--requests", paramLabel = "N", defaultValue = "2000",
            description = "Requests counted per core count, after as many warm-up requests (default: ${DEFAULT-VALUE}).")
    private long requests;

    @Option(names = "--measure", paramLabel = "DURATION", defaultValue = "2s", converter = DurationConverter.class,
            description = "How long each native measurement serves, after three times as long warming up (default: ${DEFAULT-VALUE}).")
    private long measureNanos;

    @Option(names = "--out-of-sample", description = {"Instead of CONFIG and WORKLOAD: the model against the published many-thread",
            "figures it was not calibrated on, at a many-core line-transfer price (docs/projection.md)."})
    private boolean outOfSample;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        SortedSet<Integer> checked = Projection.checkCores(cores);
        if (requests < 1 || requests > 10_000_000) {
            throw new ConfigurationException("--requests", Long.toString(requests), "1 to 10000000");
        }
        if (outOfSample) {
            outOfSample(out);
            return;
        }
        if (configuration == null || workload == null) {
            throw new ConfigurationException("CONFIG WORKLOAD", configuration == null ? "(none)" : configuration + " (no workload)",
                    "a configuration and a workload, as `pxlab list` shows them, or --out-of-sample");
        }
        var registry = pxlab.registry();
        registry.configuration(configuration);
        Workloads.load().named(workload);
        Projection projection = new Projection(requests, measureNanos);
        Calibration prices = calibration(projection, out);
        out.printf("calibration: %s%n", prices);
        out.printf("%s x %s: predicted by the projection model (model output); measured closed loop for %s at 1-%d cores%n",
                configuration, workload, java.time.Duration.ofNanos(measureNanos), Projection.MAX_MEASURED_CORES);
        out.printf("%6s %14s %8s %-14s %14s %8s%n", "cores", "predicted/s", "scaling", "limit", "measured/s", "error");
        for (Projection.Row r : projection.project(registry, new CostModel(prices), configuration, workload, options, checked)) {
            out.printf("%6d %14.0f %8.2f %-14s %14s %8s%n", r.cores(), r.predicted(), r.scaling(), r.limit(),
                    Double.isNaN(r.measured()) ? "-" : String.format("%.0f", r.measured()),
                    Double.isNaN(r.errorPercent()) ? "-" : String.format("%+.1f%%", r.errorPercent()));
        }
        out.flush();
    }

    /** {@code --out-of-sample}: every published figure beside the model's prediction (OutOfSampleCheck). */
    private void outOfSample(PrintWriter out) {
        if (configuration != null) {
            throw new ConfigurationException("CONFIG", configuration, "nothing with --out-of-sample (its configurations are the figures')");
        }
        if (!options.isEmpty()) {
            throw new ConfigurationException("--option", options.toString(), "nothing with --out-of-sample (its options are the figures')");
        }
        Calibration measured = calibration(new Projection(requests, measureNanos), out);
        out.printf("prices: %s%n", OutOfSampleCheck.manyCorePrices(measured));
        out.printf("a hardware price for line transfers, not fitted to these checks; predicted = model output, counted over %d requests%n",
                requests);
        out.printf("%-11s %-50s %9s %9s %6s  %s%n", "check", "configuration x workload @cores, over baseline", "predicted", "published",
                "ratio", "verdict");
        for (OutOfSampleCheck.Result r : OutOfSampleCheck.run(pxlab.registry(), measured, requests)) {
            OutOfSampleCheck.Figure f = r.figure();
            out.printf("%-11s %-50s %9.2f %9.2f %6.2f  %s%n", f.name(), OutOfSampleCheck.label(f, f.measured()), r.predicted(),
                    f.published(), r.ratio(), r.verdict());
            out.printf("%-11s %-50s   per %s per thread: predicted %.0f / %.0f ns, published %.0f / %.0f ns; limit: %s%n", "",
                    "  over " + f.baseline().label(), f.unit(), r.measuredNs(), r.baselineNs(), f.publishedMeasuredNs(),
                    f.publishedBaselineNs(), r.limit());
        }
        for (OutOfSampleCheck.Figure f : OutOfSampleCheck.figures()) out.printf("%s: %s; %s%n", f.name(), f.why(), f.source());
        out.flush();
    }

    private Calibration calibration(Projection projection, PrintWriter out) {
        if (Files.exists(calibrationFile)) return Calibration.load(calibrationFile);
        out.printf("calibrating on this machine (no %s yet)...%n", calibrationFile);
        out.flush();
        Calibration fitted = new CalibrationSet(projection, pxlab.registry()).calibrate(out);
        try {
            fitted.saveNew(calibrationFile);
        } catch (IOException e) {
            throw new ConfigurationException("--calibration", calibrationFile.toString(), "a new file that can be written (" + e.getMessage() + ")");
        }
        out.printf("saved %s%n", calibrationFile);
        return fitted;
    }
}
