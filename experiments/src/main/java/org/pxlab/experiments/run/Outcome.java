package org.pxlab.experiments.run;

import java.util.List;

/**
 * What a finished measurement adds to the results folder's tables (its other files, such as
 * jmh/ID.json, it writes itself while it runs).
 *
 * @param results   its results.csv rows
 * @param footprint  its footprint.csv rows (footprint measurements only)
 * @param projection its projection.csv rows (projection measurements only)
 */
public record Outcome(List<ResultRow> results, List<FootprintRow> footprint, List<ProjectionRow> projection) {
    public Outcome {
        results = List.copyOf(results);
        footprint = List.copyOf(footprint);
        projection = List.copyOf(projection);
    }

    /** Results and footprint rows. */
    public Outcome(List<ResultRow> results, List<FootprintRow> footprint) {
        this(results, footprint, List.of());
    }

    /** Projection rows only. */
    public static Outcome ofProjection(List<ProjectionRow> projection) {
        return new Outcome(List.of(), List.of(), projection);
    }

    /** Results rows only. */
    public static Outcome of(List<ResultRow> results) {
        return new Outcome(results, List.of());
    }
}
