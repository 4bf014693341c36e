package org.pxlab.experiments.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pxlab.experiments.cli.CliRun;

/**
 * A tiny real suite through {@code pxlab run}: one JMH fork of tiny iterations, a latency run at
 * half the throughput it measured, a footprint, and a stress measurement of one jcstress test
 * (the jar is stress/target/jcstress.jar, built before this module by the reactor; without it
 * the stress measurement is recorded as failed with the cause naming the jar, while the rest go
 * on). Every file of the results folder's contract is checked against the others.
 */
class RunEndToEndTest {
    static final String TINY = """
            suite: tiny
            configurations: [gil]
            workloads: [{name: queries, params: {queries: 2}}]
            threads: [1]
            throughput: {forks: 1, warmup-iterations: 1, warmup-time: 50ms, iterations: 1, time: 100ms}
            latency: [{rate: 0.5x, duration: 300ms, warmup: 0s}]
            footprint: {requests: 100}
            stress: {mode: sanity, tests: 'sync\\.GilMutualExclusion'}
            """;

    @TempDir
    Path dir;

    /**
     * JMH refuses to start while another JMH run holds /tmp/jmh.lock (a benchmark, another
     * build's test); this test checks files, not figures, so it runs beside them.
     */
    @org.junit.jupiter.api.BeforeAll
    static void runBesideOtherJmhRuns() {
        System.setProperty("jmh.ignoreLock", "true");
    }

    @org.junit.jupiter.api.AfterAll
    static void leaveTheLockToOthers() {
        System.clearProperty("jmh.ignoreLock");
    }

    @Test
    void writesEveryFileOfTheContract() throws IOException {
        Path out = dir.resolve("out");
        CliRun run = CliRun.of("run", Files.writeString(dir.resolve("tiny.yaml"), TINY).toString(), "--out", out.toString());

        boolean jar = Files.isRegularFile(org.pxlab.experiments.stress.SafetyMatrixRun.locateJar());
        assertThat(run.exitCode()).as("with the stress jar every measurement passes: %s", run).isEqualTo(jar ? 0 : 1);
        assertThat(run.out()).contains("report: " + out.resolve("report.html"));
        Map<?, ?> env = (Map<?, ?>) SafeYaml.read(Files.readString(out.resolve("environment.json")), "environment.json");
        assertThat(env.keySet().stream().map(String::valueOf).toList()).containsExactly("pxlab_version", "pxlab_commit", "date", "jdk", "jvm_flags", "cpu_model", "cores",
                "memory_bytes", "os");
        assertThat(env.get("cores")).isEqualTo(String.valueOf(Runtime.getRuntime().availableProcessors()));

        Map<?, ?> suite = (Map<?, ?>) SafeYaml.read(Files.readString(out.resolve("suite.json")), "suite.json");
        List<?> measurements = (List<?>) suite.get("measurements");
        List<String> ids = measurements.stream().map(m -> (String) ((Map<?, ?>) m).get("id")).toList();
        String hash = ids.getFirst().substring(ids.getFirst().lastIndexOf("-p") + 2);
        assertThat(ids).containsExactly("throughput-gil-queries-t1-p" + hash, "latency-gil-queries-t1-p" + hash,
                "footprint-gil-queries-t1-p" + hash, "stress-gil");
        assertThat(hash).matches("[0-9a-f]{8}");

        List<String> progress = Files.readAllLines(out.resolve("progress.jsonl"));
        assertThat(progress).hasSize(4);
        Map<?, ?> stress = (Map<?, ?>) SafeYaml.read(progress.get(3), "progress");
        if (jar) {
            assertThat(stress.get("status")).as(progress.get(3)).isEqualTo("ok");
            List<String> matrix = Files.readAllLines(out.resolve("stress.csv"));
            assertThat(matrix.getFirst()).isEqualTo("configuration,hazard,test,outcome,samples,verdict");
            long gilRows = matrix.stream().filter(r -> r.startsWith("gil,")).count();
            List<String> stressRows = Files.readAllLines(out.resolve("results.csv")).stream()
                    .filter(r -> r.startsWith("stress-gil,")).toList();
            assertThat(stressRows).as("one row per verdict").hasSize(org.pxlab.experiments.stress.SafetyMatrix.VERDICTS.size());
            assertThat(stressRows.stream().mapToDouble(r -> Double.parseDouble(r.split(",")[7])).sum())
                    .as("gil's matrix rows, counted by verdict").isEqualTo((double) gilRows);
            assertThat(matrix).anyMatch(r -> r.startsWith("gil,") && r.contains("GilMutualExclusion") && r.endsWith(",not-observed"));
        } else {
            assertThat(stress.get("status")).isEqualTo("failed");
            assertThat((String) stress.get("cause")).contains("jcstress.jar");
        }
        for (int i = 0; i < 3; i++) {
            assertThat(((Map<?, ?>) SafeYaml.read(progress.get(i), "progress")).get("status")).as(progress.get(i)).isEqualTo("ok");
        }

        List<String> results = Files.readAllLines(out.resolve("results.csv"));
        assertThat(results.getFirst()).isEqualTo("id,kind,configuration,workload,params,threads,metric,value,error,unit");
        String throughputRow = results.stream().filter(r -> r.startsWith(ids.getFirst() + ",")).findFirst().orElseThrow();
        double throughput = Double.parseDouble(throughputRow.split(",")[7]);
        assertThat(throughputRow).startsWith(ids.getFirst() + ",throughput,gil,queries,queries=2,1,throughput,");

        // JMH's own JSON holds the same score.
        Path jmh = out.resolve("jmh").resolve(ids.getFirst() + ".json");
        List<?> jmhRuns = (List<?>) SafeYaml.read(Files.readString(jmh), "jmh", 64 << 20);
        Map<?, ?> primary = (Map<?, ?>) ((Map<?, ?>) jmhRuns.getFirst()).get("primaryMetric");
        assertThat(Double.parseDouble((String) primary.get("score"))).isEqualTo(throughput);
        assertThat(((Map<?, ?>) ((Map<?, ?>) jmhRuns.getFirst()).get("params")).get("options")).isEqualTo("queries=2");

        // Latency ran at half the throughput measured just before.
        String rateRow = results.stream().filter(r -> r.startsWith(ids.get(1)) && r.contains(",rate,")).findFirst().orElseThrow();
        assertThat(Double.parseDouble(rateRow.split(",")[7])).isCloseTo(throughput / 2, org.assertj.core.data.Offset.offset(1e-6 * throughput));
        assertThat(results).filteredOn(r -> r.startsWith(ids.get(1))).extracting(r -> r.split(",")[6])
                .containsExactly("latency_p50", "latency_p90", "latency_p99", "latency_p999", "latency_max", "rate", "served");
        assertThat(Files.readString(out.resolve("latency").resolve(ids.get(1) + ".hlog"))).contains("#[StartTime:");

        List<String> footprint = Files.readAllLines(out.resolve("footprint.csv"));
        assertThat(footprint.getFirst()).isEqualTo("id,configuration,workload,threads,space,metric,value,unit");
        assertThat(footprint).anyMatch(r -> r.startsWith(ids.get(2) + ",gil,queries,1,total,in_use_bytes,"));
        String inUse = footprint.stream().filter(r -> r.contains(",total,in_use_bytes,")).findFirst().orElseThrow().split(",")[6];
        assertThat(results).contains(ids.get(2) + ",footprint,gil,queries,queries=2,1,in_use_bytes," + inUse + ",,bytes");
        assertThat(Long.parseLong(inUse)).isPositive();
        assertThat(out.resolve("report.md")).exists();
        try (Stream<Path> files = Files.list(out)) {
            List<String> expected = new java.util.ArrayList<>(List.of("environment.json", "suite.json", "progress.jsonl",
                    "results.csv", "footprint.csv", "jmh", "latency", "report.md", "report.html"));
            if (jar) expected.addAll(List.of("stress.csv", "stress.md", "jcstress"));
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    @Test
    void refusesAnOutFolderThatHoldsAnything() throws IOException {
        Path out = Files.createDirectories(dir.resolve("taken"));
        Files.writeString(out.resolve("results.csv"), "earlier results\n");

        CliRun run = CliRun.of("run", Files.writeString(dir.resolve("tiny.yaml"), TINY).toString(), "--out", out.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("--out: '" + out + "' is not allowed; expected a new or empty folder");
        assertThat(Files.readString(out.resolve("results.csv"))).isEqualTo("earlier results\n");
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files).hasSize(1);
        }
    }
}
