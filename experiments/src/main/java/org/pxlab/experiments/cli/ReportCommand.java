package org.pxlab.experiments.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.pxlab.experiments.report.Reports;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code pxlab report DIR}: regenerates a results folder's {@code report.html} and
 * {@code report.md} from what the folder holds. Replaces those two files only; a malformed
 * results file is named (file, line, field) and nothing is written.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Regenerates DIR/report.html and DIR/report.md from the results folder DIR.",
                "Only those two files are replaced; results are never touched."})
final class ReportCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "A results folder written by pxlab run.")
    private Path dir;

    @Override
    public void run() {
        try {
            Path report = Reports.write(dir);
            spec.commandLine().getOut().println("report: " + report);
            spec.commandLine().getOut().flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
