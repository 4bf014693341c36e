package org.pxlab.experiments.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.pxlab.experiments.report.Reports;
import org.pxlab.experiments.run.ResultsFolder;
import org.pxlab.experiments.run.SuiteRunner;
import org.pxlab.experiments.suite.BuiltInSuites;
import org.pxlab.experiments.suite.Measurement;
import org.pxlab.experiments.suite.Suite;
import org.pxlab.experiments.suite.SuiteParser;
import org.pxlab.experiments.workload.Workloads;
import org.pxlab.runtime.config.ComponentRegistry;
import org.pxlab.runtime.config.ConfigurationException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code pxlab run [SUITE|FILE] [--out DIR] [--resume DIR] [--only PATTERN]}: the main job.
 * Checks the whole suite before anything is written, makes the results folder (never onto
 * results already there), runs every measurement with a progress display, records each as it
 * ends, writes the report and prints its path. Exit status 0 when every measurement
 * succeeded, 1 when any failed (the others are recorded all the same), 2 for a bad suite or
 * argument.
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs an experiment suite (default: quick) into a results folder and writes its report.",
                "Built-in suites: quick, headline, allocators, full; or a suite file (YAML)."})
final class RunCommand implements Callable<Integer> {
    @ParentCommand
    private PxlabCommand pxlab;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SUITE|FILE",
            description = "A built-in suite or a suite file (default: quick; none with --resume).")
    private String suite;

    @Option(names = "--out", paramLabel = "DIR",
            description = "The results folder, new or empty (default: results/SUITE-TIMESTAMP).")
    private Path out;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Finish the run in DIR: only the measurements it has not recorded.")
    private Path resume;

    @Option(names = "--only", paramLabel = "PATTERN",
            description = "Run only the measurements whose id matches this glob (* and ?), e.g. 'throughput-gil-*'.")
    private String only;

    @Override
    public Integer call() throws IOException {
        PrintWriter o = spec.commandLine().getOut();
        ComponentRegistry registry = pxlab.registry();
        Workloads workloads = Workloads.load();
        Predicate<String> filter = only == null ? id -> true : glob(only);
        ResultsFolder folder;
        if (resume != null) {
            if (suite != null) throw new ConfigurationException("SUITE", suite, "nothing with --resume (the folder's suite.json says what to run)");
            if (out != null) throw new ConfigurationException("--out", out.toString(), "nothing with --resume (results go to the resumed folder)");
            folder = ResultsFolder.resume(resume);
        } else {
            String name = suite == null ? BuiltInSuites.NAMES.getFirst() : suite;
            Suite parsed = new SuiteParser(registry, workloads).parse(BuiltInSuites.textOf(name), name);
            checkOnly(parsed.measurements(), filter);
            Path dir = out != null ? out : defaultFolder(parsed.name());
            folder = ResultsFolder.create(dir, parsed);
        }
        List<Measurement> todo = SuiteRunner.pending(folder, filter);
        if (resume != null && only != null && todo.isEmpty()) checkOnly(folder.suite().measurements(), filter);
        o.printf("pxlab run: suite %s (%s), %d measurement%s to run of %d, results in %s%n", folder.suite().name(),
                folder.suite().source(), todo.size(), todo.size() == 1 ? "" : "s", folder.suite().measurements().size(),
                folder.dir());
        o.flush();
        var console = System.console();
        // A redrawn bar only on a terminal; piped or captured output gets plain lines.
        boolean terminal = console != null && console.isTerminal();
        int failed = new SuiteRunner(registry, workloads).run(folder, todo, o, terminal);
        Path report = Reports.write(folder.dir());
        long failedInAll = folder.failed();
        o.printf("%d of %d measurements ok%s%n", folder.finished().size() - failedInAll, folder.suite().measurements().size(),
                failedInAll > 0 ? ", " + failedInAll + " failed (causes in " + folder.dir().resolve("progress.jsonl") + ")" : "");
        o.println("report: " + report);
        o.flush();
        return failed > 0 || failedInAll > 0 ? 1 : 0;
    }

    /** A new results folder's default path: {@code results/SUITE-yyyyMMdd-HHmmss}. */
    static Path defaultFolder(String suite) {
        return Path.of("results", suite + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }

    private void checkOnly(List<Measurement> all, Predicate<String> filter) {
        if (only != null && all.stream().noneMatch(m -> filter.test(m.id()))) {
            throw new ConfigurationException("--only", only, "a glob matching at least one measurement id, such as "
                    + all.getFirst().id());
        }
    }

    /** A glob over ids: {@code *} any characters, {@code ?} one; everything else literal. */
    static Predicate<String> glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            regex.append(switch (c) {
                case '*' -> ".*";
                case '?' -> ".";
                default -> Pattern.quote(String.valueOf(c));
            });
        }
        Pattern p = Pattern.compile(regex.toString());
        return id -> p.matcher(id).matches();
    }
}
