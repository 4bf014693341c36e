package org.pxlab.experiments.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.pxlab.experiments.projection.Calibration;
import org.pxlab.experiments.run.ProjectionTable;
import org.pxlab.runtime.config.ConfigurationException;

/**
 * A results folder read whole, before anything is written from it. Every part is optional
 * (null, or empty, when its file is missing; {@link #missing} lists those files, which reports
 * mention); a part that is there but malformed throws a {@link ResultsFormatException}.
 */
final class ResultsFolder {
    static final String RESULTS = "results.csv";
    static final String FOOTPRINT = "footprint.csv";
    static final String STRESS = "stress.csv";
    static final String ENVIRONMENT = "environment.json";
    static final String SUITE = "suite.json";
    static final String PROGRESS = "progress.jsonl";
    static final String PROJECTION = org.pxlab.experiments.run.ResultsFolder.PROJECTION_CSV;
    static final String CALIBRATION = org.pxlab.experiments.run.ProjectionKind.CALIBRATION_COPY;

    final Path dir;
    /** results.csv, or null. */
    final List<ResultRow> results;
    /** footprint.csv, or null. */
    final List<FootprintRow> footprint;
    /** stress.csv, or null. */
    final List<StressRow> stress;
    /** environment.json's fields in order, or null. */
    final Map<String, String> environment;
    /** suite.json, or null. */
    final RunDescription.Suite suite;
    /** progress.jsonl, or null. */
    final RunDescription.Progress progress;
    /** jmh/ID.json by measurement id. */
    final Map<String, ForkScores> jmh;
    /** latency/ID.hlog by measurement id, each merged over its intervals. */
    final Map<String, Histogram> latency;
    /** projection.csv, or null (it is optional: only runs that project write it, so it is never listed as missing). */
    final List<ProjectionTable.Projected> projection;
    /** The calibration the projections used (its description), or null. */
    final String calibration;
    /** The files (or folders) that were not there. */
    final List<String> missing = new ArrayList<>();

    private ResultsFolder(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new ConfigurationException("DIR", dir.toString(), "a results folder (written by pxlab run)");
        }
        this.dir = dir;
        results = exists(RESULTS) ? ResultRow.read(dir.resolve(RESULTS)) : null;
        footprint = exists(FOOTPRINT) ? FootprintRow.read(dir.resolve(FOOTPRINT)) : null;
        stress = exists(STRESS) ? StressRow.read(dir.resolve(STRESS)) : null;
        environment = exists(ENVIRONMENT) ? RunDescription.readEnvironment(dir.resolve(ENVIRONMENT)) : null;
        suite = exists(SUITE) ? RunDescription.readSuite(dir.resolve(SUITE)) : null;
        progress = exists(PROGRESS) ? RunDescription.readProgress(dir.resolve(PROGRESS)) : null;
        projection = Files.isRegularFile(dir.resolve(PROJECTION)) ? ProjectionTable.read(dir.resolve(PROJECTION)) : null;
        calibration = Files.isRegularFile(dir.resolve(CALIBRATION)) ? calibration(dir.resolve(CALIBRATION)) : null;
        jmh = new HashMap<>();
        for (Path p : files("jmh", ".json")) jmh.put(idOf(p, ".json"), ForkScores.read(p));
        latency = new HashMap<>();
        for (Path p : files("latency", ".hlog")) latency.put(idOf(p, ".hlog"), LatencyLog.read(p));
    }

    private static String calibration(Path file) {
        try {
            return Calibration.load(file).toString();
        } catch (ConfigurationException e) {
            throw new ResultsFormatException(file, 1, e.field(), e.value(), e.allowed());
        }
    }

    /** Reads {@code dir}; throws a {@link ConfigurationException} when it is not a folder. */
    static ResultsFolder read(Path dir) throws IOException {
        return new ResultsFolder(dir);
    }

    private boolean exists(String name) {
        if (Files.isRegularFile(dir.resolve(name))) return true;
        missing.add(name);
        return false;
    }

    private List<Path> files(String folder, String suffix) throws IOException {
        Path sub = dir.resolve(folder);
        if (!Files.isDirectory(sub)) {
            missing.add(folder + "/");
            return List.of();
        }
        try (Stream<Path> list = Files.list(sub)) {
            return list.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    private static String idOf(Path file, String suffix) {
        String name = file.getFileName().toString();
        return name.substring(0, name.length() - suffix.length());
    }

    /** Whether {@code name} (a file, or a folder ending in '/') was missing. */
    boolean isMissing(String name) {
        return missing.contains(name);
    }

    /** Every throughput measurement by its point, in {@link Point#ORDER}. */
    Map<Point, Throughput> throughputs() {
        Map<Point, Throughput> all = new TreeMap<>(Point.ORDER);
        if (results == null) return all;
        for (ResultRow r : results) {
            if (!r.kind().equals("throughput") || !r.metric().equals("throughput")) continue;
            Throughput t = new Throughput(r.point(), r.id(), r.value(), r.error(), jmh.get(r.id()));
            if (all.put(r.point(), t) != null) {
                throw new ResultsFormatException(dir.resolve(RESULTS), r.line(), "configuration,workload,params,threads",
                        r.point().toString(), "one throughput row per point (a second one has id " + r.id() + ")");
            }
        }
        return all;
    }

    /** The latency rows (metric to row) of every latency measurement, by point. */
    Map<Point, Map<String, ResultRow>> latencyRows() {
        Map<Point, Map<String, ResultRow>> all = new TreeMap<>(Point.ORDER);
        if (results == null) return all;
        for (ResultRow r : results) {
            if (r.kind().equals("latency")) all.computeIfAbsent(r.point(), p -> new LinkedHashMap<>()).put(r.metric(), r);
        }
        return all;
    }

    /** The point a measurement id measured (from results.csv, else suite.json), or null. */
    Point pointOf(String id) {
        if (results != null) {
            for (ResultRow r : results) if (r.id().equals(id)) return r.point();
        }
        return suite == null ? null : suite.points().get(id);
    }
}
