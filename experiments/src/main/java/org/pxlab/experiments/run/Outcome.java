package org.pxlab.experiments.run;

import java.util.List;

/**
 * What a finished measurement adds to the results folder's tables (its other files, such as
 * jmh/ID.json, it writes itself while it runs).
 *
 * @param results   its results.csv rows
 * @param footprint its footprint.csv rows (footprint measurements only)
 */
public record Outcome(List<ResultRow> results, List<FootprintRow> footprint) {
    public Outcome {
        results = List.copyOf(results);
        footprint = List.copyOf(footprint);
    }

    /** Results rows only. */
    public static Outcome of(List<ResultRow> results) {
        return new Outcome(results, List.of());
    }
}
