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
        assertThat(rows.get(0)).matches("\\s+1\\s+\\d+\\s+1\\.00\\s+one core\\s+\\d+\\s+[+-]\\d+\\.\\d%");
        assertThat(rows.get(1)).matches("\\s+2\\s+\\d+\\s+\\d+\\.\\d\\d\\s+.*\\d+\\s+[+-]\\d+\\.\\d%");
        assertThat(rows.get(2)).matches("\\s+4\\s+\\d+\\s+\\d+\\.\\d\\d\\s+.*-\\s+-");
        assertThat(run.out()).contains("model output");
    }

    static Stream<Arguments> badInputs() {
        return Stream.of(
                Arguments.of(new String[] {"project", "gil", "json", "--cores", "0"}, "--cores: '0' is not allowed"),
                Arguments.of(new String[] {"project", "nogil", "json"}, "configuration: 'nogil' is not allowed"),
                Arguments.of(new String[] {"project", "gil", "jsn"}, "'jsn' is not allowed"),
                Arguments.of(new String[] {"project", "gil", "json", "--requests", "0"}, "--requests: '0' is not allowed"));
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
