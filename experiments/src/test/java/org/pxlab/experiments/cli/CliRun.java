package org.pxlab.experiments.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import org.pxlab.runtime.config.ComponentRegistry;
import picocli.CommandLine;

/**
 * One in-process run of the command line as {@code pxlab.jar} runs it, with stdout and stderr
 * captured. The registry comes from the test class path, which adds the
 * {@code fixtures} components and configurations to the real ones.
 *
 * @param exitCode what {@code main} would exit with
 * @param out      everything printed on stdout
 * @param err      everything printed on stderr
 */
public record CliRun(int exitCode, String out, String err) {

    public static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = PxlabCommand.commandLine(ComponentRegistry::load);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    public List<String> outLines() {
        return Arrays.asList(out.split("\\R"));
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
    }
}
