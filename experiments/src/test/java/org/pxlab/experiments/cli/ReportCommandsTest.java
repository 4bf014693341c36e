package org.pxlab.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pxlab.experiments.report.ResultsFixture;

/** {@code pxlab report} and {@code pxlab compare} as users run them (folders written by the report tests' fixture). */
class ReportCommandsTest {
    @TempDir
    Path tmp;

    private Path folder(String name) throws IOException {
        return ResultsFixture.typical().write(tmp.resolve(name));
    }

    @Test
    void reportRegeneratesTheReportAndPrintsItsPath() throws IOException {
        Path dir = folder("run");
        CliRun run = CliRun.of("report", dir.toString());
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out().strip()).isEqualTo("report: " + dir.resolve("report.html"));
        assertThat(dir.resolve("report.md")).exists();
    }

    @Test
    void reportOnAMalformedFolderExitsTwoNamingTheFileAndWritesNothing() throws IOException {
        Path dir = folder("run");
        Files.writeString(dir.resolve("footprint.csv"), "id,configuration,workload,threads,space,metric,value,unit\nx,gil,json,one,total,in_use_bytes,1,bytes\n");
        CliRun run = CliRun.of("report", dir.toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).startsWith("pxlab: " + dir.resolve("footprint.csv") + " line 2, field threads: 'one'");
        assertThat(dir.resolve("report.html")).doesNotExist();
    }

    @Test
    void reportOnAMissingFolderExitsTwo() {
        CliRun run = CliRun.of("report", tmp.resolve("nowhere").toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("DIR", "nowhere", "a results folder");
    }

    @Test
    void comparePrintsMarkdownWritesHtmlAndRefusesToOverwrite() throws IOException {
        Path a = folder("a");
        Path b = folder("b");
        Path out = tmp.resolve("cmp");
        CliRun run = CliRun.of("compare", a.toString(), b.toString(), "--out", out.toString());
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("# pxlab compare", "| split-brain | json | 2 |", "no significant difference");
        assertThat(out.resolve("compare.html")).exists();
        String before = Files.readString(out.resolve("compare.md"));

        CliRun again = CliRun.of("compare", a.toString(), b.toString(), "--out", out.toString());
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.err()).contains("never overwrites");
        assertThat(Files.readString(out.resolve("compare.md"))).isEqualTo(before);
    }

    @Test
    void bothCommandsAreListedInHelpWithoutAFormattingWarning() {
        CliRun run = CliRun.of("--help");
        assertThat(run.out()).contains("report", "compare");
        // picocli reports a bad format string in a description on System.err, not the command's stream.
        java.io.PrintStream stderr = System.err;
        java.io.ByteArrayOutputStream traced = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(traced, true, java.nio.charset.StandardCharsets.UTF_8));
        CliRun compare;
        try {
            compare = CliRun.of("compare", "--help");
        } finally {
            System.setErr(stderr);
        }
        assertThat(compare.out()).contains("its 95% interval");
        assertThat(traced.toString(java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("Could not format");
    }
}
