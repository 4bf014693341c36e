package org.pxlab.experiments.stress;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.pxlab.runtime.config.ComponentRegistry;
import org.pxlab.runtime.config.ConfigurationDeclaration;
import org.pxlab.runtime.config.ConfigurationException;

/**
 * Runs the jcstress suite and writes the safety matrix: {@code stress.csv} (RESULTS_FOLDER.md's
 * columns) and {@code stress.md} in an output folder, with jcstress's own files under
 * {@code jcstress/} there (its console output in {@code console.log}, its reports in
 * {@code results/}, the runner's summary in {@code summary.tsv}).
 *
 * <p>The suite runs as the build runs it: the shaded {@code stress/target/jcstress.jar} in a
 * JVM of its own (this JVM's Java), through {@code org.pxlab.stress.check.StressSuite}, which
 * applies the suite's rules (nothing forbidden, no errors, every selected test ran, every
 * control fired) and writes the summary the matrix is rendered from. A run that breaks a rule
 * still gets its matrix, headed FAILED or INVALID, and its {@link Result} lists why.
 */
public final class SafetyMatrixRun {
    private SafetyMatrixRun() {}

    /** The modes: jcstress's presets, sanity with the build's settings (stress/pom.xml's pxlab.stress.args). */
    public static final List<String> MODES = List.of("sanity", "quick", "default");

    /** Where the jar is looked for under the repository, and how to build it. */
    static final String JAR = "stress/target/jcstress.jar";
    static final String BUILD = "./mvnw -B -pl stress -am package -DskipTests";

    /**
     * What a run produced.
     *
     * @param testsRun       tests that produced samples
     * @param testsSelected  tests the run selected (all of them, or those --only matched)
     * @param invalidReasons why the run failed or is invalid; empty if it passed every rule
     * @param csv            stress.csv, or {@code null} if the run wrote no summary to render
     * @param markdown       stress.md, or {@code null} likewise
     */
    public record Result(int testsRun, int testsSelected, List<String> invalidReasons, Path csv, Path markdown) {
        public Result {
            invalidReasons = List.copyOf(invalidReasons);
        }

        /** Whether the run passed: every selected test ran, nothing forbidden, every control fired. */
        public boolean passed() {
            return invalidReasons.isEmpty();
        }
    }

    /**
     * Runs the suite with the jar found beside this class's repository, the registry on the class
     * path, and jcstress's console output copied to {@code System.out}.
     *
     * @param mode           sanity, quick or default
     * @param only           a regular expression selecting tests by class name (jcstress's {@code -t}), or empty for all
     * @param configurations the matrix's configuration rows; empty for every configuration in the registry
     * @param out            the output folder; made if missing; must not already hold stress.csv, stress.md or jcstress/
     */
    public static Result run(String mode, Optional<String> only, List<String> configurations, Path out)
            throws IOException, InterruptedException {
        return run(mode, only, configurations, out, locateJar(), ComponentRegistry.load(), System.out);
    }

    /** {@link #run(String, Optional, List, Path)} with an explicit jar, registry and console ({@code null}: quiet). */
    public static Result run(String mode, Optional<String> only, List<String> configurations, Path out, Path jar,
                             ComponentRegistry registry, PrintStream console) throws IOException, InterruptedException {
        if (!MODES.contains(mode)) throw new ConfigurationException("mode", mode, "one of " + String.join(", ", MODES));
        only.ifPresent(SafetyMatrixRun::checkRegex);
        List<String> rows = rows(registry, configurations);
        if (!Files.isRegularFile(jar)) {
            throw new ConfigurationException("stress jar", jar.toString(), "the shaded jcstress suite; build it with `" + BUILD + "`");
        }
        Path csv = out.resolve("stress.csv");
        Path md = out.resolve("stress.md");
        Path work = out.resolve("jcstress");
        for (Path p : List.of(csv, md, work)) {
            if (Files.exists(p)) {
                throw new ConfigurationException("out", out.toString(),
                        "a folder without stress.csv, stress.md or jcstress/ (" + p.getFileName() + " exists; results are never overwritten)");
            }
        }
        Files.createDirectories(work);
        Path summaryFile = work.resolve("summary.tsv");
        int exit = launch(command(jar, mode, only, summaryFile, work), work, console);
        if (!Files.isRegularFile(summaryFile)) {
            return new Result(0, 0, List.of("the stress run exited with status " + exit + " and wrote no summary; see "
                    + work.resolve("console.log")), null, null);
        }
        StressSummary summary = StressSummary.read(summaryFile);
        SafetyMatrix matrix = new SafetyMatrix(summary, rows);
        List<String> reasons = new ArrayList<>(summary.failures());
        if (reasons.isEmpty() && (exit != 0 || !summary.passed())) {
            reasons.add("the stress run exited with status " + exit + " (" + summary.verdict() + "); see " + work.resolve("console.log"));
        }
        writeNew(csv, matrix.csv());
        writeNew(md, matrix.markdown("Safety matrix (jcstress, mode " + mode + only.map(r -> ", tests matching " + r).orElse("") + ")"));
        return new Result(summary.testsRan(), summary.selected(), reasons, csv, md);
    }

    /** The matrix's rows: the configurations asked for, each known to the registry; all of them if none. */
    static List<String> rows(ComponentRegistry registry, List<String> configurations) {
        List<String> known = registry.configurations().stream().map(ConfigurationDeclaration::name).toList();
        if (configurations.isEmpty()) return known;
        for (String c : configurations) {
            if (!known.contains(c)) throw new ConfigurationException("configuration", c, "one of " + String.join(", ", known));
        }
        return List.copyOf(configurations);
    }

    private static void checkRegex(String regex) {
        try {
            Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new ConfigurationException("only", regex, "a Java regular expression (" + e.getDescription() + ")");
        }
    }

    /** The suite's command line: this JVM's java, the flags the tests need, StressSuite and jcstress's options. */
    static List<String> command(Path jar, String mode, Optional<String> only, Path summary, Path work) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Dpxlab.poison=true", "-ea:org.pxlab...",
                "-cp", jar.toAbsolutePath().toString(), "org.pxlab.stress.check.StressSuite",
                "--summary", summary.toAbsolutePath().toString(), "-m", mode));
        // The build's sanity settings (stress/README.md, "Running it"): the bare preset's few samples per
        // configuration cannot show a control's hazard reliably.
        if (mode.equals("sanity")) cmd.addAll(List.of("-time", "50", "-strideSize", "256", "-strideCount", "40", "-sc", "false"));
        cmd.addAll(List.of("-r", work.resolve("results").toAbsolutePath().toString()));
        only.ifPresent(r -> cmd.addAll(List.of("-t", r)));
        return cmd;
    }

    private static int launch(List<String> command, Path work, PrintStream console) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true).start();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             Writer log = Files.newBufferedWriter(work.resolve("console.log"), StandardCharsets.UTF_8)) {
            for (String line; (line = in.readLine()) != null; ) {
                log.write(line);
                log.write('\n');
                if (console != null) console.println(line);
            }
        } finally {
            if (p.isAlive()) p.destroy();
        }
        return p.waitFor();
    }

    /** Writes a file that must not exist yet, whole or not at all: a temporary file moved into place. */
    private static void writeNew(Path file, String content) throws IOException {
        org.pxlab.experiments.run.WholeFile.write(file, content, false);
    }

    /**
     * stress/target/jcstress.jar of the repository this class was loaded from
     * ({@code experiments/target/pxlab.jar} or {@code experiments/target/classes}), as ./pxlab finds
     * its own jar; {@code -Dpxlab.stress.jar=PATH} overrides it.
     */
    public static Path locateJar() {
        String override = System.getProperty("pxlab.stress.jar");
        if (override != null) return Path.of(override);
        Path here;
        try {
            here = Path.of(SafetyMatrixRun.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            here = Path.of("").toAbsolutePath();
        }
        for (Path p = here; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("stress/pom.xml"))) return p.resolve(JAR);
        }
        throw new ConfigurationException("stress jar", here.toString(),
                "pxlab run from its repository (no stress/pom.xml above this jar), or -Dpxlab.stress.jar=PATH");
    }
}
