package org.pxlab.experiments.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.pxlab.experiments.report.Document.Section;
import org.pxlab.experiments.report.Document.Table;

/**
 * Open-loop latency: the percentiles {@code results.csv} holds, and a percentile spectrum per
 * workload and thread count drawn from the {@code latency/*.hlog} logs, one line per configuration.
 */
final class LatencySection {
    static final List<String> PERCENTILES = List.of("latency_p50", "latency_p90", "latency_p99", "latency_p999", "latency_max");

    private LatencySection() {}

    /** The section, or null (with a line in {@code notes}) when there are neither latency rows nor logs. */
    static Section build(ResultsFolder folder, Charts charts, Section notes) {
        Map<Point, Map<String, ResultRow>> rows = folder.latencyRows();
        if (rows.isEmpty() && folder.latency.isEmpty()) {
            notes.text("No latency measurements (no latency rows in results.csv, no latency/*.hlog): "
                    + "the latency section is omitted.");
            return null;
        }
        Section section = new Section("Latency")
                .text("Open loop: requests at a constant rate, each timed from its intended start (no coordinated "
                        + "omission). Percentiles in microseconds.");
        Map<String, Map<String, Histogram>> spectra = new TreeMap<>();
        new TreeMap<>(folder.latency).forEach((id, histogram) -> {
            Point p = folder.pointOf(id);
            String group = p == null ? "measurement " + id : p.workloadLabel() + ", " + p.threads() + " threads";
            spectra.computeIfAbsent(group, g -> new LinkedHashMap<>()).put(p == null ? id : p.configuration(), histogram);
        });
        spectra.forEach((group, histograms) -> section.chart(charts.spectrum(group + ": latency by percentile", histograms),
                group + ": latency percentile spectrum (x: percentile on a log scale of 1/(1-p)), one line per configuration."));
        if (!rows.isEmpty()) {
            Table table = new Table("workload", "configuration", "threads", "rate (requests/s)", "served",
                    "p50", "p90", "p99", "p99.9", "max");
            rows.forEach((p, metrics) -> {
                String[] cells = new String[10];
                cells[0] = p.workloadLabel();
                cells[1] = p.configuration();
                cells[2] = Integer.toString(p.threads());
                cells[3] = value(metrics, "rate");
                cells[4] = value(metrics, "served");
                for (int i = 0; i < PERCENTILES.size(); i++) cells[5 + i] = value(metrics, PERCENTILES.get(i));
                table.row(cells);
            });
            section.table(table);
        }
        return section;
    }

    private static String value(Map<String, ResultRow> metrics, String metric) {
        ResultRow row = metrics.get(metric);
        return row == null ? "-" : Figures.quantity(row.value());
    }
}
