package org.pxlab.experiments.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** One row of {@code footprint.csv}: a byte count of one space (or {@code total}) of one measurement. */
record FootprintRow(String id, Point point, String space, String metric, double value, String unit) {
    static final List<String> METRICS = List.of("header_bytes", "reserved_bytes", "in_use_bytes", "peak_bytes",
            "arena_high_water_per_request_bytes", "jvm_bytes");
    static final List<String> COLUMNS = List.of("id", "configuration", "workload", "threads", "space", "metric",
            "value", "unit");

    static List<FootprintRow> read(Path file) throws IOException {
        return CsvTable.read(file, COLUMNS).rows().stream().map(r -> new FootprintRow(
                r.required("id"),
                new Point(r.required("configuration"), r.required("workload"), "",
                        (int) Math.min(r.whole("threads", 1), Integer.MAX_VALUE)),
                r.required("space"), r.oneOf("metric", METRICS), r.number("value", false), r.text("unit")))
                .toList();
    }
}
