package org.pxlab.experiments.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pxlab.experiments.report.CsvTable;

/**
 * projection.csv read back ({@link CsvTable}: a malformed value is a
 * {@link org.pxlab.experiments.report.ResultsFormatException} naming the file, line and column),
 * for {@code pxlab project}'s tables and the report's projection section.
 */
public final class ProjectionTable {
    /** The columns read. */
    static final List<String> COLUMNS = List.of(ResultsFolder.PROJECTION_HEADER.split(","));
    private static final List<String> SOURCES = List.of("", ProjectionRow.JMH, ProjectionRow.NATIVE);

    private ProjectionTable() {}

    /** One projection measurement's rows, in file order. */
    public record Projected(String id, String configuration, String workload, String params, List<ProjectionRow> rows) {}

    /** The file's projections, in the order their first rows come. */
    public static List<Projected> read(Path file) throws IOException {
        Map<String, Projected> byId = new LinkedHashMap<>();
        for (CsvTable.Row r : CsvTable.read(file, COLUMNS).rows()) {
            String id = r.required("id");
            Projected p = byId.computeIfAbsent(id, i -> new Projected(i, r.required("configuration"), r.required("workload"),
                    r.text("params"), new ArrayList<>()));
            String source = r.oneOf("measured_source", SOURCES);
            double measured = r.number("measured", true);
            if (source.isEmpty() != Double.isNaN(measured)) {
                throw new org.pxlab.experiments.report.ResultsFormatException(file, r.line(), "measured_source", source,
                        "jmh or native beside a measured figure, and nothing where none is");
            }
            p.rows().add(new ProjectionRow((int) Math.min(r.whole("cores", 1), Integer.MAX_VALUE), r.number("predicted", false),
                    r.number("scaling", true), r.required("limit"), measured, r.number("measured_error", true), source,
                    r.number("error_percent", true)));
        }
        return new ArrayList<>(byId.values());
    }
}
