package org.pxlab.experiments.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.pxlab.experiments.report.Document.Section;
import org.pxlab.experiments.report.Document.Table;

/** Footprint: {@code footprint.csv} as one row per measurement and space, and the bytes in use per configuration. */
final class FootprintSection {
    private FootprintSection() {}

    /**
     * The section, or null (with a line in {@code notes}) when footprint.csv has no rows.
     * footprint.csv has no parameters column: a row's parameters come from its measurement id
     * (suite.json or results.csv) when the folder names them.
     */
    static Section build(ResultsFolder folder, Charts charts, Section notes) {
        List<FootprintRow> rows = folder.footprint;
        if (rows.isEmpty()) {
            notes.text("footprint.csv has no rows: the footprint section is omitted.");
            return null;
        }
        Map<List<String>, Map<String, Double>> pivot = new TreeMap<>((a, b) -> String.join("\u0000", a).compareTo(String.join("\u0000", b)));
        // workload -> "N threads" -> configuration -> bytes: one chart per workload, whose sizes differ by orders of magnitude.
        Map<String, Map<String, Map<String, Double>>> inUse = new TreeMap<>();
        for (FootprintRow r : rows) {
            Point named = folder.pointOf(r.id());
            Point p = named == null ? r.point() : named;
            // The id keeps two measurements of one workload with different parameters apart.
            List<String> key = List.of(p.workloadLabel(), p.configuration(), String.format(java.util.Locale.ROOT, "%09d", p.threads()),
                    r.id(), r.space());
            pivot.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(r.metric(), r.value());
            if (r.space().equals("total") && r.metric().equals("in_use_bytes")) {
                inUse.computeIfAbsent(p.workloadLabel(), w -> new TreeMap<>())
                        .computeIfAbsent(p.threads() + (p.threads() == 1 ? " thread" : " threads"), t -> new TreeMap<>())
                        .put(p.configuration(), r.value());
            }
        }
        String[] header = new String[4 + FootprintRow.METRICS.size()];
        header[0] = "workload";
        header[1] = "configuration";
        header[2] = "threads";
        header[3] = "space";
        for (int i = 0; i < FootprintRow.METRICS.size(); i++) header[4 + i] = FootprintRow.METRICS.get(i);
        Table table = new Table(header);
        pivot.forEach((key, metrics) -> {
            String[] cells = new String[header.length];
            cells[0] = key.get(0);
            cells[1] = key.get(1);
            cells[2] = Integer.toString(Integer.parseInt(key.get(2)));
            cells[3] = key.get(4);
            for (int i = 0; i < FootprintRow.METRICS.size(); i++) {
                Double v = metrics.get(FootprintRow.METRICS.get(i));
                cells[4 + i] = v == null ? "-" : Figures.quantity(v);
            }
            table.row(cells);
        });
        Section section = new Section("Footprint")
                .text("Bytes per measurement and space ('total': all spaces): the object header, the simulated heap "
                        + "reserved, in use and at its peak, the arena high-water mark per request, and the JVM-side "
                        + "structures measured with JOL.");
        inUse.forEach((workload, byThreads) -> section.chart(
                charts.bars(workload + ": simulated heap in use", "threads", "bytes", byThreads),
                workload + ": simulated bytes in use (all spaces) per configuration and thread count."));
        return section.table(table);
    }
}
