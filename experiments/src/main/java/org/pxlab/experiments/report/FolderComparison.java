package org.pxlab.experiments.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.pxlab.experiments.report.Document.Section;
import org.pxlab.experiments.report.Document.Table;
import org.pxlab.runtime.config.ConfigurationException;

/**
 * Two results folders side by side ({@code pxlab compare A B}): for every throughput point
 * (configuration, workload, parameters, threads) measured in both, B's throughput over A's
 * with its 95% interval ({@link RatioEstimate}) and a verdict ({@link Verdict}: Welch's t-test
 * on the forks' means).
 */
public final class FolderComparison {
    public static final String HTML = "compare.html";
    public static final String MARKDOWN = "compare.md";

    private final Document document;

    private FolderComparison(Document document) {
        this.document = document;
    }

    /** Reads both folders (strictly, as reports do) and compares them. */
    public static FolderComparison of(Path a, Path b) throws IOException {
        ResultsFolder first = ResultsFolder.read(a);
        ResultsFolder second = ResultsFolder.read(b);
        Map<Point, Throughput> inA = first.throughputs();
        Map<Point, Throughput> inB = second.throughputs();
        Table table = new Table("configuration", "workload", "threads", "A (requests/s)", "B (requests/s)", "B / A",
                "95% interval", "verdict", "p", "test on");
        List<String> onlyOne = new ArrayList<>();
        inA.forEach((point, ta) -> {
            Throughput tb = inB.get(point);
            if (tb == null) {
                onlyOne.add(describe(point) + " (A only)");
                return;
            }
            RatioEstimate r = RatioEstimate.between(ta, tb);
            Verdict v = Verdict.of(ta, tb);
            table.row(point.configuration(), point.workloadLabel(), Integer.toString(point.threads()),
                    Figures.quantity(ta.score()), Figures.quantity(tb.score()), Figures.ratio(r.ratio()),
                    Figures.interval(r.low(), r.high()), v.kind().toString(), Figures.decimal(v.pValue(), 4), v.basis());
        });
        inB.keySet().stream().filter(p -> !inA.containsKey(p)).forEach(p -> onlyOne.add(describe(p) + " (B only)"));
        Section section = new Section("Throughput, B against A")
                .text("A: " + a.toAbsolutePath().normalize())
                .text("B: " + b.toAbsolutePath().normalize())
                .text("B / A above 1: B is faster. Intervals are 95%, by the delta method on the log of the ratio with "
                        + "Welch-Satterthwaite degrees of freedom. The verdict is Welch's two-sided t-test at 5% on the "
                        + "forks' mean scores (jmh/ID.json), or on the iterations when a side has fewer than 2 forks.");
        if (table.rows().isEmpty()) section.text("No throughput point was measured in both folders.");
        else section.table(table);
        if (!onlyOne.isEmpty()) section.text("Measured in one folder only: " + String.join("; ", onlyOne) + ".");
        return new FolderComparison(new Document("pxlab compare", List.of(section)));
    }

    private static String describe(Point p) {
        return p.configuration() + " " + p.workloadLabel() + " " + p.threads() + "t";
    }

    /** The comparison in Markdown. */
    public String markdown() {
        return MarkdownRenderer.render(document);
    }

    /** The comparison as a self-contained HTML page. */
    public String html() {
        return HtmlRenderer.render(document);
    }

    /**
     * Writes {@code compare.html} and {@code compare.md} into {@code dir} (made if missing).
     * Refuses, before writing either, when one of them is there already.
     */
    public void writeTo(Path dir) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new ConfigurationException("--out", dir.toString(), "a folder (this is a file)");
        }
        for (String name : List.of(HTML, MARKDOWN)) {
            if (Files.exists(dir.resolve(name))) {
                throw new ConfigurationException("--out", dir.toString(), "a folder without " + HTML + " or " + MARKDOWN
                        + " (" + dir.resolve(name) + " exists; pxlab compare never overwrites)");
            }
        }
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(HTML), html(), StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
        Files.writeString(dir.resolve(MARKDOWN), markdown(), StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
    }
}
