package org.pxlab.experiments.notebooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.HdrHistogram.HistogramLogProcessor;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The analysis notebooks in {@code notebooks/}: stored without outputs, and each one executed by
 * nbconvert against the checked-in sample results folder with every cell passing and at least
 * one figure drawn; and the unit tests of their shared module, {@code notebooks/test_pxlab_results.py}
 * (scaling efficiency, ratios, and HdrHistogram's conversion of the sample's logs against the
 * percentiles {@code results.csv} reports).
 *
 * <p>Where Jupyter is missing (see {@link NotebookPython}) or the sample is not there, the executing
 * tests are skipped with a message saying how to install it or where the sample goes, unless
 * {@code PXLAB_NOTEBOOKS_REQUIRED} is set (.ci/run sets it after installing the packages), which
 * turns the skip into a failure. A JUnit test rather than a Maven profile: it runs in the one
 * surefire step every build has, can check its own failure detection ({@link #aCellErrorFailsTheRun}),
 * and the skip is one assumption with its reason.
 */
class NotebooksTest {
    /** The notebooks the project promises; more may sit beside them. */
    private static final List<String> PROMISED = List.of("scaling.ipynb", "latency.ipynb", "footprint.ipynb", "compare.ipynb");

    private static final Path ROOT = Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
            .toAbsolutePath().getParent();
    private static final Path NOTEBOOKS = ROOT.resolve("notebooks");
    private static final Path SAMPLE = NOTEBOOKS.resolve("sample-results");
    private static final Path OUTPUT = ROOT.resolve("experiments/target/notebooks");

    private static final NotebookPython NOTEBOOK_PYTHON = NotebookPython.fromEnvironment();
    private static Optional<String> unavailable;

    @BeforeAll
    static void findJupyter() {
        unavailable = NOTEBOOK_PYTHON.unavailable();
        // Surefire's summary counts a skip but does not say why: say it once here.
        if (System.getenv("PXLAB_NOTEBOOKS_REQUIRED") == null) {
            unavailable.or(NotebooksTest::sampleMissing)
                    .ifPresent(reason -> System.err.println("NotebooksTest: skipping the notebook runs: " + reason));
        }
    }

    static Stream<Path> notebooks() throws IOException {
        try (Stream<Path> files = Files.list(NOTEBOOKS)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".ipynb")).sorted().toList().stream();
        }
    }

    @Test
    void everyPromisedNotebookIsThere() throws IOException {
        assertThat(notebooks().map(p -> p.getFileName().toString())).containsAll(PROMISED);
    }

    @ParameterizedTest
    @MethodSource("notebooks")
    void isStoredWithoutOutputs(Path notebook) throws IOException {
        assertThat(StoredNotebook.leftovers(Files.readString(notebook, StandardCharsets.UTF_8)))
                .as("%s must be stored without outputs (clear them: Kernel > Restart & Clear Output, or "
                        + "jupyter nbconvert --clear-output --inplace)", notebook).isEmpty();
    }

    @Test
    void anExecutedNotebookIsNotClean() throws IOException {
        String executed = resource("with-outputs.ipynb");
        assertThat(StoredNotebook.leftovers(executed)).hasSize(2)
                .anySatisfy(l -> assertThat(l).startsWith("cell outputs"))
                .anySatisfy(l -> assertThat(l).startsWith("execution_count 1"));
        assertThat(StoredNotebook.leftovers(resource("cell-error.ipynb"))).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("notebooks")
    void runsOnTheSampleAndDrawsFigures(Path notebook) throws IOException {
        require(unavailable);
        require(sampleMissing());

        NotebookPython.Run run = NOTEBOOK_PYTHON.execute(notebook, OUTPUT, notebookEnvironment());

        assertThat(run.exitCode()).as("%s", run).isZero();
        String executed = Files.readString(run.executed(), StandardCharsets.UTF_8);
        assertThat(executed).as("%s draws a figure", notebook).contains("\"image/png\"");
        assertThat(executed).as("%s reads the sample", notebook).contains(SAMPLE.toRealPath().toString());
    }

    @Test
    void theNotebooksModulePassesItsTests() throws IOException {
        require(unavailable);
        require(sampleMissing());

        NotebookPython.Run run = NOTEBOOK_PYTHON.unitTests(NOTEBOOKS, "test_pxlab_results", OUTPUT, notebookEnvironment());

        assertThat(run.exitCode()).as("%s", run).isZero();
        assertThat(run.log()).containsPattern("Ran [1-9][0-9]* tests").contains("OK");
    }

    @Test
    void aCellErrorFailsTheRun() throws IOException {
        require(unavailable);
        Path broken = OUTPUT.resolve("broken/cell-error.ipynb");
        Files.createDirectories(broken.getParent());
        Files.writeString(broken, resource("cell-error.ipynb"), StandardCharsets.UTF_8);
        Path output = OUTPUT.resolve("broken/executed");

        NotebookPython.Run run = NOTEBOOK_PYTHON.execute(broken, output, notebookEnvironment());

        assertThat(run.exitCode()).as("%s", run).isNotZero();
        assertThat(run.log()).contains("ValueError").contains("a deliberately broken cell");
        // The cell after the failing one never ran, and no executed copy claims success.
        assertThat(run.log()).doesNotContain("the cell after the error ran");
        assertThat(run.executed()).doesNotExist();
    }

    @Test
    void aFolderThatIsNotAResultsFolderStopsWithWhatIsWrong() throws IOException {
        require(unavailable);
        Path notebook = NOTEBOOKS.resolve("scaling.ipynb");
        Path empty = Files.createDirectories(OUTPUT.resolve("bad-input/empty"));
        Map<String, String> environment = notebookEnvironment();
        environment.put("PXLAB_RESULTS", empty.toString());

        NotebookPython.Run noFiles = NOTEBOOK_PYTHON.execute(notebook, OUTPUT.resolve("bad-input/out-empty"), environment);

        assertThat(noFiles.exitCode()).as("%s", noFiles).isNotZero();
        assertThat(noFiles.log()).contains("ResultsFolderError").contains("$PXLAB_RESULTS=" + empty)
                .contains("has no environment.json");

        Path renamed = Files.createDirectories(OUTPUT.resolve("bad-input/renamed-column"));
        Files.writeString(renamed.resolve("environment.json"), "{}");
        Files.writeString(renamed.resolve("results.csv"),
                "id,kind,configuration,workload,params,threads,metric,score,error,unit\n");
        environment.put("PXLAB_RESULTS", renamed.toString());

        NotebookPython.Run badHeader = NOTEBOOK_PYTHON.execute(notebook, OUTPUT.resolve("bad-input/out-renamed"), environment);

        assertThat(badHeader.exitCode()).as("%s", badHeader).isNotZero();
        assertThat(badHeader.log()).contains("ResultsFolderError").contains("lacks ['value']")
                .contains("id,kind,configuration,workload,params,threads,metric,value,error,unit");
    }

    /**
     * The sample as PXLAB_RESULTS (compare then compares it with itself, or with
     * sample-results-b), and the JVM and HdrHistogram jar of this test run for the latency
     * notebook's HistogramLogProcessor: the one Maven resolved, whatever is on the user's PATH.
     */
    private static Map<String, String> notebookEnvironment() {
        Map<String, String> environment = new HashMap<>();
        environment.put("PXLAB_RESULTS", SAMPLE.toString());
        environment.put("PXLAB_RESULTS_B", null);
        environment.put("PXLAB_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        environment.put("PXLAB_HDRHISTOGRAM_JAR", jarOf(HistogramLogProcessor.class));
        return environment;
    }

    private static String jarOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Why the notebooks cannot run on the sample: it is not there (a checkout without it, or a lead yet to add it). */
    private static Optional<String> sampleMissing() {
        for (String name : List.of("environment.json", "results.csv")) {
            if (!Files.isRegularFile(SAMPLE.resolve(name))) {
                return Optional.of("the sample results folder " + SAMPLE + " has no " + name
                        + "; copy a `./pxlab run quick --out DIR` folder there");
            }
        }
        return Optional.empty();
    }

    /** Skips the test for `reason`, or fails it when PXLAB_NOTEBOOKS_REQUIRED says the notebooks must run (CI). */
    private static void require(Optional<String> reason) {
        if (reason.isPresent() && System.getenv("PXLAB_NOTEBOOKS_REQUIRED") != null) {
            Assertions.fail("PXLAB_NOTEBOOKS_REQUIRED is set but " + reason.get());
        }
        Assumptions.assumeTrue(reason.isEmpty(), reason::get);
    }

    private static String resource(String name) throws IOException {
        try (var in = NotebooksTest.class.getResourceAsStream("/notebooks/" + name)) {
            assertThat(in).as("test resource notebooks/%s", name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
