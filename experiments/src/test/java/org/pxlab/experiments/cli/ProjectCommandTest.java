package org.pxlab.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.pxlab.experiments.projection.Calibration;
import org.pxlab.experiments.run.Outcome;
import org.pxlab.experiments.run.ProjectionKind;
import org.pxlab.experiments.run.ProjectionRow;
import org.pxlab.experiments.run.ProjectionTable;
import org.pxlab.experiments.run.ResultRow;
import org.pxlab.experiments.run.ResultsFolder;
import org.pxlab.experiments.suite.Measurement;
import org.pxlab.experiments.suite.Suite;
import org.pxlab.experiments.suite.SuiteParser;
import org.pxlab.experiments.workload.Workloads;
import org.pxlab.runtime.config.ComponentRegistry;

/** {@code pxlab project}: the table with measured-vs-predicted errors, and bad input refused before any work. */
class ProjectCommandTest {
    @TempDir
    Path tmp;

    private Path calibration() throws IOException {
        Path file = tmp.resolve("cal.properties");
        new Calibration(20, 5, 60, 60, 15, "test", "test").saveNew(file);
        return file;
    }

    @Test
    void printsPredictionsWithTheErrorBesideEachMeasuredCoreCount() throws IOException {
        Path cal = calibration();
        CliRun run = CliRun.of("project", "fine-grained", "json", "--cores", "1,2,4", "--requests", "50", "--measure", "100ms",
                "--calibration", cal.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        List<String> rows = run.out().lines().filter(l -> l.matches("\\s+\\d+\\s.*")).toList();
        assertThat(rows).hasSize(3);
        assertThat(rows.get(0)).matches("\\s+1\\s+\\d+\\s+1\\.00\\s+one core\\s+\\d+\\s+-\\s+native\\s+[+-]\\d+\\.\\d%");
        assertThat(rows.get(1)).matches("\\s+2\\s+\\d+\\s+\\d+\\.\\d\\d\\s+.*\\d+\\s+-\\s+native\\s+[+-]\\d+\\.\\d%");
        assertThat(rows.get(2)).matches("\\s+4\\s+\\d+\\s+\\d+\\.\\d\\d\\s+.*-\\s+-\\s+-\\s+-");
        assertThat(run.out()).contains("model output");
    }

    /**
     * A run's folder: gil x hot-shared-object measured by JMH on 1 worker; its 2-worker
     * measurement was cut short, so its row must not be used.
     */
    private Path runFolder() throws IOException {
        Suite suite = new SuiteParser(ComponentRegistry.load(), Workloads.load()).parse(
                "suite: ran\nconfigurations: [gil]\nworkloads: [hot-shared-object]\nthreads: [1, 2]\nthroughput: {}\n", "ran");
        Path dir = tmp.resolve("run");
        ResultsFolder folder = ResultsFolder.create(dir, suite);
        List<Measurement> ms = suite.measurements();
        folder.record(ms.get(0), Outcome.of(List.of(new ResultRow("throughput", 12345, 67, "requests/s"))), null, 1);
        // Killed while recording the 2-worker measurement: its row is there, its progress line is not.
        Files.writeString(dir.resolve("results.csv"), ms.get(1).id() + ",throughput,gil,hot-shared-object,,2,throughput,99999,1,requests/s\n",
                java.nio.file.StandardOpenOption.APPEND);
        return dir;
    }

    @Test
    void theSuiteFormProjectsARunsFolderWithItsJmhFiguresAndNeverOverwritesItsProjection() throws IOException {
        Path cal = calibration();
        Path dir = runFolder();
        List<String> untouched = List.of("suite.json", "results.csv", "progress.jsonl", "environment.json");
        List<String> before = untouched.stream().map(f -> read(dir.resolve(f))).toList();

        CliRun run = CliRun.of("project", "--results", dir.toString(), "--cores", "1,2,4", "--requests", "50", "--measure", "100ms",
                "--calibration", cal.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        List<ProjectionTable.Projected> table = ProjectionTable.read(dir.resolve("projection.csv"));
        assertThat(table).hasSize(1);
        ProjectionTable.Projected p = table.getFirst();
        assertThat(p.id()).isEqualTo("projection-gil-hot-shared-object");
        List<ProjectionRow> rows = p.rows();
        assertThat(rows).extracting(ProjectionRow::cores).containsExactly(1, 2, 4);
        ProjectionRow one = rows.get(0), two = rows.get(1), four = rows.get(2);
        assertThat(one.measuredSource()).isEqualTo("jmh");
        assertThat(one.measured()).isEqualTo(12345);
        assertThat(one.measuredError()).isEqualTo(67);
        assertThat(one.errorPercent()).isCloseTo(100 * (one.predicted() - 12345) / 12345, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(two.measuredSource()).as("the 2-worker JMH measurement did not finish").isEqualTo("native");
        assertThat(two.measured()).isPositive().isNotEqualTo(99999);
        assertThat(two.measuredError()).isNaN();
        assertThat(four.measuredSource()).isEmpty();
        assertThat(four.measured()).isNaN();
        assertThat(one.predicted()).isPositive();
        assertThat(run.out()).contains("gil x hot-shared-object: predicted by the projection model (model output)")
                .containsPattern("\\s+1\\s+\\d+\\s+1\\.00\\s+one core\\s+12345\\s+67\\s+jmh\\s+[+-]\\d+\\.\\d%")
                .contains("report: " + dir.resolve("report.html"));
        assertThat(Files.readString(dir.resolve("report.html"))).contains("Projection to more cores (model output)");
        assertThat(Files.readAllBytes(dir.resolve(ProjectionKind.CALIBRATION_COPY))).isEqualTo(Files.readAllBytes(cal));
        assertThat(untouched.stream().map(f -> read(dir.resolve(f))).toList()).isEqualTo(before);

        byte[] projected = Files.readAllBytes(dir.resolve("projection.csv"));
        CliRun again = CliRun.of("project", "--results", dir.toString(), "--cores", "1", "--calibration", cal.toString());
        assertThat(again.exitCode()).as(again.toString()).isEqualTo(2);
        assertThat(again.err()).contains("--results").contains("without projection.csv").doesNotContain("\tat ");
        assertThat(Files.readAllBytes(dir.resolve("projection.csv"))).isEqualTo(projected);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Stream<Arguments> badInputs() {
        return Stream.of(
                Arguments.of(new String[] {"project", "gil", "json", "--cores", "0"}, "--cores: '0' is not allowed"),
                Arguments.of(new String[] {"project", "nogil", "json"}, "configuration: 'nogil' is not allowed"),
                Arguments.of(new String[] {"project", "gil", "jsn"}, "'jsn' is not allowed"),
                Arguments.of(new String[] {"project", "gil", "json", "--requests", "0"}, "--requests: '0' is not allowed"),
                Arguments.of(new String[] {"project", "gil"}, "'gil' is not allowed; expected a built-in suite [quick,"),
                Arguments.of(new String[] {"project"}, "expected a built-in suite [quick,"),
                Arguments.of(new String[] {"project", "gil", "json", "--results", "x"}, "--results: 'x' is not allowed"),
                Arguments.of(new String[] {"project", "quick", "--results", "no-such-folder"}, "--results: 'no-such-folder' is not allowed"),
                Arguments.of(new String[] {"project", "quick", "-o", "size=3"}, "--option"));
    }

    @ParameterizedTest
    @MethodSource("badInputs")
    void badInputIsRefusedWithExit2AndNoCalibrationWritten(String[] args, String message) {
        Path cal = tmp.resolve("never.properties");
        String[] withCal = Stream.concat(Stream.of(args), Stream.of("--calibration", cal.toString())).toArray(String[]::new);
        CliRun run = CliRun.of(withCal);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains(message).doesNotContain("\tat ");
        assertThat(cal).doesNotExist();
    }

    @Test
    void aMalformedCalibrationIsRefusedNamingTheField() throws IOException {
        Path cal = Files.writeString(tmp.resolve("bad.properties"), "access-ns=12\natomic-ns=quick\n");
        CliRun run = CliRun.of("project", "gil", "json", "--cores", "1", "--calibration", cal.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("atomic-ns").contains("quick");
        assertThat(Files.readString(cal)).isEqualTo("access-ns=12\natomic-ns=quick\n");
    }
}
