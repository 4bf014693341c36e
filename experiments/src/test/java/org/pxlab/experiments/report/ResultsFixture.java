package org.pxlab.experiments.report;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.descriptive.SummaryStatistics;

/**
 * Writes a small results folder from code, in the layout {@code pxlab run} writes: throughput
 * rows with JMH JSON (rawData per fork), latency rows with an .hlog written by
 * {@link HistogramLogWriter}, footprint and stress CSVs, environment and suite JSON.
 */
public final class ResultsFixture {
    /** A throughput measurement and its forks' iteration scores. */
    record Measured(String configuration, String workload, String params, int threads, double[][] forks) {
        String id() {
            return ("throughput-" + configuration + "-" + workload + "-t" + threads + (params.isEmpty() ? "" : "-p" + Integer.toHexString(params.hashCode())))
                    .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "x");
        }

        double[] all() {
            return Arrays.stream(forks).flatMapToDouble(Arrays::stream).toArray();
        }

        /** JMH's score: the mean of every iteration. */
        double score() {
            return Arrays.stream(all()).average().orElseThrow();
        }

        /** JMH's scoreError: t(0.9995, n-1) * s / sqrt(n) over every iteration. */
        double error() {
            SummaryStatistics s = new SummaryStatistics();
            for (double v : all()) s.addValue(v);
            long n = s.getN();
            return new TDistribution(n - 1).inverseCumulativeProbability(0.9995) * s.getStandardDeviation() / Math.sqrt(n);
        }
    }

    /** A latency measurement: the values recorded (ns), in two intervals. */
    record Latency(String configuration, String workload, int threads, long[] nanos) {
        String id() {
            return ("latency-" + configuration + "-" + workload + "-t" + threads).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "x");
        }
    }

    final List<Measured> throughputs = new ArrayList<>();
    final List<Latency> latencies = new ArrayList<>();
    final List<String> footprintRows = new ArrayList<>();
    final List<String> stressRows = new ArrayList<>();
    /** Measurements that failed: id, cause (written to progress.jsonl). */
    final java.util.Map<String, String> failures = new java.util.LinkedHashMap<>();
    boolean jmhFiles = true;

    ResultsFixture throughput(String configuration, String workload, String params, int threads, double[][] forks) {
        throughputs.add(new Measured(configuration, workload, params, threads, forks));
        return this;
    }

    /** A throughput around {@code level}: 2 forks of 3 iterations, spread +-1% (deterministic). */
    ResultsFixture throughput(String configuration, String workload, int threads, double level) {
        double[][] forks = {{level * 0.99, level * 1.01, level}, {level * 1.005, level * 0.995, level * 1.002}};
        return throughput(configuration, workload, "", threads, forks);
    }

    ResultsFixture latency(String configuration, String workload, int threads, long... nanos) {
        latencies.add(new Latency(configuration, workload, threads, nanos));
        return this;
    }

    ResultsFixture footprint(String configuration, String workload, int threads, String space, String metric, long value) {
        footprintRows.add(String.join(",", "footprint-" + configuration + "-" + workload + "-t" + threads, csv(configuration),
                csv(workload), Integer.toString(threads), space, metric, Long.toString(value), "bytes"));
        return this;
    }

    ResultsFixture stress(String configuration, String hazard, String test, String outcome, long samples, String verdict) {
        stressRows.add(String.join(",", csv(configuration), hazard, test, csv(outcome), Long.toString(samples), verdict));
        return this;
    }

    /** The realistic folder most tests read: four configurations, two workloads, 1 and 2 threads. */
    public static ResultsFixture typical() {
        ResultsFixture f = new ResultsFixture();
        String[] configurations = {"gil", "split-brain", "fine-grained", "free-threaded"};
        double[] oneThread = {10_000, 9_700, 5_200, 9_300};
        double[] twoThreads = {9_800, 18_900, 7_400, 17_600};
        for (int c = 0; c < configurations.length; c++) {
            f.throughput(configurations[c], "json", 1, oneThread[c]);
            f.throughput(configurations[c], "json", 2, twoThreads[c]);
            f.throughput(configurations[c], "fortunes", 1, oneThread[c] / 4);
            f.throughput(configurations[c], "fortunes", 2, twoThreads[c] / 4.2);
        }
        f.throughput("gil", "wiki-search", "query-hits=16000", 1, new double[][] {{40, 41}, {39, 40}});
        f.throughput("split-brain", "wiki-search", "query-hits=16000", 1, new double[][] {{38, 39}, {40, 38}});
        // 2,000 requests each: a body of tens of microseconds and a tail of rare long stalls.
        long[] gil = new long[2000];
        long[] splitBrain = new long[2000];
        for (int i = 0; i < gil.length; i++) {
            gil[i] = 40_000 + (i % 100) * 300L + (i % 97 == 0 ? 900_000 + i * 100L : 0);
            splitBrain[i] = 30_000 + (i % 100) * 100L + (i % 199 == 0 ? 250_000 + i * 10L : 0);
        }
        f.latency("gil", "json", 2, gil);
        f.latency("split-brain", "json", 2, splitBrain);
        f.footprint("gil", "json", 1, "total", "in_use_bytes", 1_048_576);
        f.footprint("gil", "json", 1, "main", "header_bytes", 16);
        f.footprint("split-brain", "json", 1, "total", "in_use_bytes", 786_432);
        f.footprint("split-brain", "json", 1, "context", "arena_high_water_per_request_bytes", 4096);
        f.footprint("gil", "fortunes", 2, "total", "in_use_bytes", 2_621_440);
        f.footprint("split-brain", "fortunes", 2, "total", "in_use_bytes", 3_145_728);
        f.stress("gil", "refcount-race", "RefcountRace", "1, 1", 1_000_000, "not-observed");
        f.stress("split-brain", "refcount-race", "RefcountRace", "1, 1", 999_988, "not-observed");
        f.stress("split-brain", "refcount-race", "RefcountRace", "0, 1", 12, "unsafe");
        f.stress("fine-grained", "persist-parallel", "PersistGuard", "caught", 5_000, "control-fired");
        f.failures.put("throughput-free-threaded-wiki-search-t2", "ConfigurationException: query-hits: '0' is not allowed");
        return f;
    }

    /** Writes the folder at {@code dir} (made if missing) and returns it. */
    public Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("environment.json"), """
                {"pxlab_version": "0.1.0-SNAPSHOT", "pxlab_commit": "abc1234", "date": "2026-11-24T14:00:00Z",
                 "jdk": "OpenJDK 64-Bit Server VM 25", "jvm_flags": ["-Xmx2g", "--enable-native-access=ALL-UNNAMED"],
                 "cpu_model": "Test CPU", "cores": 2, "memory_bytes": 25769803776, "os": "Linux"}
                """);
        StringBuilder suite = new StringBuilder("{\"suite\": \"fixture\", \"source\": \"built-in\", \"measurements\": [");
        StringBuilder results = new StringBuilder("id,kind,configuration,workload,params,threads,metric,value,error,unit\n");
        List<String> entries = new ArrayList<>();
        if (jmhFiles) Files.createDirectories(dir.resolve("jmh"));
        for (Measured m : throughputs) {
            entries.add(measurement(m.id(), "throughput", m.configuration(), m.workload(), m.params(), m.threads()));
            results.append(String.join(",", m.id(), "throughput", csv(m.configuration()), csv(m.workload()), csv(m.params()),
                    Integer.toString(m.threads()), "throughput", num(m.score()), num(m.error()), "requests/s")).append('\n');
            if (jmhFiles) Files.writeString(dir.resolve("jmh").resolve(m.id() + ".json"), jmh(m));
        }
        if (!latencies.isEmpty()) Files.createDirectories(dir.resolve("latency"));
        for (Latency l : latencies) {
            entries.add(measurement(l.id(), "latency", l.configuration(), l.workload(), "", l.threads()));
            Histogram all = new Histogram(3);
            try (PrintStream out = new PrintStream(Files.newOutputStream(dir.resolve("latency").resolve(l.id() + ".hlog")),
                    false, StandardCharsets.UTF_8)) {
                HistogramLogWriter writer = new HistogramLogWriter(out);
                writer.outputLogFormatVersion();
                writer.outputStartTime(1_700_000_000_000L);
                writer.outputLegend();
                for (int interval = 0; interval < 2; interval++) {
                    Histogram h = new Histogram(3);
                    h.setStartTimeStamp(1_700_000_000_000L + interval * 1000L);
                    h.setEndTimeStamp(1_700_000_001_000L + interval * 1000L);
                    for (int i = interval; i < l.nanos().length; i += 2) h.recordValue(l.nanos()[i]);
                    writer.outputIntervalHistogram(h);
                    all.add(h);
                }
            }
            String[][] metrics = {{"latency_p50", "50"}, {"latency_p90", "90"}, {"latency_p99", "99"}, {"latency_p999", "99.9"}};
            for (String[] m : metrics) {
                results.append(latencyRow(l, m[0], all.getValueAtPercentile(Double.parseDouble(m[1])) / 1000.0, "us"));
            }
            results.append(latencyRow(l, "latency_max", all.getMaxValue() / 1000.0, "us"));
            results.append(latencyRow(l, "rate", 2000, "requests/s"));
            results.append(latencyRow(l, "served", l.nanos().length, "requests"));
        }
        // As pxlab run lists them: a stress measurement has no workload and 0 threads (jcstress picks its own).
        if (!stressRows.isEmpty()) entries.add(measurement("stress-sanity", "stress", "gil", "", "", 0));
        suite.append(String.join(",\n", entries)).append("]}\n");
        Files.writeString(dir.resolve("suite.json"), suite);
        StringBuilder progress = new StringBuilder();
        // A resumed run: a measurement failed once, then ended well.
        progress.append("{\"id\": \"throughput-gil-json-t1\", \"status\": \"failed\", \"cause\": \"killed\", \"seconds\": 1.5}\n");
        for (Measured m : throughputs) progress.append("{\"id\": ").append(json(m.id())).append(", \"status\": \"ok\", \"cause\": null, \"seconds\": 3.0}\n");
        for (Latency l : latencies) progress.append("{\"id\": ").append(json(l.id())).append(", \"status\": \"ok\", \"cause\": null, \"seconds\": 2.0}\n");
        failures.forEach((id, cause) -> progress.append("{\"id\": ").append(json(id)).append(", \"status\": \"failed\", \"cause\": ")
                .append(json(cause)).append(", \"seconds\": 0.5}\n"));
        Files.writeString(dir.resolve("progress.jsonl"), progress);
        Files.writeString(dir.resolve("results.csv"), results);
        if (!footprintRows.isEmpty()) {
            Files.writeString(dir.resolve("footprint.csv"), "id,configuration,workload,threads,space,metric,value,unit\n"
                    + String.join("\n", footprintRows) + "\n");
        }
        if (!stressRows.isEmpty()) {
            Files.writeString(dir.resolve("stress.csv"), "configuration,hazard,test,outcome,samples,verdict\n"
                    + String.join("\n", stressRows) + "\n");
        }
        return dir;
    }

    private static String latencyRow(Latency l, String metric, double value, String unit) {
        return String.join(",", l.id(), "latency", csv(l.configuration()), csv(l.workload()), "", Integer.toString(l.threads()),
                metric, num(value), "", unit) + "\n";
    }

    private static String measurement(String id, String kind, String configuration, String workload, String params, int threads) {
        StringBuilder p = new StringBuilder("{");
        if (!params.isEmpty()) {
            List<String> pairs = new ArrayList<>();
            for (String kv : params.split(";")) {
                String[] parts = kv.split("=", 2);
                pairs.add(json(parts[0]) + ": " + json(parts[1]));
            }
            p.append(String.join(", ", pairs));
        }
        p.append('}');
        return "{\"id\": " + json(id) + ", \"kind\": " + json(kind) + ", \"configuration\": " + json(configuration)
                + ", \"components\": {}, \"workload\": " + json(workload) + ", \"params\": " + p
                + ", \"threads\": " + threads + ", \"settings\": {}}";
    }

    private static String jmh(Measured m) {
        List<String> forks = new ArrayList<>();
        for (double[] fork : m.forks()) forks.add(Arrays.stream(fork).mapToObj(ResultsFixture::num).toList().toString());
        return """
                [
                    {
                        "jmhVersion" : "1.37",
                        "benchmark" : "org.pxlab.experiments.bench.WorkloadBench.serve",
                        "mode" : "thrpt",
                        "threads" : %d,
                        "forks" : %d,
                        "primaryMetric" : {
                            "score" : %s,
                            "scoreError" : %s,
                            "scoreUnit" : "ops/s",
                            "rawData" : %s
                        },
                        "secondaryMetrics" : {}
                    }
                ]
                """.formatted(m.threads(), m.forks().length, num(m.score()), num(m.error()), forks);
    }

    static String num(double v) {
        return java.math.BigDecimal.valueOf(v).toPlainString();
    }

    /** A CSV field, quoted when it must be (RFC 4180). */
    static String csv(String field) {
        if (!field.matches(".*[\",\r\n].*")) return field;
        return '"' + field.replace("\"", "\"\"") + '"';
    }

    private static String json(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
