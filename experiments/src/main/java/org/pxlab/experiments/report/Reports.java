package org.pxlab.experiments.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The report of a results folder. This build's version writes report.md, results.csv as one
 * Markdown table; the full report (report.html with charts, report.md's tables) replaces it.
 */
public final class Reports {
    private Reports() {}

    /**
     * Writes the report of {@code resultsDir}.
     *
     * @return the report's path
     */
    public static Path write(Path resultsDir) throws IOException {
        List<String> lines = Files.readAllLines(resultsDir.resolve("results.csv"), StandardCharsets.UTF_8);
        StringBuilder b = new StringBuilder("# Results of ").append(resultsDir.getFileName()).append("\n\n");
        for (int i = 0; i < lines.size(); i++) {
            b.append("| ").append(String.join(" | ", lines.get(i).split(",", -1))).append(" |\n");
            if (i == 0) b.append("|").append(" --- |".repeat(lines.get(0).split(",", -1).length)).append('\n');
        }
        Path report = resultsDir.resolve("report.md");
        Files.writeString(report, b.toString(), StandardCharsets.UTF_8);
        return report;
    }
}
