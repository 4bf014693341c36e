package org.pxlab.experiments.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.pxlab.experiments.report.Document.Section;
import org.pxlab.experiments.report.Document.Table;

/**
 * Builds a results folder's report as a {@link Document}: the run, then each section whose
 * data is there. A section without data is left out, and the first section says so.
 */
final class ReportDocument {
    private ReportDocument() {}

    static Document build(ResultsFolder folder) {
        Charts charts = new Charts();
        Section run = new Section("Run");
        String suite = folder.suite == null ? "(no suite.json)" : folder.suite.name();
        run.text("Results folder: " + folder.dir.toAbsolutePath().normalize());
        if (folder.suite != null) run.text("Suite: " + folder.suite.name() + " (" + folder.suite.source() + "), "
                + folder.suite.points().size() + " measurements.");
        if (folder.progress != null) {
            run.text(folder.progress.ended() + " measurements ended, " + folder.progress.failed().size() + " of them failed"
                    + (folder.progress.failed().isEmpty() ? "." : " (their figures are missing below):"));
            if (!folder.progress.failed().isEmpty()) {
                Table failed = new Table("measurement", "cause");
                folder.progress.failed().forEach(failed::row);
                run.table(failed);
            }
        }
        for (String missing : folder.missing) run.text(missing + " is missing: " + omitted(missing) + ".");

        List<Section> sections = new ArrayList<>();
        sections.add(run);
        if (folder.results != null) {
            Map<Point, Throughput> throughputs = folder.throughputs();
            if (throughputs.isEmpty()) {
                run.text("results.csv has no throughput rows: the calibration, headline, throughput and scaling sections are omitted.");
            } else {
                add(sections, CalibrationSection.build(throughputs, charts, run));
                add(sections, HeadlineSection.build(throughputs, run));
                add(sections, ScalingSection.throughput(throughputs, charts));
                add(sections, ScalingSection.efficiency(throughputs, run));
            }
        }
        if (folder.projection != null) add(sections, ProjectionSection.build(folder.projection, folder.calibration, charts));
        if (folder.results != null || !folder.latency.isEmpty()) add(sections, LatencySection.build(folder, charts, run));
        if (folder.footprint != null) add(sections, FootprintSection.build(folder, charts, run));
        if (folder.stress != null) add(sections, SafetySection.build(folder.stress, run));
        if (folder.environment != null) {
            Table table = new Table("field", "value");
            folder.environment.forEach((k, v) -> table.row(k, v));
            sections.add(new Section("Environment").text("From environment.json, written before the run began.").table(table));
        }
        String date = folder.environment == null ? null : folder.environment.get("date");
        return new Document("pxlab report: " + suite + (date == null ? "" : ", " + date), sections);
    }

    private static void add(List<Section> sections, Section section) {
        if (section != null) sections.add(section);
    }

    /** What a missing file takes out of the report. */
    private static String omitted(String missing) {
        return switch (missing) {
            case ResultsFolder.RESULTS -> "the calibration, headline, throughput, scaling and latency-percentile sections are omitted";
            case ResultsFolder.FOOTPRINT -> "the footprint section is omitted";
            case ResultsFolder.STRESS -> "the safety section is omitted";
            case ResultsFolder.ENVIRONMENT -> "the environment section is omitted";
            case ResultsFolder.SUITE -> "the suite is not named";
            case ResultsFolder.PROGRESS -> "failed measurements are not listed";
            case "jmh/" -> "ratio intervals come from JMH's errors, not the forks";
            case "latency/" -> "no latency spectra are drawn";
            default -> "it is not used";
        };
    }
}
