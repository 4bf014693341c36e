package org.pxlab.experiments.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** One row of {@code stress.csv}: how often one outcome of one jcstress test was seen, and what that says. */
record StressRow(String configuration, String hazard, String test, String outcome, long samples, String verdict) {
    /**
     * The verdicts ({@code SafetyMatrix.VERDICTS}), the one that matters most first: a cell of
     * the safety matrix shows its first.
     */
    static final List<String> VERDICTS = List.of("unsafe", "control-silent", "not-run", "not-observed", "control-fired",
            "not-applicable", "not-covered");
    static final List<String> COLUMNS = List.of("configuration", "hazard", "test", "outcome", "samples", "verdict");

    static List<StressRow> read(Path file) throws IOException {
        return CsvTable.read(file, COLUMNS).rows().stream().map(r -> new StressRow(
                r.required("configuration"), r.required("hazard"), r.text("test"), r.text("outcome"),
                r.text("samples").isEmpty() ? 0 : r.whole("samples", 0),   // empty: no test ran for the row
                r.oneOf("verdict", VERDICTS)))
                .toList();
    }
}
