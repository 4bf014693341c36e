package org.pxlab.experiments.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.pxlab.experiments.report.Document.Section;
import org.pxlab.experiments.report.Document.Table;

/**
 * The safety matrix: configurations against hazards, from {@code stress.csv}. A cell shows the
 * verdict that matters most among its rows ({@link StressRow#VERDICTS}' order), the samples
 * that carry that verdict and the samples of the cell in all.
 */
final class SafetySection {
    private SafetySection() {}

    /** The section, or null (with a line in {@code notes}) when stress.csv has no rows. */
    static Section build(List<StressRow> rows, Section notes) {
        if (rows.isEmpty()) {
            notes.text("stress.csv has no rows: the safety section is omitted.");
            return null;
        }
        TreeSet<String> hazards = new TreeSet<>();
        Map<String, Map<String, Cell>> matrix = new TreeMap<>();
        for (StressRow r : rows) {
            hazards.add(r.hazard());
            matrix.computeIfAbsent(r.configuration(), c -> new LinkedHashMap<>())
                    .computeIfAbsent(r.hazard(), h -> new Cell()).add(r);
        }
        String[] header = new String[hazards.size() + 1];
        header[0] = "configuration";
        int h = 1;
        for (String hazard : hazards) header[h++] = hazard;
        Table table = new Table(header);
        matrix.forEach((configuration, cells) -> {
            String[] row = new String[header.length];
            row[0] = configuration;
            int i = 1;
            for (String hazard : hazards) {
                Cell cell = cells.get(hazard);
                row[i++] = cell == null ? "-" : cell.toString();
            }
            table.row(row);
        });
        return new Section("Safety matrix")
                .text("jcstress results per configuration and hazard. unsafe: a forbidden outcome was observed; "
                        + "not-observed: none in the samples shown; control-fired / control-silent: a control test "
                        + "(one that must show the hazard) did / did not; not-applicable: the configuration rules the "
                        + "hazard out by construction. Each cell: the verdict, (samples with it / samples in all).")
                .table(table);
    }

    /** One configuration and hazard: samples per verdict. */
    private static final class Cell {
        private final Map<String, Long> samples = new LinkedHashMap<>();

        void add(StressRow r) {
            samples.merge(r.verdict(), r.samples(), Long::sum);
        }

        @Override
        public String toString() {
            String verdict = StressRow.VERDICTS.stream().filter(samples::containsKey).findFirst().orElseThrow();
            long all = samples.values().stream().mapToLong(Long::longValue).sum();
            return verdict + " (" + samples.get(verdict) + " / " + all + ")";
        }
    }
}
