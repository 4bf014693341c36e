package org.pxlab.experiments.run;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import org.pxlab.experiments.projection.Calibration;
import org.pxlab.experiments.projection.CalibrationFile;
import org.pxlab.experiments.projection.CalibrationSet;
import org.pxlab.experiments.projection.CostModel;
import org.pxlab.experiments.projection.EventCounts;
import org.pxlab.experiments.projection.Projection;
import org.pxlab.experiments.report.CsvTable;
import org.pxlab.experiments.suite.Durations;
import org.pxlab.experiments.suite.Kind;
import org.pxlab.experiments.suite.Measurement;

/**
 * Projection: one configuration x workload counted at the {@code cores} setting's core counts
 * (in a child JVM, {@link Projection#count}, {@code requests} per count), priced by the
 * {@link CostModel} (docs/projection.md), with a measured figure beside each prediction at 1
 * and 2 cores. The measured figure is the results folder's own JMH throughput row for that
 * configuration, workload, params and thread count when the folder has one that succeeded
 * (source {@code jmh}, with JMH's error), else a closed-loop measurement of {@code measure}
 * ({@link Projection#measure}, source {@code native}). Rows go to projection.csv.
 *
 * <p>Every projection of a folder uses one calibration: the first one copies the calibration
 * file (made on this machine first if it does not exist, {@link CalibrationFile}) into the
 * folder as {@value #CALIBRATION_COPY}, and later ones (and a resumed run) read that copy.
 */
public final class ProjectionKind implements MeasurementKind {
    /** The copy of the calibration a folder's projections used. */
    public static final String CALIBRATION_COPY = "projection-calibration.properties";

    private final Path calibrationFile;
    private final PrintWriter notes;
    /**
     * {@code W} by folder, workload, params and requests counted: the same for every
     * configuration of a workload, so a suite counts {@code gil} for it once (in the order the
     * suite lists configurations, {@code gil}'s own projection, when there is one, gives it).
     */
    private final Map<String, Double> workByWorkload = new HashMap<>();

    /** A kind using {@link CalibrationFile#DEFAULT} in the working directory, saying what it does on standard error. */
    ProjectionKind() {
        this(Path.of(CalibrationFile.DEFAULT), new PrintWriter(System.err, true, StandardCharsets.UTF_8));
    }

    /**
     * @param calibrationFile where prices are read, or made and saved, when the folder has no copy yet
     * @param notes           where making a calibration is said
     */
    public ProjectionKind(Path calibrationFile, PrintWriter notes) {
        this.calibrationFile = calibrationFile;
        this.notes = notes;
    }

    @Override
    public Kind kind() {
        return Kind.PROJECTION;
    }

    /** A counting JVM's start, and each counted core count's requests (set-up dominates at the suites' sizes). */
    @Override
    public double estimatedSeconds(Measurement m) {
        return 3 + cores(m).size() * (1 + Long.parseLong(m.setting("requests")) / 500.0);
    }

    @Override
    public Outcome run(Measurement m, MeasurementContext context) throws IOException {
        SortedSet<Integer> cores = cores(m);
        Projection projection = new Projection(Long.parseLong(m.setting("requests")), Durations.nanos(m.setting("measure")));
        Calibration prices = calibration(context.folder(), context, projection);
        Map<Integer, EventCounts> counts = projection.count(m.configuration(), m.workload(), m.params(), cores);
        boolean serialised = context.configuration(m).sync().serializesMutators();

        int measuredCores = Math.min(Projection.MAX_MEASURED_CORES, cores.last());
        double[] measured = new double[measuredCores];
        double[] error = new double[measuredCores];
        String[] source = new String[measuredCores];
        Arrays.fill(measured, Double.NaN);
        Arrays.fill(error, Double.NaN);
        Map<Integer, double[]> jmh = jmhFigures(context.folder(), m.configuration(), m.workload(), m.paramsText());
        boolean missing = false;
        for (int n = 1; n <= measuredCores; n++) {
            double[] figure = jmh.get(n);
            if (figure != null) {
                measured[n - 1] = figure[0];
                error[n - 1] = figure[1];
                source[n - 1] = ProjectionRow.JMH;
            } else {
                missing |= cores.contains(n);
            }
        }
        if (missing) {
            double[] rps = projection.measure(context.registry(), m.configuration(), m.workload(), m.params(), measuredCores);
            for (int n = 1; n <= measuredCores; n++) {
                if (source[n - 1] == null) {
                    measured[n - 1] = rps[n - 1];
                    source[n - 1] = ProjectionRow.NATIVE;
                }
            }
        }
        List<ProjectionRow> rows = new ArrayList<>();
        CostModel model = new CostModel(prices);
        double work = workNanos(m, context, projection, model, counts, measured);
        for (Projection.Row r : Projection.predict(model, counts, work, cores, serialised, measured)) {
            boolean has = r.cores() <= measuredCores && source[r.cores() - 1] != null;
            rows.add(new ProjectionRow(r.cores(), r.predicted(), r.scaling(), r.limit(), r.measured(),
                    has ? error[r.cores() - 1] : Double.NaN, has ? source[r.cores() - 1] : "", r.errorPercent()));
        }
        return Outcome.ofProjection(rows);
    }

    /**
     * The workload's interpreter work {@code W} ({@link CostModel#workNanos}): counted on
     * {@link CalibrationSet#REFERENCE} at one core and priced against its one-worker throughput,
     * the folder's JMH figure when it has one, else measured natively. A projection of the
     * reference itself takes its own one-core counts and measured figure (in sample by construction).
     */
    private double workNanos(Measurement m, MeasurementContext context, Projection projection, CostModel model,
                             Map<Integer, EventCounts> counts, double[] measured) throws IOException {
        String key = context.folder().toAbsolutePath() + "\n" + m.workload() + "\n" + m.paramsText() + "\n" + projection.countedRequests();
        Double known = workByWorkload.get(key);
        if (known != null) return known;
        double work;
        if (m.configuration().equals(CalibrationSet.REFERENCE) && counts.containsKey(1) && !Double.isNaN(measured[0])) {
            work = model.workNanos(counts.get(1), measured[0]);
        } else {
            double[] reference = jmhFigures(context.folder(), CalibrationSet.REFERENCE, m.workload(), m.paramsText()).get(1);
            work = new CalibrationSet(projection, context.registry())
                    .workNanos(model, m.workload(), m.params(), reference == null ? Double.NaN : reference[0]);
        }
        workByWorkload.put(key, work);
        return work;
    }

    /** The core counts of the measurement's {@code cores} setting. */
    static SortedSet<Integer> cores(Measurement m) {
        return Projection.checkCores(Arrays.stream(m.setting("cores").split(",")).map(Integer::valueOf).toList(),
                m.id() + ".cores");
    }

    /** The folder's copy of the calibration, made from the calibration file when there is none yet. */
    private Calibration calibration(Path folder, MeasurementContext context, Projection projection) throws IOException {
        Path copy = folder.resolve(CALIBRATION_COPY);
        if (Files.exists(copy)) return Calibration.load(copy);
        Calibration prices = CalibrationFile.loadOrMake(calibrationFile, context.registry(), projection, notes);
        Files.copy(calibrationFile, copy);
        return prices;
    }

    /**
     * The folder's JMH throughput of a configuration, workload and params (as results.csv writes
     * them) by thread count, as {score, error}: rows of measurements whose progress line says ok.
     */
    static Map<Integer, double[]> jmhFigures(Path folder, String configuration, String workload, String params) throws IOException {
        Map<Integer, double[]> out = new HashMap<>();
        Path results = folder.resolve("results.csv");
        if (!Files.isRegularFile(results)) return out;
        Set<String> ok = ResultsFolder.succeeded(folder);
        for (CsvTable.Row r : CsvTable.read(results, List.of("id", "kind", "configuration", "workload", "params", "threads",
                "metric", "value", "error")).rows()) {
            if (r.text("kind").equals(Kind.THROUGHPUT.label()) && r.text("metric").equals("throughput") && ok.contains(r.text("id"))
                    && r.text("configuration").equals(configuration) && r.text("workload").equals(workload)
                    && r.text("params").equals(params)) {
                out.put((int) r.whole("threads", 1), new double[] {r.number("value", false), r.number("error", true)});
            }
        }
        return out;
    }
}
