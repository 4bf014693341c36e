package org.pxlab.experiments.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.commons.math3.distribution.TDistribution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pxlab.experiments.report.ResultsFixture.Measured;

class ReportsTest {
    @TempDir
    Path tmp;

    private static Measured measured(ResultsFixture f, String configuration, String workload, int threads) {
        return f.throughputs.stream().filter(m -> m.configuration().equals(configuration) && m.workload().equals(workload)
                && m.threads() == threads).findFirst().orElseThrow();
    }

    private static double forkMean(Measured m) {
        return Arrays.stream(m.forks()).mapToDouble(f -> Arrays.stream(f).average().orElseThrow()).average().orElseThrow();
    }

    /** The 95% interval of B/A from the forks' means, computed here from the raw scores. */
    private static String interval(Measured a, Measured b) {
        double ma = forkMean(a);
        double mb = forkMean(b);
        double va = relativeVarianceOfMean(a, ma);
        double vb = relativeVarianceOfMean(b, mb);
        double df = Math.pow(va + vb, 2) / (va * va / (a.forks().length - 1) + vb * vb / (b.forks().length - 1));
        double half = new TDistribution(df).inverseCumulativeProbability(0.975) * Math.sqrt(va + vb);
        double r = mb / ma;
        return String.format(Locale.ROOT, "%.3f\u00a0to\u00a0%.3f", r * Math.exp(-half), r * Math.exp(half));
    }

    private static double relativeVarianceOfMean(Measured m, double mean) {
        double[] means = Arrays.stream(m.forks()).mapToDouble(f -> Arrays.stream(f).average().orElseThrow()).toArray();
        double ss = Arrays.stream(means).map(x -> (x - mean) * (x - mean)).sum();
        return ss / (means.length - 1) / means.length / (mean * mean);
    }

    /** Writes {@code f}'s folder, reports on it, and returns report.md. */
    private String reportOf(ResultsFixture f) throws IOException {
        Path dir = f.write(tmp.resolve("run"));
        Reports.write(dir);
        return Files.readString(dir.resolve("report.md"));
    }

    private static String ratio(double r) {
        return String.format(Locale.ROOT, "%.3f", r);
    }

    @Test
    void calibrationGivesEachConfigurationsOneThreadRatioToGilWithItsIntervalBesideThePublishedFigure() throws IOException {
        ResultsFixture f = ResultsFixture.typical();
        String md = reportOf(f);

        for (String configuration : List.of("split-brain", "fine-grained", "free-threaded")) {
            for (String workload : List.of("json", "fortunes")) {
                Measured gil = measured(f, "gil", workload, 1);
                Measured other = measured(f, configuration, workload, 1);
                double expected = forkMean(other) / forkMean(gil);
                List<String> row = MarkdownTables.row(md, "Single-thread calibration", workload, configuration);
                assertThat(row.get(2)).as(configuration + " " + workload).isEqualTo(ratio(expected));
                assertThat(row.get(3)).isEqualTo(interval(gil, other));
                assertThat(row.get(4)).isEqualTo(String.format(Locale.ROOT, "%+.1f%%", 100 * (1 / expected - 1)));
                assertThat(row.get(6)).isEqualTo("forks");
            }
        }
        assertThat(MarkdownTables.row(md, "Single-thread calibration", "json", "fine-grained").get(5)).contains("~2x slower");
        assertThat(MarkdownTables.row(md, "Single-thread calibration", "json", "free-threaded").get(5)).contains("5-10%");
        assertThat(md).contains("https://peps.python.org/pep-0703/", "https://docs.python.org/3/faq/library.html",
                "https://docs.python.org/3/whatsnew/3.14.html");
    }

    @Test
    void headlineSetsSplitBrainAgainstFineGrainedAndEveryConfigurationAgainstGil() throws IOException {
        ResultsFixture f = ResultsFixture.typical();
        String md = reportOf(f);

        for (int threads : new int[] {1, 2}) {
            Measured sb = measured(f, "split-brain", "json", threads);
            Measured fg = measured(f, "fine-grained", "json", threads);
            List<String> row = MarkdownTables.row(md, "Headline: throughput ratios", "split-brain / fine-grained", "json",
                    Integer.toString(threads));
            assertThat(row.get(3)).isEqualTo(ratio(forkMean(sb) / forkMean(fg)));
            assertThat(row.get(4)).isEqualTo(interval(fg, sb));
            Measured ft = measured(f, "free-threaded", "fortunes", threads);
            Measured gil = measured(f, "gil", "fortunes", threads);
            assertThat(MarkdownTables.row(md, "Headline: throughput ratios", "free-threaded / gil", "fortunes",
                    Integer.toString(threads)).get(3)).isEqualTo(ratio(forkMean(ft) / forkMean(gil)));
        }
        // Parameters are part of the point: wiki-search's row names them.
        assertThat(MarkdownTables.row(md, "Headline: throughput ratios", "split-brain / gil", "wiki-search (query-hits=16000)", "1"))
                .isNotNull();
        assertThat(MarkdownTables.rows(md, "Headline: throughput ratios")).noneMatch(r -> r.get(0).equals("gil / gil"));
    }

    @Test
    void scalingEfficiencyIsThroughputAtTwoOverTwiceThroughputAtOne() throws IOException {
        ResultsFixture f = ResultsFixture.typical();
        String md = reportOf(f);

        for (String configuration : List.of("gil", "split-brain", "fine-grained", "free-threaded")) {
            double expected = measured(f, configuration, "json", 2).score() / (2 * measured(f, configuration, "json", 1).score());
            assertThat(MarkdownTables.row(md, "Scaling efficiency", "json", configuration, "2").get(3)).isEqualTo(ratio(expected));
        }
        // wiki-search has only a 1-thread point: no efficiency.
        assertThat(MarkdownTables.rows(md, "Scaling efficiency")).noneMatch(r -> r.get(0).startsWith("wiki-search"));
    }

    @Test
    void safetyMatrixShowsTheVerdictThatMattersMostWithItsSamples() throws IOException {
        String md = reportOf(ResultsFixture.typical());

        List<List<String>> rows = MarkdownTables.rows(md, "Safety matrix");
        // columns: configuration, persist-parallel, refcount-race
        assertThat(rows).containsExactly(
                List.of("fine-grained", "control-fired (5000 / 5000)", "-"),
                List.of("gil", "-", "not-observed (1000000 / 1000000)"),
                List.of("split-brain", "-", "unsafe (12 / 1000000)"));
    }

    @Test
    void latencyFootprintAndEnvironmentAreReported() throws IOException {
        ResultsFixture f = ResultsFixture.typical();
        String md = reportOf(f);

        long[] recorded = f.latencies.getFirst().nanos();
        List<String> gil = MarkdownTables.row(md, "Latency", "json", "gil", "2");
        assertThat(gil.get(3)).isEqualTo("2000");
        assertThat(gil.get(4)).isEqualTo(Integer.toString(recorded.length));
        assertThat(Double.parseDouble(gil.get(9))).isCloseTo(Arrays.stream(recorded).max().orElseThrow() / 1000.0,
                org.assertj.core.data.Percentage.withPercentage(0.1));
        assertThat(MarkdownTables.row(md, "Footprint", "json", "split-brain", "1", "total").get(6)).isEqualTo("786432");
        assertThat(MarkdownTables.row(md, "Environment", "cpu_model")).containsExactly("cpu_model", "Test CPU");
        assertThat(MarkdownTables.row(md, "Environment", "jvm_flags").get(1)).isEqualTo("-Xmx2g --enable-native-access=ALL-UNNAMED");
    }

    @Test
    void theRunSectionListsFailedMeasurementsWithTheirCausesButNotOnesAResumedRunFinished() throws IOException {
        ResultsFixture f = ResultsFixture.typical();
        String md = reportOf(f);

        int ended = f.throughputs.size() + f.latencies.size() + f.failures.size();
        assertThat(md).contains(ended + " measurements ended, 1 of them failed");
        assertThat(MarkdownTables.rows(md, "Run")).containsExactly(
                List.of("throughput-free-threaded-wiki-search-t2", "ConfigurationException: query-hits: '0' is not allowed"));
    }

    @Test
    void aProgressLineWithAnUnknownStatusIsNamedByItsLine() throws IOException {
        Path dir = ResultsFixture.typical().write(tmp.resolve("run"));
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(dir.resolve("progress.jsonl")));
        lines.set(3, lines.get(3).replace("\"ok\"", "\"done\""));
        Files.write(dir.resolve("progress.jsonl"), lines);
        assertThatThrownBy(() -> Reports.write(dir))
                .hasMessage(dir.resolve("progress.jsonl") + " line 4, field /status: '\"done\"' is not allowed; expected \"ok\" or \"failed\"");
    }

    @Test
    void missingFilesOmitTheirSectionsWithALineSayingSo() throws IOException {
        Path dir = ResultsFixture.typical().write(tmp.resolve("run"));
        Files.delete(dir.resolve("footprint.csv"));
        Files.delete(dir.resolve("stress.csv"));
        try (Stream<Path> jmh = Files.list(dir.resolve("jmh"))) {
            for (Path p : jmh.toList()) Files.delete(p);
        }
        Files.delete(dir.resolve("jmh"));
        Reports.write(dir);
        String md = Files.readString(dir.resolve("report.md"));
        String html = Files.readString(dir.resolve("report.html"));

        assertThat(md).contains("footprint.csv is missing: the footprint section is omitted.",
                "stress.csv is missing: the safety section is omitted.", "jmh/ is missing");
        assertThat(md).doesNotContain("## Footprint", "## Safety matrix");
        assertThat(html).doesNotContain("<h2>Footprint</h2>");
        // Without the forks, intervals come from JMH's errors.
        assertThat(MarkdownTables.row(md, "Headline: throughput ratios", "split-brain / fine-grained", "json", "1").get(5))
                .isEqualTo("JMH error");
    }

    @Test
    void aFolderWithOnlyAnEnvironmentStillGetsAReport() throws IOException {
        Path dir = ResultsFixture.typical().write(tmp.resolve("run"));
        for (String name : List.of("results.csv", "footprint.csv", "stress.csv", "suite.json")) Files.delete(dir.resolve(name));
        Reports.write(dir);
        String md = Files.readString(dir.resolve("report.md"));
        assertThat(md).contains("results.csv is missing", "## Environment", "## Latency");
        assertThat(md).doesNotContain("## Headline");
    }

    @Test
    void stringsFromTheResultsAreEscapedInBothReports() throws IOException {
        String evil = "<script>alert(\"x\")</script>'quoted'";
        String workload = "json \"<b>bold</b>\" & co";
        ResultsFixture f = new ResultsFixture()
                .throughput("gil", workload, 1, 100).throughput(evil, workload, 1, 90)
                .throughput("gil", workload, 2, 100).throughput(evil, workload, 2, 170)
                .latency(evil, workload, 1, 1000, 2000, 3000)
                .stress(evil, "hazard", "T", "1, 1", 10, "not-observed");
        Path dir = f.write(tmp.resolve("run"));
        Reports.write(dir);
        String html = Files.readString(dir.resolve("report.html"));
        String md = Files.readString(dir.resolve("report.md"));

        assertThat(html.toLowerCase(Locale.ROOT)).doesNotContain("<script", "<b>");
        assertThat(html).contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;quoted&#39;")
                .contains("json &quot;&lt;b&gt;bold&lt;/b&gt;&quot; &amp; co");
        assertThat(md.toLowerCase(Locale.ROOT)).doesNotContain("<script", "<b>");
        assertThat(md).contains("&lt;script&gt;");
    }

    @Test
    void reportReplacesOnlyItsOwnFilesAndLeavesNoTemporaryFile() throws IOException {
        Path dir = ResultsFixture.typical().write(tmp.resolve("run"));
        Files.writeString(dir.resolve("report.html"), "old");
        byte[] results = Files.readAllBytes(dir.resolve("results.csv"));
        List<Path> before;
        try (Stream<Path> files = Files.walk(dir)) {
            before = files.sorted().toList();
        }

        Path report = Reports.write(dir);

        assertThat(report).isEqualTo(dir.resolve("report.html"));
        assertThat(Files.readString(report)).startsWith("<!DOCTYPE html>");
        assertThat(Files.readAllBytes(dir.resolve("results.csv"))).isEqualTo(results);
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.sorted().toList()).containsExactlyInAnyOrderElementsOf(
                    Stream.concat(before.stream(), Stream.of(dir.resolve("report.md"))).toList());
        }
    }

    @Test
    void aMalformedValueIsNamedByFileLineAndFieldAndNothingIsWritten() throws IOException {
        Path dir = ResultsFixture.typical().write(tmp.resolve("run"));
        List<String> lines = Files.readAllLines(dir.resolve("results.csv"));
        lines.set(2, lines.get(2).replaceFirst(",throughput,([0-9.]+),", ",throughput,12x,"));
        Files.write(dir.resolve("results.csv"), lines);

        assertThatThrownBy(() -> Reports.write(dir)).isInstanceOf(ResultsFormatException.class)
                .hasMessage(dir.resolve("results.csv") + " line 3, field value: '12x' is not allowed; expected a plain decimal number");
        assertThat(dir.resolve("report.html")).doesNotExist();
        assertThat(dir.resolve("report.md")).doesNotExist();
    }

    @Test
    void aThroughputWithoutAnErrorHasNoInterval() throws IOException {
        Path dir = new ResultsFixture().throughput("gil", "json", 1, 100).throughput("split-brain", "json", 1, 90)
                .write(tmp.resolve("run"));
        for (Path p : List.of(dir.resolve("jmh/throughput-gil-json-t1.json"), dir.resolve("jmh/throughput-split-brain-json-t1.json"))) {
            Files.delete(p);
        }
        List<String> lines = Files.readAllLines(dir.resolve("results.csv"));
        lines.set(1, lines.get(1).replaceFirst(",[0-9.]+,requests/s$", ",NaN,requests/s"));
        lines.set(2, lines.get(2).replaceFirst(",[0-9.]+,requests/s$", ",,requests/s"));
        Files.write(dir.resolve("results.csv"), lines);
        Reports.write(dir);
        List<String> row = MarkdownTables.row(Files.readString(dir.resolve("report.md")), "Headline: throughput ratios",
                "split-brain / gil", "json", "1");
        assertThat(row.get(3)).isEqualTo("0.900");
        assertThat(row.get(4)).isEqualTo("n/a");
    }

    @Test
    void malformedCsvStructureAndJsonAreNamedToo() throws IOException {
        Path dir = ResultsFixture.typical().write(tmp.resolve("run"));
        Files.writeString(dir.resolve("stress.csv"), "configuration,hazard,test,outcome,samples,verdict\ngil,h,T,\"1, 1,10,unsafe\n");
        assertThatThrownBy(() -> Reports.write(dir)).hasMessageContaining("stress.csv line 2, field quoted field");
        Files.writeString(dir.resolve("stress.csv"), "configuration,hazard,test,outcome,samples,verdict\ngil,h,T,x,10,safe\n");
        assertThatThrownBy(() -> Reports.write(dir)).hasMessageContaining("stress.csv line 2, field verdict: 'safe' is not allowed");
        Files.writeString(dir.resolve("stress.csv"), "configuration,hazard,test,samples,verdict\n");
        assertThatThrownBy(() -> Reports.write(dir)).hasMessageContaining("stress.csv line 1, field header")
                .hasMessageContaining("a header with outcome");
        Files.delete(dir.resolve("stress.csv"));

        Path jmh;
        try (Stream<Path> files = Files.list(dir.resolve("jmh"))) {
            jmh = files.sorted().findFirst().orElseThrow();
        }
        String text = Files.readString(jmh);
        int rawLine = (int) text.substring(0, text.indexOf("\"rawData\"")).chars().filter(c -> c == '\n').count() + 1;
        Files.writeString(jmh, text.replaceFirst("\"rawData\" : \\[\\[[0-9.]+", "\"rawData\" : [[\"fast\""));
        assertThatThrownBy(() -> Reports.write(dir)).isInstanceOf(ResultsFormatException.class)
                .hasMessage(jmh + " line " + rawLine + ", field /0/primaryMetric/rawData/0/0: '\"fast\"' is not allowed; expected a number");
        Files.writeString(jmh, "[{\"primaryMetric\": {\n\"rawData\": [[1, 2],\n}}]");
        assertThatThrownBy(() -> Reports.write(dir)).hasMessageContaining(jmh + " line 3, field JSON syntax");
    }

    @Test
    void aLatencyLogWithNoIntervalDrawsAnEmptySpectrumAndTheRestOfTheReport() throws IOException {
        Path dir = ResultsFixture.typical().write(tmp.resolve("run"));
        Path log = dir.resolve("latency").resolve("latency-gil-json-t2.hlog");
        Files.write(log, Files.readAllLines(log).stream().filter(l -> l.startsWith("#") || l.startsWith("\"")).toList());
        Reports.write(dir);
        String html = Files.readString(dir.resolve("report.html"));
        assertThat(html).contains("<h2>Latency</h2>", "<h2>Environment</h2>");
        assertThat(MarkdownTables.row(Files.readString(dir.resolve("report.md")), "Latency", "json", "gil", "2")).isNotEmpty();
    }

    @Test
    void aTruncatedLatencyLogIsNamed() throws IOException {
        Path dir = ResultsFixture.typical().write(tmp.resolve("run"));
        Path log = dir.resolve("latency").resolve("latency-gil-json-t2.hlog");
        List<String> lines = Files.readAllLines(log);
        String last = lines.getLast();
        lines.set(lines.size() - 1, last.substring(0, last.length() - 20) + "!!");
        Files.write(log, lines);

        assertThatThrownBy(() -> Reports.write(dir)).isInstanceOf(ResultsFormatException.class)
                .hasMessageContaining(log + " line " + lines.size() + ", field interval histogram");
    }
}
