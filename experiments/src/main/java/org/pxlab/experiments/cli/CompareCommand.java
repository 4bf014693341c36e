package org.pxlab.experiments.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.pxlab.experiments.report.FolderComparison;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code pxlab compare A B}: two results folders side by side. For every throughput point in
 * both: B / A with its 95% interval and a verdict from Welch's t-test on the forks' means (see
 * {@link FolderComparison}). Prints Markdown; with {@code --out DIR} also writes
 * {@code compare.html} and {@code compare.md} there, never over existing files.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Compares the throughputs of two results folders: B / A, its 95%% interval, and a verdict",
                "(faster, slower, no significant difference) from Welch's t-test on the forks' means."})
final class CompareCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "A", description = "The results folder compared against (the baseline).")
    private Path a;

    @Parameters(index = "1", paramLabel = "B", description = "The results folder compared.")
    private Path b;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Also write compare.html and compare.md into DIR (made if missing; existing files are never replaced).")
    private Path out;

    @Override
    public void run() {
        try {
            FolderComparison comparison = FolderComparison.of(a, b);
            if (out != null) comparison.writeTo(out);
            PrintWriter stdout = spec.commandLine().getOut();
            stdout.print(comparison.markdown());
            if (out != null) stdout.println("\nwritten: " + out.resolve(FolderComparison.HTML) + ", " + out.resolve(FolderComparison.MARKDOWN));
            stdout.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
