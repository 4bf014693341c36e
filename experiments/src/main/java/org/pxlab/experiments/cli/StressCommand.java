package org.pxlab.experiments.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.pxlab.experiments.stress.SafetyMatrixRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code pxlab stress}: runs the jcstress suite ({@code stress/target/jcstress.jar}) and writes
 * the safety matrix, configuration x hazard, as stress.csv and stress.md
 * ({@link SafetyMatrixRun}). Exit status 0 if the run passed every rule, 1 if a test did not
 * run, a forbidden outcome appeared or a control did not fire (the run is then invalid, not
 * safe), 2 for bad arguments or a missing jar.
 */
@Command(name = "stress", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs the jcstress suite and writes the safety matrix (stress.csv, stress.md).",
                "Fails (exit 1) if any selected test did not run, any forbidden outcome appeared or any control did not fire."})
final class StressCommand implements Callable<Integer> {
    @ParentCommand
    private PxlabCommand pxlab;

    @Spec
    private CommandSpec spec;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "sanity",
            description = "sanity (the build's: 50 ms iterations, about 2 minutes), quick or default (default: ${DEFAULT-VALUE}).")
    private String mode;

    @Option(names = "--only", paramLabel = "REGEX", description = "Run only the tests whose class name matches (jcstress's -t).")
    private String only;

    @Option(names = "--configuration", paramLabel = "NAME",
            description = "A configuration row of the matrix; repeat for several (default: every configuration in the registry).")
    private List<String> configurations = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR",
            description = "The output folder; must not hold an earlier matrix (default: stress-YYYYMMDD-HHMMSS here).")
    private Path out;

    @Override
    public Integer call() throws InterruptedException {
        Path dir = out != null ? out
                : Path.of("stress-" + ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        SafetyMatrixRun.Result r;
        try {
            r = SafetyMatrixRun.run(mode, Optional.ofNullable(only), configurations, dir, SafetyMatrixRun.locateJar(),
                    pxlab.registry(), System.out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PrintWriter w = spec.commandLine().getOut();
        w.printf("pxlab stress: %d of %d selected tests ran%n", r.testsRun(), r.testsSelected());
        if (r.csv() != null) w.printf("safety matrix: %s, %s%n", r.csv(), r.markdown());
        if (r.passed()) {
            w.println("the run is valid: no forbidden outcome, every selected test ran, every control fired");
        } else {
            w.println("the run FAILED or is INVALID (not evidence of safety):");
            r.invalidReasons().forEach(reason -> w.println("  - " + reason));
        }
        w.flush();
        return r.passed() ? 0 : 1;
    }
}
