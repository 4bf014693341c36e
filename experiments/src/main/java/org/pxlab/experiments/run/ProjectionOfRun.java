package org.pxlab.experiments.run;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import org.pxlab.experiments.suite.Measurement;
import org.pxlab.experiments.workload.Workloads;
import org.pxlab.runtime.config.ComponentRegistry;
import org.pxlab.runtime.config.ConfigurationException;

/**
 * Projections added to a results folder a run has finished ({@code pxlab project SUITE --results DIR}):
 * each projection runs as {@link ProjectionKind} does in a suite, its measured figures taken from
 * the folder's throughput rows, and projection.csv is written whole once they have all ended.
 * The run's own files (suite.json, progress.jsonl, results.csv, ...) are left as they are, and
 * a folder that already has projection.csv is refused: projections are never overwritten.
 */
public final class ProjectionOfRun {
    private ProjectionOfRun() {}

    /** Refuses a folder that is not a run's, or that already has projection.csv. */
    public static void check(Path dir) throws IOException {
        ResultsFolder.suiteOf(dir);
        if (Files.exists(dir.resolve(ResultsFolder.PROJECTION_CSV))) {
            throw new ConfigurationException("--results", dir.toString(), "a results folder without " + ResultsFolder.PROJECTION_CSV
                    + " (projections are never overwritten: move it away to project again)");
        }
    }

    /**
     * Runs {@code projections} against {@code dir} and writes its projection.csv.
     *
     * @return how many failed (each said on {@code out}; the others' rows are written)
     */
    public static int write(Path dir, List<Measurement> projections, ProjectionKind kind, ComponentRegistry registry,
                            Workloads workloads, PrintWriter out) throws IOException {
        check(dir);
        MeasurementContext context = new MeasurementContext(dir, registry, workloads, (c, w, p, t) -> OptionalDouble.empty());
        StringBuilder rows = new StringBuilder(ResultsFolder.PROJECTION_HEADER).append('\n');
        int failed = 0;
        for (Measurement m : projections) {
            long start = System.nanoTime();
            try {
                rows.append(ResultsFolder.projectionRows(m, kind.run(m, context).projection()));
                out.printf("%s: ok (%.1f s)%n", m.id(), (System.nanoTime() - start) / 1e9);
            } catch (Exception e) {
                failed++;
                out.printf("%s: failed: %s%n", m.id(), SuiteRunner.cause(e));
            }
            out.flush();
        }
        WholeFile.write(dir.resolve(ResultsFolder.PROJECTION_CSV), rows.toString(), false);
        return failed;
    }
}
