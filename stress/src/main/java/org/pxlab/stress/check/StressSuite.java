package org.pxlab.stress.check;

import java.io.File;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import org.openjdk.jcstress.JCStress;
import org.openjdk.jcstress.Options;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.infra.Status;
import org.openjdk.jcstress.infra.collectors.DiskReadCollector;
import org.openjdk.jcstress.infra.collectors.InProcessCollector;
import org.openjdk.jcstress.infra.collectors.TestResult;
import org.openjdk.jcstress.infra.grading.GradingResult;
import org.openjdk.jcstress.infra.runners.TestConfig;
import org.openjdk.jcstress.infra.runners.TestList;
import org.openjdk.jcstress.vm.CompileMode;
import org.pxlab.stress.support.KnownUnsafeControl;

/**
 * Runs the jcstress suite and judges the run by {@link SuiteVerdict}'s rules: nothing
 * forbidden, no errors, every selected test ran, every known-unsafe control fired.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -Dpxlab.poison=true \
 *      -cp stress/target/jcstress.jar org.pxlab.stress.check.StressSuite [--min-tests N] [--summary FILE] [jcstress options]
 * </pre>
 *
 * <p>{@code --summary FILE} also writes the run as a {@link SummaryFile} (what {@code pxlab stress}
 * renders the safety matrix from). Every option but these two goes to jcstress unchanged ({@code -m sanity},
 * {@code -t REGEX}, {@code -time MS}, {@code -r DIR}, {@code -p RESULT_FILE} to judge an
 * earlier run without running anything...). jcstress 0.16 gives its forked VMs the
 * launching VM's own flags; the flags pxlab's tests need there
 * ({@code --enable-native-access=ALL-UNNAMED}, {@code -Dpxlab.poison=true} and assertions in
 * {@code org.pxlab}) are added with {@code -jvmArgsPrepend} when the launching VM lacks them.
 *
 * <p>Exit status: 0 if the run passed, 1 if it failed or is invalid, 2 for bad arguments.
 */
public final class StressSuite {
    private StressSuite() {}

    /**
     * The build's sanity settings (stress/pom.xml's {@code pxlab.stress.args}, stress/README.md
     * "Running it"): jcstress's sanity preset with 50 ms iterations and split compilation off.
     */
    public static final List<String> SANITY_SETTINGS = List.of("-m", "sanity", "-time", "50", "-strideSize", "256",
            "-strideCount", "40", "-sc", "false");

    /** Flags every forked VM needs. */
    public static final List<String> FORK_FLAGS = List.of("--enable-native-access=ALL-UNNAMED", "-Dpxlab.poison=true", "-ea:org.pxlab...");

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out));
    }

    /** Runs (or, with {@code -p}, re-reads) a jcstress run and judges it; returns the exit status. */
    public static int run(String[] args, PrintStream out) throws Exception {
        int minimumTests = 1;
        Path summary = null;
        List<String> jcstressArgs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--summary")) {
                if (i + 1 >= args.length) return usage(out, "--summary needs a file");
                summary = Path.of(args[++i]);
            } else if (args[i].equals("--min-tests")) {
                if (i + 1 >= args.length) return usage(out, "--min-tests needs a number");
                try {
                    minimumTests = Integer.parseInt(args[++i]);
                } catch (NumberFormatException e) {
                    return usage(out, "--min-tests needs a number, not " + args[i]);
                }
            } else {
                jcstressArgs.add(args[i]);
            }
        }
        out.printf("pxlab stress suite on Java %s (%s), %d CPUs%n", System.getProperty("java.version"),
                System.getProperty("java.home"), Runtime.getRuntime().availableProcessors());
        Options opts = new Options(withForkFlags(jcstressArgs).toArray(new String[0]));
        if (!opts.parse()) return 2;
        JCStress jcstress = new JCStress(opts);
        if (opts.shouldList()) {
            jcstress.getTests().forEach(out::println);
            return 0;
        }
        SortedSet<String> selected = jcstress.getTests();
        try {
            if (opts.shouldParse()) jcstress.parseResults();
            else jcstress.run();
        } catch (AssertionError e) {
            // jcstress's own verdict (forbidden outcomes, errors); ours below covers the same
            // ground and more, and reports it.
            out.println("jcstress reported failures; see the summary below.");
        }
        File results = new File(opts.getResultFile());
        List<TestSummary> summaries = results.isFile() ? summarize(results) : List.of();
        if (!results.isFile()) out.println("No jcstress result file at " + results.getAbsolutePath());
        SuiteVerdict verdict = new SuiteVerdict(summaries, selected, minimumTests);
        verdict.print(out);
        out.println("jcstress result file: " + results.getAbsolutePath());
        if (summary != null) {
            SummaryFile.write(summary, TestList.tests(), selected, summaries, verdict);
            out.println("summary for the safety matrix: " + summary.toAbsolutePath());
        }
        return verdict.passed() ? 0 : 1;
    }

    private static int usage(PrintStream out, String problem) {
        out.println("StressSuite: " + problem);
        out.println("usage: StressSuite [--min-tests N] [--summary FILE] [jcstress options, e.g. -m sanity -t REGEX]");
        return 2;
    }

    /** The arguments, with a {@code -jvmArgsPrepend} for the fork flags the launching VM lacks. */
    static List<String> withForkFlags(List<String> args) {
        List<String> own = ManagementFactory.getRuntimeMXBean().getInputArguments();
        List<String> missing = FORK_FLAGS.stream().filter(f -> !own.contains(f)).toList();
        if (missing.isEmpty()) return args;
        List<String> out = new ArrayList<>();
        List<String> prepend = new ArrayList<>(missing);
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("-jvmArgsPrepend") && i + 1 < args.size()) {
                prepend.add(args.get(++i));
            } else {
                out.add(args.get(i));
            }
        }
        out.add("-jvmArgsPrepend");
        out.add(String.join(" ", prepend));
        return out;
    }

    /** Reads a jcstress result file and sums it up per test. */
    static List<TestSummary> summarize(File resultFile) throws Exception {
        InProcessCollector collector = new InProcessCollector();
        DiskReadCollector reader = new DiskReadCollector(resultFile.getPath(), collector);
        try {
            reader.dump();
        } finally {
            reader.close();
        }
        Map<String, List<TestResult>> byTest = new LinkedHashMap<>();
        for (TestResult r : collector.getTestResults()) {
            byTest.computeIfAbsent(r.getName(), k -> new ArrayList<>()).add(r);
        }
        List<TestSummary> out = new ArrayList<>();
        for (Map.Entry<String, List<TestResult>> e : new java.util.TreeMap<>(byTest).entrySet()) {
            out.add(summarize(e.getKey(), e.getValue()));
        }
        return out;
    }

    private static TestSummary summarize(String test, List<TestResult> results) {
        Map<String, TestSummary.Outcome> outcomes = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        int configurations = 0;
        int firedIn = 0;
        for (TestResult r : results) {
            if (r.status() != Status.NORMAL) {
                if (r.status() != Status.API_MISMATCH) {
                    errors.add(r.status() + " in " + describe(r.getConfig()) + firstLines(r));
                }
                continue;
            }
            boolean fired = false;
            for (GradingResult g : r.grading().gradingResults.values()) {
                outcomes.merge(g.id, new TestSummary.Outcome(g.expect, g.count, g.description),
                        (a, b) -> new TestSummary.Outcome(a.expect(), a.count() + b.count(), a.description()));
                if (g.expect == Expect.ACCEPTABLE_INTERESTING && g.count > 0) fired = true;
            }
            if (r.getTotalCount() > 0) configurations++;
            if (fired) firedIn++;
        }
        return new TestSummary(test, controlOf(test), outcomes, configurations, firedIn, errors);
    }

    /** The hazard of a known-unsafe control, or {@code null}; reads the annotation without initialising the class. */
    static String controlOf(String test) {
        try {
            Class<?> c = Class.forName(test, false, StressSuite.class.getClassLoader());
            KnownUnsafeControl k = c.getAnnotation(KnownUnsafeControl.class);
            return k == null ? null : k.hazard();
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    private static String describe(TestConfig c) {
        if (c == null) return "an unknown configuration";
        String mode = CompileMode.description(c.getCompileMode(), c.actorNames).trim().replaceAll("\\s*\\R\\s*", "; ");
        return "configuration " + c.jvmArgs + ", compilation " + mode;
    }

    private static String firstLines(TestResult r) {
        List<String> lines = new ArrayList<>(r.getMessages());
        lines.addAll(r.getVmErr());
        if (lines.isEmpty()) return "";
        return ": " + String.join(" | ", lines.subList(0, Math.min(3, lines.size())));
    }
}
