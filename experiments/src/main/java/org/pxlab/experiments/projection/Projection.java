package org.pxlab.experiments.projection;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.pxlab.experiments.workload.Workloads;
import org.pxlab.runtime.config.ComponentRegistry;
import org.pxlab.runtime.config.ConfigurationException;
import org.pxlab.runtime.serve.Server;

/**
 * One projection: a configuration and a workload, counted at each core count (in a child JVM,
 * {@link CountingProcess}), priced by the {@link CostModel}, and, at 1 and 2 cores, beside a
 * short closed-loop measurement ({@link Server#serveFor}) in a JVM of its own ({@link #measure}).
 *
 * @param countedRequests requests counted per core count (as many again warm up first)
 * @param measureNanos    how long each measurement serves (after three times as long warming up)
 */
public record Projection(long countedRequests, long measureNanos) {
    /** Counting runs have at most this many logical cores; larger counts reuse its counts (see {@link CostModel#predict}). */
    public static final int MAX_COUNTED_CORES = 32;
    /** Core counts measured natively beside their predictions. */
    public static final int MAX_MEASURED_CORES = 2;
    /** The largest core count a projection accepts. */
    public static final int MAX_CORES = 4096;
    /** The most requests a projection counts per core count. */
    public static final long MAX_REQUESTS = 10_000_000;
    /** The core counts projected when none are given. */
    public static final List<Integer> DEFAULT_CORES = List.of(1, 2, 4, 8, 16, 32, 64);

    /** One line of the table. {@code measured} and {@code errorPercent} are NaN where nothing was measured. */
    public record Row(int cores, double predicted, double scaling, String limit, double measured, double errorPercent) {
    }

    /** Checks a core list: each 1 to {@value #MAX_CORES}. */
    public static SortedSet<Integer> checkCores(List<Integer> cores) {
        return checkCores(cores, "--cores");
    }

    /**
     * Checks a core list given as {@code field} (an option, or a suite's field path): each 1 to
     * {@value #MAX_CORES}; a value's error names {@code field[i]} when the field is a suite path.
     */
    public static SortedSet<Integer> checkCores(List<Integer> cores, String field) {
        if (cores == null || cores.isEmpty()) throw new ConfigurationException(field, "(none)", "a list of core counts, e.g. 1,2,4,8");
        SortedSet<Integer> out = new TreeSet<>();
        for (int i = 0; i < cores.size(); i++) {
            int n = cores.get(i);
            if (n < 1 || n > MAX_CORES) {
                throw new ConfigurationException(field.startsWith("-") ? field : field + "[" + i + "]", Integer.toString(n),
                        "core counts from 1 to " + MAX_CORES);
            }
            out.add(n);
        }
        return out;
    }

    /** Counts the workload at the logical core counts these cores need. */
    public Map<Integer, EventCounts> count(String configuration, String workload, Map<String, String> options, SortedSet<Integer> cores) {
        SortedSet<Integer> counted = new TreeSet<>();
        for (int n : cores) counted.add(Math.min(n, MAX_COUNTED_CORES));
        return CountingProcess.count(configuration, workload, options, countedRequests, countedRequests, counted);
    }

    /**
     * Serves the workload closed loop on 1 to {@code maxWorkers} workers of one runtime, in a JVM
     * of its own ({@link MeasuringMain}, {@link ChildJvm}: a JVM that has served other
     * configurations serves this one slower), after a warm-up of three measurement times on each
     * worker count; the fastest of {@value MeasuringMain#WINDOWS} windows of the measurement time.
     *
     * @param registry checks the names here, so that an unknown one is refused as usual; the
     *                 child assembles the configuration from the built-in registry
     * @return requests per second, index = workers - 1
     */
    public double[] measure(ComponentRegistry registry, String configuration, String workload, Map<String, String> options,
                            int maxWorkers) {
        registry.configuration(configuration);
        Workloads.load().named(workload);
        List<String> args = new ArrayList<>(List.of(configuration, workload, Long.toString(measureNanos), Integer.toString(maxWorkers)));
        args.addAll(ChildJvm.optionArgs(options));
        Map<String, String> lines = ChildJvm.run(List.of(), MeasuringMain.class, args,
                "the measurement of " + configuration + " x " + workload);
        double[] rps = new double[maxWorkers];
        for (int n = 1; n <= maxWorkers; n++) {
            String v = lines.get("rps." + n);
            if (v == null) throw new IllegalStateException("the measurement of " + configuration + " x " + workload + " printed no figure for " + n + " workers");
            rps[n - 1] = Double.parseDouble(v);
        }
        return rps;
    }

    /**
     * The table for one configuration and workload. The workload's interpreter work {@code W} is
     * measured on {@link CalibrationSet#REFERENCE} (for the reference itself, from its own one-core
     * measurement, which the projection then reproduces by construction: in sample).
     */
    public List<Row> project(ComponentRegistry registry, CostModel model, String configuration, String workload,
                             Map<String, String> options, SortedSet<Integer> cores) {
        boolean serialised = registry.assemble(configuration).sync().serializesMutators();
        Map<Integer, EventCounts> counts = count(configuration, workload, options, cores);
        double[] measured = measure(registry, configuration, workload, options, Math.min(MAX_MEASURED_CORES, cores.last()));
        // the reference's own one-core measurement gives its W (one measurement, not two that differ by noise)
        double work = configuration.equals(CalibrationSet.REFERENCE) && cores.first() == 1
                ? model.workNanos(counts.get(1), measured[0])
                : new CalibrationSet(this, registry).workNanos(model, workload, options);
        return predict(model, counts, work, cores, serialised, measured);
    }

    /**
     * The table from counts ({@link #count}), the workload's interpreter work and measured figures.
     *
     * @param workNanos  the workload's interpreter work {@code W} per request, ns ({@link CostModel#workNanos})
     * @param serialised whether the configuration lets one thread run at a time (a GIL)
     * @param measured   requests per second measured on {@code index + 1} cores, NaN (or missing) where none
     */
    public static List<Row> predict(CostModel model, Map<Integer, EventCounts> counts, double workNanos, SortedSet<Integer> cores,
                                    boolean serialised, double[] measured) {
        List<Row> rows = new ArrayList<>();
        double one = Double.NaN;
        for (int n : cores) {
            CostModel.Prediction p = model.predict(counts.get(Math.min(n, MAX_COUNTED_CORES)), workNanos, n, serialised);
            if (n == 1) one = p.requestsPerSecond();
            double m = n <= measured.length ? measured[n - 1] : Double.NaN;
            double error = 100 * (p.requestsPerSecond() - m) / m;
            double scaling = Double.isNaN(one) ? Double.NaN : p.requestsPerSecond() / one;
            rows.add(new Row(n, p.requestsPerSecond(), scaling, p.limit(), m, error));
        }
        return rows;
    }
}
