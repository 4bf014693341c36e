package org.pxlab.experiments.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pxlab.experiments.report.Charts.Bar;
import org.pxlab.experiments.report.Document.Section;
import org.pxlab.experiments.report.Document.Table;

/**
 * Throughput against threads per workload (one line per configuration, JMH's error as the
 * error bar) and scaling efficiency: throughput at N threads / (N x throughput at 1).
 */
final class ScalingSection {
    private ScalingSection() {}

    /** The throughput section: a chart per workload and the table of every throughput. */
    static Section throughput(Map<Point, Throughput> throughputs, Charts charts) {
        Section section = new Section("Throughput against threads")
                .text("Requests per second (JMH's mean score). Error bars and the +- column are JMH's 99.9% "
                        + "confidence half-widths (a bar is cut at 0 where the half-width is larger than the score).");
        Map<String, Map<String, List<Bar>>> byWorkload = new LinkedHashMap<>();
        Table table = new Table("workload", "configuration", "threads", "throughput (requests/s)", "+- (99.9%)", "forks");
        for (Throughput t : throughputs.values()) {
            Point p = t.point();
            double error = Double.isFinite(t.error()) ? t.error() : 0;
            byWorkload.computeIfAbsent(p.workloadLabel(), w -> new LinkedHashMap<>())
                    .computeIfAbsent(p.configuration(), c -> new ArrayList<>())
                    .add(new Bar(p.threads(), t.score(), Math.max(0, t.score() - error), t.score() + error));
            table.row(p.workloadLabel(), p.configuration(), Integer.toString(p.threads()), Figures.quantity(t.score()),
                    Figures.quantity(t.error()), t.forks() == null ? "-" : Integer.toString(t.forks().forks().size()));
        }
        byWorkload.forEach((workload, lines) -> section.chart(
                charts.linesWithErrors(workload + ": throughput against threads", "threads", "requests/s", lines),
                workload + ": throughput (requests/s) against threads, one line per configuration."));
        return section.table(table);
    }

    /** The efficiency section, or null (with a line in {@code notes}) when no point has both 1 and N threads. */
    static Section efficiency(Map<Point, Throughput> throughputs, Section notes) {
        Table table = new Table("workload", "configuration", "threads", "efficiency");
        for (Throughput t : throughputs.values()) {
            Point p = t.point();
            Throughput one = throughputs.get(p.at(1));
            if (p.threads() == 1 || one == null) continue;
            table.row(p.workloadLabel(), p.configuration(), Integer.toString(p.threads()),
                    Figures.ratio(efficiency(t.score(), one.score(), p.threads())));
        }
        if (table.rows().isEmpty()) {
            notes.text("No configuration was measured on both 1 and more threads: the scaling-efficiency section is omitted.");
            return null;
        }
        return new Section("Scaling efficiency")
                .text("Throughput at N threads / (N x throughput at 1 thread): 1 is perfect scaling; 1/N is none.")
                .table(table);
    }

    static double efficiency(double atN, double atOne, int n) {
        return atN / (n * atOne);
    }
}
