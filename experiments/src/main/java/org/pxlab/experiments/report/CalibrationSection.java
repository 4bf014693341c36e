package org.pxlab.experiments.report;

import java.util.LinkedHashMap;
import java.util.Map;
import org.pxlab.experiments.report.Document.Section;
import org.pxlab.experiments.report.Document.Table;

/**
 * Single-thread calibration: each configuration's 1-thread throughput relative to {@code gil}
 * per workload, beside the published single-thread costs of the systems modelled.
 */
final class CalibrationSection {
    static final String BASELINE = "gil";

    private CalibrationSection() {}

    /** The section, or null (with a line in {@code notes}) when there is no 1-thread {@code gil} throughput. */
    static Section build(Map<Point, Throughput> throughputs, Charts charts, Section notes) {
        Table table = new Table("workload", "configuration", "ratio to gil (1 thread)", "95% interval",
                "cost vs gil", "published", "interval from");
        Map<String, Map<String, Double>> bars = new LinkedHashMap<>();
        for (Throughput gil : throughputs.values()) {
            Point base = gil.point();
            if (!base.configuration().equals(BASELINE) || base.threads() != 1) continue;
            for (Throughput other : throughputs.values()) {
                Point p = other.point();
                if (p.threads() != 1 || p.configuration().equals(BASELINE) || !p.on(BASELINE).equals(base)) continue;
                RatioEstimate r = RatioEstimate.between(gil, other);
                table.row(base.workloadLabel(), p.configuration(), Figures.ratio(r.ratio()), Figures.interval(r.low(), r.high()),
                        Figures.percent(1 / r.ratio() - 1), PublishedFigure.forConfiguration(p.configuration()), r.basis());
                bars.computeIfAbsent(base.workloadLabel(), w -> new LinkedHashMap<>(Map.of(BASELINE, 1.0)))
                        .put(p.configuration(), r.ratio());
            }
        }
        if (table.rows().isEmpty()) {
            notes.text("No configuration has a 1-thread throughput beside gil's on the same workload: "
                    + "the single-thread calibration section is omitted.");
            return null;
        }
        return new Section("Single-thread calibration")
                .text("Each configuration's throughput on one thread divided by gil's on the same workload "
                        + "(above 1: faster than gil). \"cost vs gil\" is how much longer a request takes: 1/ratio - 1. "
                        + "The published column gives the single-thread cost reported for the real system the "
                        + "configuration models; the sources:")
                .links(PublishedFigure.SOURCES)
                .table(table)
                .chart(charts.bars("1-thread throughput relative to gil", "workload", "throughput / gil's", bars),
                        "1-thread throughput of each configuration relative to gil (gil = 1), per workload.");
    }
}
