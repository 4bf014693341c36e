package org.pxlab.experiments.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pxlab.experiments.cli.CliRun;
import org.pxlab.experiments.run.ResultsFolder;
import org.pxlab.experiments.run.SuiteRunner;
import org.pxlab.experiments.workload.Workloads;
import org.pxlab.runtime.config.ComponentRegistry;

/**
 * A run cut short and resumed ends with every measurement of suite.json recorded exactly once,
 * and exactly one set of rows per measurement in results.csv and footprint.csv.
 */
class ResumeTest {
    /** Sixteen quick in-process measurements. */
    static final String SUITE = """
            suite: resumable
            configurations: [gil, fine-grained]
            workloads: [json, queries, fortunes, plaintext]
            threads: [1, 2]
            footprint: {requests: 3000}
            """;

    @TempDir
    Path dir;

    @Test
    void aRunKilledWithSigkillMidwayAndResumedHasEveryMeasurementOnce() throws Exception {
        Path out = dir.resolve("out");
        Path suite = Files.writeString(dir.resolve("suite.yaml"), SUITE);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> !a.startsWith("-agentlib") && !a.startsWith("-javaagent")).toList());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.pxlab.experiments.cli.PxlabMain",
                "run", suite.toString(), "--out", out.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("first.log").toFile()).start();
        Path progress = out.resolve("progress.jsonl");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (lines(progress) < 3 && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(20);
        p.destroyForcibly().waitFor();
        int before = lines(progress);
        assertThat(before).as("killed midway: %s", Files.readString(dir.resolve("first.log"))).isBetween(3, 15);

        CliRun resumed = CliRun.of("run", "--resume", out.toString());

        assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
        assertThat(resumed.out()).contains((16 - before) + " measurements to run of 16");
        assertEveryMeasurementOnce(out, 16);
    }

    @Test
    void tornRowsAndATornProgressLineAreDroppedAndTheirMeasurementRunsAgain() throws IOException {
        ComponentRegistry registry = ComponentRegistry.load();
        Suite suite = new SuiteParser(registry, Workloads.load()).parse(SUITE, "resumable");
        Path out = dir.resolve("out");
        ResultsFolder folder = ResultsFolder.create(out, suite);
        List<Measurement> all = suite.measurements();
        new SuiteRunner(registry, Workloads.load()).run(folder, all.subList(0, 5), new PrintWriter(new StringWriter()), false);
        // Killed while recording the sixth: a complete row, a torn one, a torn progress line.
        String next = all.get(5).id();
        Files.writeString(out.resolve("results.csv"), next + ",footprint,fine-grained,json,,1,in_use_bytes,123,,bytes\n"
                + next + ",footprint,fine", StandardOpenOption.APPEND);
        Files.writeString(out.resolve("progress.jsonl"), "{\"id\": \"" + next + "\", \"sta", StandardOpenOption.APPEND);

        CliRun resumed = CliRun.of("run", "--resume", out.toString(), "--only", "footprint-*");

        assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
        assertThat(resumed.out()).contains("11 measurements to run of 16");
        assertThat(Files.readString(out.resolve("results.csv"))).doesNotContain(",123,");
        assertEveryMeasurementOnce(out, 16);

        CliRun again = CliRun.of("run", "--resume", out.toString());
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).contains("0 measurements to run of 16");
        assertEveryMeasurementOnce(out, 16);
    }

    @Test
    void resumeRefusesAFolderWithoutSuiteJsonAndASuiteBesideIt() throws IOException {
        CliRun none = CliRun.of("run", "--resume", Files.createDirectories(dir.resolve("empty")).toString());
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).contains("--resume: '" + dir.resolve("empty") + "' is not allowed; expected a results folder");

        CliRun both = CliRun.of("run", "quick", "--resume", dir.toString());
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("SUITE: 'quick' is not allowed; expected nothing with --resume");
    }

    /** Every id of suite.json has one progress line, two results rows and one footprint set, and nothing else is there. */
    private static void assertEveryMeasurementOnce(Path out, int count) throws IOException {
        Map<?, ?> suite = (Map<?, ?>) SafeYaml.read(Files.readString(out.resolve("suite.json")), "suite.json");
        List<String> ids = ((List<?>) suite.get("measurements")).stream().map(m -> (String) ((Map<?, ?>) m).get("id")).toList();
        assertThat(ids).hasSize(count);
        List<String> progress = Files.readAllLines(out.resolve("progress.jsonl"));
        assertThat(progress.stream().map(l -> (String) ((Map<?, ?>) SafeYaml.read(l, "progress")).get("id")).toList())
                .containsExactlyInAnyOrderElementsOf(ids);
        assertThat(Files.readString(out.resolve("progress.jsonl"))).endsWith("}\n");
        Map<String, Long> rows = counts(Files.readAllLines(out.resolve("results.csv")));
        assertThat(rows.keySet()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(rows.values()).containsOnly(2L);
        Map<String, Long> footprint = counts(Files.readAllLines(out.resolve("footprint.csv")));
        assertThat(footprint.keySet()).containsExactlyInAnyOrderElementsOf(ids);
        // One space each (gil, fine-grained): header, the space's 3 figures, the total's 3, the JVM's; never twice that.
        assertThat(footprint.values()).containsOnly(8L);
    }

    private static Map<String, Long> counts(List<String> csv) {
        return csv.stream().skip(1).collect(Collectors.groupingBy(l -> l.substring(0, l.indexOf(',')), Collectors.counting()));
    }

    private static int lines(Path file) throws IOException {
        if (!Files.exists(file)) return 0;
        return (int) Files.readString(file).chars().filter(c -> c == '\n').count();
    }
}
