package org.pxlab.experiments.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * One row of {@code results.csv}: a metric of one measurement, with JMH's 99.9% half-width
 * in {@code error} for throughputs (NaN where the column is empty).
 */
record ResultRow(String id, String kind, Point point, String metric, double value, double error, String unit, int line) {
    static final List<String> KINDS = List.of("throughput", "latency", "footprint", "stress");
    static final List<String> COLUMNS = List.of("id", "kind", "configuration", "workload", "params", "threads",
            "metric", "value", "error", "unit");

    /** Stress rows are per configuration: no workload, 0 threads (the contract's empty cell for "not applicable"). */
    static List<ResultRow> read(Path file) throws IOException {
        return CsvTable.read(file, COLUMNS).rows().stream().map(r -> {
            String kind = r.oneOf("kind", KINDS);
            boolean stress = kind.equals("stress");
            return new ResultRow(r.required("id"), kind,
                    new Point(r.required("configuration"), stress ? r.text("workload") : r.required("workload"), r.text("params"),
                            stress && r.text("threads").isEmpty() ? 0 : (int) Math.min(r.whole("threads", stress ? 0 : 1), Integer.MAX_VALUE)),
                    r.required("metric"), r.number("value", false), r.number("error", true), r.text("unit"), r.line());
        }).toList();
    }
}
