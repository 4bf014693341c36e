package org.pxlab.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pxlab.experiments.projection.Calibration;

/** {@code pxlab project --out-of-sample}: one row per published figure with its verdict; its input refused as the others. */
class ProjectOutOfSampleTest {
    @TempDir
    Path tmp;

    @Test
    void printsEachPublishedFigureBesideItsPrediction() throws IOException {
        Path cal = tmp.resolve("cal.properties");
        new Calibration(2, 2, 6, 6, 3, "test", "test machine").saveNew(cal);
        CliRun run = CliRun.of("project", "--out-of-sample", "--requests", "60", "--calibration", cal.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("line transfer 40.8 ns").contains("not fitted").contains("model output");
        List<String> rows = run.out().lines().filter(l -> l.matches("(nogil fib|gh-123619|gh-134761)\\s.*")).toList();
        assertThat(rows).hasSize(3);
        for (String row : rows) assertThat(row).matches(".*\\s\\d+\\.\\d\\d\\s+\\d+\\.\\d\\d\\s+\\d+\\.\\d\\d\\s+(ok|FAIL: .*)");
        assertThat(rows.get(1)).contains("free-threaded-3.13 x shared-method @32").contains("74.14");
        assertThat(rows.get(2)).contains("free-threaded x lock-locked lock=shared @8");
        assertThat(run.out()).contains("over lock-locked lock=private @8").contains("published 403 / 47 ns");
    }

    @Test
    void refusesAConfigurationOrOptionsWithOutOfSampleAndNoConfigurationWithout() {
        Path cal = tmp.resolve("never.properties");
        CliRun with = CliRun.of("project", "gil", "--out-of-sample", "--calibration", cal.toString());
        assertThat(with.exitCode()).as(with.toString()).isEqualTo(2);
        assertThat(with.err()).contains("SUITE|FILE|CONFIG WORKLOAD: 'gil' is not allowed").doesNotContain("\tat ");
        CliRun option = CliRun.of("project", "--out-of-sample", "-o", "n=5", "--calibration", cal.toString());
        assertThat(option.exitCode()).as(option.toString()).isEqualTo(2);
        assertThat(option.err()).contains("--option: '{n=5}' is not allowed");
        CliRun without = CliRun.of("project", "--calibration", cal.toString());
        assertThat(without.exitCode()).as(without.toString()).isEqualTo(2);
        assertThat(without.err()).contains("CONFIG WORKLOAD").contains("--out-of-sample");
        assertThat(cal).doesNotExist();
    }
}
