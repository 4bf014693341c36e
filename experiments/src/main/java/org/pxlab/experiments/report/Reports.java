package org.pxlab.experiments.report;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes a results folder's report: {@code report.html} (self-contained, inline SVG charts)
 * and {@code report.md} (the same tables), replacing only those two files. The whole folder
 * is read and both documents rendered before either file is touched, and each is written to
 * a temporary file first and moved into place, so a malformed folder or a failure midway
 * leaves the previous report (and every result) as it was.
 */
public final class Reports {
    /** The report's file names in a results folder. */
    public static final String HTML = "report.html";
    public static final String MARKDOWN = "report.md";

    private Reports() {}

    /**
     * Reads {@code resultsDir} and writes its report.
     *
     * @return the path of {@code report.html}
     * @throws ResultsFormatException when a file of the folder is malformed (nothing is written)
     * @throws org.pxlab.runtime.config.ConfigurationException when {@code resultsDir} is not a folder
     */
    public static Path write(Path resultsDir) throws IOException {
        Document document = ReportDocument.build(ResultsFolder.read(resultsDir));
        String html = HtmlRenderer.render(document);
        String markdown = MarkdownRenderer.render(document);
        Path report = replace(resultsDir.resolve(HTML), html);
        replace(resultsDir.resolve(MARKDOWN), markdown);
        return report;
    }

    private static Path replace(Path target, String text) throws IOException {
        return org.pxlab.experiments.run.WholeFile.write(target, text, true);
    }
}
