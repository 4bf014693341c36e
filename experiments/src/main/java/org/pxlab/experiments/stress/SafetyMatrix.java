package org.pxlab.experiments.stress;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.pxlab.experiments.run.Csv;
import java.util.stream.Collectors;

/**
 * Configuration x hazard, from a {@link StressSummary}: each cell is "UNSAFE: k in N samples",
 * "not observed in N samples" (per test that covers it), "not applicable" (the configuration
 * declares why the hazard cannot arise), "not run" (its tests were left out of this run) or
 * "not covered" (no test maps to it). Absence is always stated with its N: evidence, not proof.
 *
 * <p>Rows are the configurations asked for, whether or not any test maps to them; known-unsafe
 * controls and tests of components no configuration uses get rows under what they race.
 */
public final class SafetyMatrix {
    /** The header of stress.csv (RESULTS_FOLDER.md). */
    public static final String CSV_HEADER = "configuration,hazard,test,outcome,samples,verdict";
    /**
     * A row's verdict: what a test showed (unsafe, not-observed), what a control showed
     * (control-fired, control-silent), why there is no test (not-applicable, not-covered), or that
     * the covering test did not run (not-run).
     */
    public static final List<String> VERDICTS = List.of("unsafe", "not-observed", "not-applicable", "control-fired",
            "control-silent", "not-covered", "not-run");

    /**
     * One row of stress.csv.
     *
     * @param configuration a configuration's name, or a control's (or other test's) setup
     * @param hazard        the hazard's id
     * @param test          the test's simple class name; empty when no test covers the cell
     * @param outcome       what the cell says
     * @param samples       samples, or -1 when not applicable
     * @param verdict       one of {@link #VERDICTS}
     */
    public record Row(String configuration, String hazard, String test, String outcome, long samples, String verdict) {}

    private final StressSummary summary;
    private final List<String> configurations;

    /** @param configurations the rows, in order */
    public SafetyMatrix(StressSummary summary, List<String> configurations) {
        this.summary = summary;
        this.configurations = List.copyOf(configurations);
    }

    /** Every row of stress.csv: configurations first, then controls and component-only tests. */
    public List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        for (String c : configurations) {
            for (String h : summary.hazards().keySet()) rows.addAll(cell(c, h));
        }
        for (StressSummary.Test t : summary.tests().values()) {
            if (!t.control() && !t.configurations().isEmpty()) continue;
            for (String h : t.hazards()) rows.add(testRow(plain(t.setup()), h, t));
        }
        return rows;
    }

    /** The rows of one cell: one per test covering it, or one saying why there is none. */
    List<Row> cell(String configuration, String hazard) {
        List<StressSummary.Test> covering = summary.tests().values().stream()
                .filter(t -> !t.control() && t.configurations().contains(configuration) && t.hazards().contains(hazard)).toList();
        String reason = summary.excluded().getOrDefault(configuration, Map.of()).get(hazard);
        if (covering.isEmpty()) {
            return List.of(reason != null
                    ? new Row(configuration, hazard, "", "not applicable: " + reason, -1, "not-applicable")
                    : new Row(configuration, hazard, "", "not covered", -1, "not-covered"));
        }
        return covering.stream().map(t -> testRow(configuration, hazard, t)).toList();
    }

    private static Row testRow(String configuration, String hazard, StressSummary.Test t) {
        if (!t.ran()) {
            return new Row(configuration, hazard, t.simpleName(), t.selected() ? "did not run" : "not run (not selected)", 0, "not-run");
        }
        String verdict = t.control() ? (t.hazardSamples() > 0 ? "control-fired" : "control-silent")
                : (t.hazardSamples() > 0 ? "unsafe" : "not-observed");
        return new Row(configuration, hazard, t.simpleName(), observed(t), t.samples(), verdict);
    }

    /** "UNSAFE: k in N samples" or "not observed in N samples". */
    static String observed(StressSummary.Test t) {
        return t.hazardSamples() > 0
                ? String.format(Locale.ROOT, "UNSAFE: %,d in %,d samples", t.hazardSamples(), t.samples())
                : String.format(Locale.ROOT, "not observed in %,d samples", t.samples());
    }

    /** stress.csv, RFC 4180. */
    public String csv() {
        StringBuilder out = new StringBuilder(CSV_HEADER).append("\r\n");
        for (Row r : rows()) {
            out.append(String.join(",", Csv.field(r.configuration()), Csv.field(r.hazard()), Csv.field(r.test()),
                    Csv.field(r.outcome()), r.samples() < 0 ? "" : Long.toString(r.samples()), r.verdict())).append("\r\n");
        }
        return out.toString();
    }

    /** stress.md: the run's verdict, the matrix, the usage rules, the controls and the tests. */
    public String markdown(String title) {
        StringBuilder md = new StringBuilder("# ").append(title).append("\n\n");
        md.append(String.format(Locale.ROOT, "%d of %d selected tests ran (%d tests in the suite). Run %s.%n%n", summary.testsRan(),
                summary.selected(), summary.tests().size(), switch (summary.verdict()) {
                    case "passed" -> "**valid**: no forbidden outcome, every selected test ran, every control fired";
                    case "invalid" -> "**INVALID** (a control did not fire: nothing below is evidence of safety)";
                    default -> "**FAILED**";
                }));
        for (String f : summary.failures()) md.append("- ").append(cellText(f)).append('\n');
        if (!summary.failures().isEmpty()) md.append('\n');
        md.append("Each cell: what the tests that cover it observed, summed over jcstress's JVM configurations. "
                + "\"not observed in N samples\" is evidence, not proof; \"not covered\" means no test maps to the cell.\n\n");
        md.append("## Configurations x hazards\n\n| configuration |");
        summary.hazards().values().forEach(l -> md.append(' ').append(l).append(" |"));
        md.append("\n|---|").append("---|".repeat(summary.hazards().size())).append('\n');
        for (String c : configurations) {
            md.append("| `").append(c).append("` |");
            for (String h : summary.hazards().keySet()) {
                md.append(' ').append(cell(c, h).stream().map(SafetyMatrix::brief).collect(Collectors.joining("<br>"))).append(" |");
            }
            md.append('\n');
        }
        md.append("\n## Usage rules\n\nThe rule under which a configuration's \"not observed\" cells hold, and why its "
                + "\"not applicable\" hazards cannot arise.\n\n");
        for (String c : configurations) {
            String rule = summary.rules().get(c);
            md.append("- `").append(c).append("`: ").append(rule == null || rule.isEmpty() ? "no usage rule declared" : rule);
            Map<String, String> excluded = summary.excluded().getOrDefault(c, Map.of());
            if (!excluded.isEmpty()) {
                md.append(". Not applicable: ").append(excluded.entrySet().stream()
                        .map(e -> summary.hazards().getOrDefault(e.getKey(), e.getKey()) + " (" + e.getValue() + ")")
                        .collect(Collectors.joining("; ")));
            }
            md.append('\n');
        }
        md.append("\n## Known-unsafe controls and other components\n\nA control must show its hazard, or the run is "
                + "invalid. Tests of components no configuration uses are listed here too.\n\n"
                + "| test | setup | hazard | observed | verdict |\n|---|---|---|---|---|\n");
        for (Row r : rows()) {
            if (configurations.contains(r.configuration())) continue;
            StressSummary.Test t = summary.tests().values().stream().filter(x -> x.simpleName().equals(r.test())).findFirst().orElseThrow();
            md.append("| `").append(r.test()).append("` | ").append(cellText(t.setup())).append(" | ")
                    .append(summary.hazards().getOrDefault(r.hazard(), r.hazard())).append(" | ").append(r.outcome())
                    .append(" | ").append(r.verdict()).append(" |\n");
        }
        md.append("\n## Tests\n\n| test | hazards | configurations | setup | samples | JVM configurations |\n|---|---|---|---|---|---|\n");
        for (StressSummary.Test t : summary.tests().values()) {
            md.append("| `").append(t.simpleName()).append(t.control() ? "` (control)" : "`").append(" | ")
                    .append(String.join(", ", t.hazards())).append(" | ")
                    .append(t.configurations().isEmpty() ? "" : "`" + String.join("`, `", t.configurations()) + "`").append(" | ")
                    .append(cellText(t.setup())).append(" | ")
                    .append(t.ran() ? String.format(Locale.ROOT, "%,d", t.samples()) : t.selected() ? "did not run" : "not selected")
                    .append(" | ").append(t.jvmConfigurations()).append(" |\n");
        }
        return md.toString();
    }

    private static String brief(Row r) {
        if (r.test().isEmpty()) return r.verdict().equals("not-applicable") ? "not applicable" : r.outcome();
        return r.outcome() + " (`" + r.test() + "`)";
    }

    private static String cellText(String s) {
        return s.replace("|", "\\|");
    }

    /** Setup text without Markdown's backticks, for the CSV. */
    private static String plain(String setup) {
        return setup.replace("`", "");
    }
}
