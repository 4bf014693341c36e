package org.pxlab.experiments.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.pxlab.experiments.report.Charts.Bar;
import org.pxlab.experiments.report.Document.Section;
import org.pxlab.experiments.report.Document.Table;
import org.pxlab.experiments.run.ProjectionRow;
import org.pxlab.experiments.run.ProjectionTable;

/**
 * The projection section (projection.csv): per workload a chart of throughput against cores,
 * each configuration's projection a dashed line labelled as model output beside its measured
 * points at 1 and 2 cores; a table of the measured figures and the model's error; and a
 * table of the predictions at every core count.
 */
final class ProjectionSection {
    private ProjectionSection() {}

    /**
     * @param calibration the prices the projections used (the folder's calibration copy), or null
     */
    static Section build(List<ProjectionTable.Projected> projections, String calibration, Charts charts) {
        Section section = new Section("Projection to more cores (model output)")
                .text("Predicted by the projection model (docs/projection.md) from counting runs priced by a cost model calibrated "
                        + "on this machine: model output, not measurements. Dashed lines are the projections; markers are "
                        + "measured figures at 1 and 2 cores, with their error bars: JMH's score and 99.9% half-width (source jmh, "
                        + "this folder's throughput rows; a bar is cut at half the figure, for the log scale) or a short closed-loop "
                        + "measurement (source native). Error = "
                        + "(predicted - measured) / measured.");
        if (calibration != null) section.text("Calibration: " + calibration);
        Map<String, Map<String, List<Bar>>> measured = new LinkedHashMap<>();
        Map<String, Map<String, List<Bar>>> projected = new LinkedHashMap<>();
        Table errors = new Table("workload", "configuration", "cores", "predicted (requests/s)", "measured (requests/s)",
                "+- (99.9%)", "source", "error");
        SortedSet<Integer> allCores = new TreeSet<>();
        projections.forEach(p -> p.rows().forEach(r -> allCores.add(r.cores())));
        List<String> header = new ArrayList<>(List.of("workload", "configuration"));
        allCores.forEach(n -> header.add(n + (n == 1 ? " core" : " cores")));
        header.add("limit at the most cores");
        Table predictions = new Table(header.toArray(String[]::new));
        for (ProjectionTable.Projected p : projections) {
            String workload = Point.label(p.workload(), p.params());
            List<Bar> points = measured.computeIfAbsent(workload, w -> new LinkedHashMap<>())
                    .computeIfAbsent(p.configuration(), c -> new ArrayList<>());
            List<Bar> line = projected.computeIfAbsent(workload, w -> new LinkedHashMap<>())
                    .computeIfAbsent(p.configuration(), c -> new ArrayList<>());
            Map<Integer, ProjectionRow> byCores = new LinkedHashMap<>();
            for (ProjectionRow r : p.rows()) {
                byCores.put(r.cores(), r);
                line.add(new Bar(r.cores(), r.predicted(), r.predicted(), r.predicted()));
                if (r.measuredSource().isEmpty()) continue;
                double e = Double.isFinite(r.measuredError()) ? r.measuredError() : 0;
                points.add(new Bar(r.cores(), r.measured(), Math.max(r.measured() / 2, r.measured() - e), r.measured() + e));
                errors.row(workload, p.configuration(), Integer.toString(r.cores()), Figures.quantity(r.predicted()),
                        Figures.quantity(r.measured()), Figures.quantity(r.measuredError()), r.measuredSource(),
                        Figures.percent(r.errorPercent() / 100));
            }
            List<String> cells = new ArrayList<>(List.of(workload, p.configuration()));
            for (int n : allCores) cells.add(byCores.containsKey(n) ? Figures.quantity(byCores.get(n).predicted()) : "-");
            cells.add(p.rows().isEmpty() ? "-" : p.rows().getLast().limit());
            predictions.row(cells.toArray(String[]::new));
        }
        projected.forEach((workload, lines) -> {
            Map<String, List<Bar>> marks = new LinkedHashMap<>(measured.get(workload));
            marks.values().removeIf(List::isEmpty);
            section.chart(charts.projections(workload + ": throughput against cores",
                            marks, lines),
                    workload + ": requests/s against cores (log scales); dashed lines: " + Charts.PROJECTION_LABEL
                            + "; markers: measured at 1 and 2 cores.");
        });
        if (!errors.rows().isEmpty()) section.text("Measured beside predicted, where measured:").table(errors);
        return section.text("Predicted requests per second (model output) at each core count, and what limits the prediction "
                + "at the most cores:").table(predictions);
    }
}
