package org.pxlab.experiments.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.concurrent.Callable;
import org.pxlab.experiments.projection.Calibration;
import org.pxlab.experiments.projection.CalibrationFile;
import org.pxlab.experiments.projection.CostModel;
import org.pxlab.experiments.projection.OutOfSampleCheck;
import org.pxlab.experiments.projection.Projection;
import org.pxlab.experiments.report.Reports;
import org.pxlab.experiments.run.ProjectionKind;
import org.pxlab.experiments.run.ProjectionOfRun;
import org.pxlab.experiments.run.ProjectionRow;
import org.pxlab.experiments.run.ProjectionTable;
import org.pxlab.experiments.run.ResultsFolder;
import org.pxlab.experiments.run.SuiteRunner;
import org.pxlab.experiments.suite.BuiltInSuites;
import org.pxlab.experiments.suite.Measurement;
import org.pxlab.experiments.suite.Suite;
import org.pxlab.experiments.suite.SuiteParser;
import org.pxlab.experiments.workload.Workloads;
import org.pxlab.runtime.config.ConfigurationException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code pxlab project}: predicted throughput and scaling from the projection model (README,
 * "Projection"; docs/projection.md), with a measured figure and the model's error beside every
 * prediction at 1 and 2 cores. Three forms:
 *
 * <ul>
 * <li>{@code CONFIG WORKLOAD}: one table, measured natively; writes only the calibration file,
 * and only when it does not exist yet.</li>
 * <li>{@code SUITE|FILE}: the suite's projection section (or, without one, each built-in
 * configuration x workload of its throughput section) into a new results folder as
 * {@code pxlab run} names them, or with {@code --results DIR} into a run's folder, whose JMH
 * throughput rows give the measured figures; then the tables and the folder's report.</li>
 * <li>{@code --out-of-sample}: the model against the published many-thread figures it was not
 * calibrated on ({@link OutOfSampleCheck}); writes only the calibration file.</li>
 * </ul>
 * One positional argument is a suite (a built-in name or an existing file), two are a
 * configuration and a workload; with {@code --results} the suite may be left out (the folder's own).
 */
@Command(name = "project", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Predicts throughput on N cores from a counting run and a calibrated cost model (model output),",
                "beside a measured figure at 1 and 2 cores and the model's error: for CONFIG WORKLOAD, or for each",
                "configuration x workload of a suite (its projection section, else its throughput section) into a results folder."})
final class ProjectCommand implements Callable<Integer> {
    /** The core counts, requests and measurement time of the CONFIG WORKLOAD form when not given. */
    private static final long SINGLE_REQUESTS = 2000, SINGLE_MEASURE_NANOS = 2_000_000_000L;

    @ParentCommand
    private PxlabCommand pxlab;

    @Spec
    private CommandSpec spec;

    @Parameters(arity = "0..2", paramLabel = "SUITE|FILE|CONFIG WORKLOAD",
            description = {"A built-in suite or a suite file; or a configuration and a workload, as `pxlab list` shows them.",
                    "None with --results: the folder's own suite."})
    private List<String> names = new ArrayList<>();

    @Option(names = {"-o", "--option"}, paramLabel = "KEY=VALUE", description = "A workload option (CONFIG WORKLOAD form); repeatable.")
    private Map<String, String> options = new LinkedHashMap<>();

    @Option(names = "--cores", split = ",", paramLabel = "N[,N...]",
            description = "Core counts to predict (default: the suite's, else 1,2,4,8,16,32,64).")
    private List<Integer> cores;

    @Option(names = "--calibration", paramLabel = "FILE", defaultValue = CalibrationFile.DEFAULT,
            description = {"The cost model's prices: read if the file exists, else measured on this machine",
                    "(and the lock and line-transfer prices fitted on a stated set of runs, docs/projection.md)",
                    "and saved there (default: ${DEFAULT-VALUE})."})
    private Path calibrationFile;

    @Option(names = "--requests", paramLabel = "N",
            description = "Requests counted per core count, after as many warm-up requests (default: the suite's, else 2000).")
    private Long requests;

    @Option(names = "--measure", paramLabel = "DURATION", converter = DurationConverter.class,
            description = {"How long each native measurement serves, after three times as long warming up",
                    "(default: the suite's, else 2s)."})
    private Long measureNanos;

    @Option(names = "--results", paramLabel = "DIR",
            description = {"SUITE form: a results folder of pxlab run to add projection.csv to (never over an existing one);",
                    "measured figures come from its throughput rows (default: a new folder results/SUITE-TIMESTAMP)."})
    private Path results;

    @Option(names = "--out-of-sample", description = {"Instead of a suite or CONFIG WORKLOAD: the model against the published",
            "many-thread figures it was not calibrated on, at a many-core line-transfer price (docs/projection.md)."})
    private boolean outOfSample;

    @Override
    public Integer call() throws IOException {
        SortedSet<Integer> checked = cores == null ? null : Projection.checkCores(cores);
        if (requests != null && (requests < 1 || requests > Projection.MAX_REQUESTS)) {
            throw new ConfigurationException("--requests", Long.toString(requests), "1 to " + Projection.MAX_REQUESTS);
        }
        if (measureNanos != null && (measureNanos < 10_000_000L || measureNanos > 600_000_000_000L)) {
            throw new ConfigurationException("--measure", measureNanos / 1e9 + "s", "a duration from 10ms to 10m");
        }
        if (outOfSample) {
            outOfSample();
            return 0;
        }
        if (names.size() == 2) {
            if (results != null) {
                throw new ConfigurationException("--results", results.toString(), "nothing with CONFIG WORKLOAD (a suite's form: SUITE --results DIR)");
            }
            single(names.get(0), names.get(1), checked == null ? new java.util.TreeSet<>(Projection.DEFAULT_CORES) : checked);
            return 0;
        }
        if (names.isEmpty() && results == null) {
            throw new ConfigurationException("SUITE|FILE|CONFIG WORKLOAD", "(none)",
                    "a built-in suite " + BuiltInSuites.NAMES + ", a suite file, a configuration and a workload, or --out-of-sample");
        }
        if (!options.isEmpty()) {
            throw new ConfigurationException("--option", options.toString(), "nothing with a suite (its workloads' params are the suite's)");
        }
        return suite(names.isEmpty() ? null : names.getFirst(), checked);
    }

    private void single(String configuration, String workload, SortedSet<Integer> checked) {
        PrintWriter out = spec.commandLine().getOut();
        var registry = pxlab.registry();
        registry.configuration(configuration);
        Workloads.load().named(workload);
        long measure = measureNanos == null ? SINGLE_MEASURE_NANOS : measureNanos;
        Projection projection = new Projection(requests == null ? SINGLE_REQUESTS : requests, measure);
        Calibration prices = CalibrationFile.loadOrMake(calibrationFile, registry, projection, out);
        out.printf("calibration: %s%n", prices);
        out.printf("measured closed loop for %s at 1-%d cores%n", java.time.Duration.ofNanos(measure), Projection.MAX_MEASURED_CORES);
        List<ProjectionRow> rows = new ArrayList<>();
        for (Projection.Row r : projection.project(registry, new CostModel(prices), configuration, workload, options, checked)) {
            rows.add(new ProjectionRow(r.cores(), r.predicted(), r.scaling(), r.limit(), r.measured(), Double.NaN,
                    Double.isNaN(r.measured()) ? "" : ProjectionRow.NATIVE, r.errorPercent()));
        }
        print(out, configuration + " x " + workload, rows);
        out.flush();
    }

    /** {@code --out-of-sample}: every published figure beside the model's prediction (OutOfSampleCheck). */
    private void outOfSample() {
        PrintWriter out = spec.commandLine().getOut();
        if (!names.isEmpty()) {
            throw new ConfigurationException("SUITE|FILE|CONFIG WORKLOAD", String.join(" ", names),
                    "nothing with --out-of-sample (its configurations and workloads are the figures')");
        }
        if (!options.isEmpty()) {
            throw new ConfigurationException("--option", options.toString(), "nothing with --out-of-sample (its options are the figures')");
        }
        if (results != null) {
            throw new ConfigurationException("--results", results.toString(), "nothing with --out-of-sample (it writes no results folder)");
        }
        long counted = requests == null ? SINGLE_REQUESTS : requests;
        Projection projection = new Projection(counted, measureNanos == null ? SINGLE_MEASURE_NANOS : measureNanos);
        Calibration measured = CalibrationFile.loadOrMake(calibrationFile, pxlab.registry(), projection, out);
        out.printf("prices: %s%n", OutOfSampleCheck.manyCorePrices(measured));
        out.printf("a hardware price for line transfers, not fitted to these checks; predicted = model output, counted over %d requests%n",
                counted);
        out.printf("%-11s %-50s %9s %9s %6s  %s%n", "check", "configuration x workload @cores, over baseline", "predicted", "published",
                "ratio", "verdict");
        for (OutOfSampleCheck.Result r : OutOfSampleCheck.run(pxlab.registry(), measured, counted)) {
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

    private int suite(String suiteOrFile, SortedSet<Integer> checked) throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        var registry = pxlab.registry();
        Workloads workloads = Workloads.load();
        if (results != null) ProjectionOfRun.check(results);
        Suite suite;
        if (suiteOrFile == null) {
            suite = ResultsFolder.suiteOf(results);
        } else {
            if (!BuiltInSuites.NAMES.contains(suiteOrFile) && !Files.isRegularFile(Path.of(suiteOrFile))) {
                throw new ConfigurationException("SUITE|FILE|CONFIG WORKLOAD", suiteOrFile, "a built-in suite " + BuiltInSuites.NAMES
                        + ", an existing suite file, or two names: a configuration and a workload (pxlab list shows them)");
            }
            suite = new SuiteParser(registry, workloads).parse(BuiltInSuites.textOf(suiteOrFile), suiteOrFile);
        }
        Map<String, String> overrides = new LinkedHashMap<>();
        if (checked != null) overrides.put("cores", String.join(",", checked.stream().map(String::valueOf).toList()));
        if (requests != null) overrides.put("requests", Long.toString(requests));
        if (measureNanos != null) overrides.put("measure", measureNanos / 1_000_000 + "ms");
        List<Measurement> projections = SuiteParser.projectionsOf(suite).stream().map(m -> m.withSettings(overrides)).toList();
        if (projections.isEmpty()) {
            throw new ConfigurationException("SUITE|FILE", suite.source(),
                    "a suite with a projection section, or a throughput section on built-in configurations");
        }
        ProjectionKind kind = new ProjectionKind(calibrationFile, out);
        int failed;
        Path dir;
        if (results != null) {
            dir = results;
            out.printf("pxlab project: %d projection%s of %s into %s%n", projections.size(), projections.size() == 1 ? "" : "s",
                    suite.name(), dir);
            out.flush();
            failed = ProjectionOfRun.write(dir, projections, kind, registry, workloads, out);
        } else {
            ResultsFolder folder = ResultsFolder.create(RunCommand.defaultFolder(suite.name()),
                    new Suite(suite.name(), suite.source(), projections));
            dir = folder.dir();
            out.printf("pxlab project: %d projection%s of %s, results in %s%n", projections.size(), projections.size() == 1 ? "" : "s",
                    suite.name(), dir);
            out.flush();
            failed = new SuiteRunner(registry, workloads, SuiteRunner.kinds(kind)).run(folder, projections, out, false);
        }
        Path calibration = dir.resolve(ProjectionKind.CALIBRATION_COPY);
        if (Files.exists(calibration)) out.printf("calibration: %s%n", Calibration.load(calibration));
        Path table = dir.resolve(ResultsFolder.PROJECTION_CSV);
        if (Files.exists(table)) {
            for (ProjectionTable.Projected p : ProjectionTable.read(table)) {
                print(out, p.configuration() + " x " + p.workload() + (p.params().isEmpty() ? "" : " (" + p.params() + ")"), p.rows());
            }
        }
        out.println("report: " + Reports.write(dir));
        if (failed > 0) out.printf("%d projection%s failed%n", failed, failed == 1 ? "" : "s");
        out.flush();
        return failed > 0 ? 1 : 0;
    }

    /** One configuration x workload's table: predictions, and the measured figure, its source and the error where measured. */
    private static void print(PrintWriter out, String title, List<ProjectionRow> rows) {
        out.printf("%n%s: predicted by the projection model (model output)%n", title);
        out.printf("%6s %14s %8s %-14s %14s %10s %-7s %8s%n", "cores", "predicted/s", "scaling", "limit", "measured/s", "+-", "source", "error");
        for (ProjectionRow r : rows) {
            out.printf("%6d %14.0f %8.2f %-14s %14s %10s %-7s %8s%n", r.cores(), r.predicted(), r.scaling(), r.limit(),
                    Double.isNaN(r.measured()) ? "-" : String.format("%.0f", r.measured()),
                    Double.isNaN(r.measuredError()) ? "-" : String.format("%.0f", r.measuredError()),
                    r.measuredSource().isEmpty() ? "-" : r.measuredSource(),
                    Double.isNaN(r.errorPercent()) ? "-" : String.format("%+.1f%%", r.errorPercent()));
        }
    }
}
