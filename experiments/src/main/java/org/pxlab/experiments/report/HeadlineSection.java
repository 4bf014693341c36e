package org.pxlab.experiments.report;

import java.util.Map;
import org.pxlab.experiments.report.Document.Section;
import org.pxlab.experiments.report.Document.Table;

/**
 * The headline table: split-brain against fine-grained, then every configuration against
 * {@code gil}, as throughput ratios with 95% intervals per workload and thread count.
 */
final class HeadlineSection {
    static final String SPLIT_BRAIN = "split-brain";
    static final String FINE_GRAINED = "fine-grained";

    private HeadlineSection() {}

    /** The section, or null (with a line in {@code notes}) when no pair of configurations shares a point. */
    static Section build(Map<Point, Throughput> throughputs, Section notes) {
        Table table = new Table("comparison", "workload", "threads", "ratio", "95% interval", "interval from");
        pairs(throughputs, table, SPLIT_BRAIN, FINE_GRAINED);
        throughputs.keySet().stream().map(Point::configuration).distinct().sorted()
                .filter(c -> !c.equals(CalibrationSection.BASELINE))
                .forEach(c -> pairs(throughputs, table, c, CalibrationSection.BASELINE));
        if (table.rows().isEmpty()) {
            notes.text("No two configurations were measured on the same workload and thread count: "
                    + "the headline section is omitted.");
            return null;
        }
        return new Section("Headline: throughput ratios")
                .text("\"A / B\" is A's throughput divided by B's on the same workload, parameters and thread count "
                        + "(above 1: A is faster). Intervals are 95%, by the delta method on the log of the ratio: "
                        + "Var(log A/B) = (seA/A)^2 + (seB/B)^2 with Welch-Satterthwaite degrees of freedom. "
                        + "The standard errors come from the forks' means when jmh/ID.json holds two or more forks "
                        + "(\"forks\"), else from JMH's 99.9% error divided by its t quantile (\"JMH error\").")
                .table(table);
    }

    private static void pairs(Map<Point, Throughput> throughputs, Table table, String numerator, String denominator) {
        for (Throughput a : throughputs.values()) {
            if (!a.point().configuration().equals(numerator)) continue;
            Throughput b = throughputs.get(a.point().on(denominator));
            if (b == null) continue;
            RatioEstimate r = RatioEstimate.between(b, a);
            table.row(numerator + " / " + denominator, a.point().workloadLabel(), Integer.toString(a.point().threads()),
                    Figures.ratio(r.ratio()), Figures.interval(r.low(), r.high()), r.basis());
        }
    }
}
