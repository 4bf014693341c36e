package org.pxlab.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LatencyCommandTest {
    @TempDir
    Path tmp;

    private static final String[] QUICK = {"--rate", "2000", "--duration", "200ms", "--warmup", "50ms", "--interval", "50ms"};

    private CliRun latency(Path out, String... args) {
        String[] all = Stream.concat(Stream.of("latency"), Stream.concat(Stream.of(args),
                Stream.of("--out", out.toString()))).toArray(String[]::new);
        return CliRun.of(all);
    }

    private static String[] with(String config, String workload, String... extra) {
        return Stream.concat(Stream.of(config, workload), Stream.concat(Stream.of(QUICK), Stream.of(extra)))
                .toArray(String[]::new);
    }

    @Test
    void printsThePercentilesAndWritesALogThatReadsBackWithTheCountServed() throws IOException {
        Path out = tmp.resolve("results");
        CliRun run = latency(out, with("gil", "json", "--workers", "2"));

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out())
                .contains("latency: json on gil, 2 workers, open loop at 2000 requests/s for 0.2s after 0.05s of warm-up")
                .containsPattern("served (\\d+) of 400 requests due, achieved [0-9.]+ requests/s")
                .containsPattern("(?m)^microseconds +p50 +p90 +p99 +p99\\.9 +max$")
                .containsPattern("(?m)^latency \\(from due time\\)( +[0-9]+\\.[0-9]){5}$")
                .containsPattern("(?m)^service time \\(closed-loop\\)( +[0-9]+\\.[0-9]){5}$");
        Path log = out.resolve("latency-gil-json-2000rps-2w.hlog");
        assertThat(run.out()).contains("interval log: " + log);
        long served = Long.parseLong(run.out().replaceAll("(?s).*served (\\d+) of.*", "$1"));
        assertThat(totalCount(log)).isEqualTo(served).isPositive();
    }

    /**
     * Without --rate, the rate is a fraction of what the same runtime served closed loop just
     * before: the printed rate is the fraction times the printed probe throughput, and the log's
     * name carries it.
     */
    @Test
    void withoutARateItServesAFractionOfTheThroughputMeasuredClosedLoop() throws IOException {
        Path out = tmp.resolve("default-rate");
        CliRun run = latency(out, "gil", "json", "--rate-fraction", "0.25", "--probe", "300ms", "--duration", "200ms",
                "--warmup", "50ms", "--interval", "50ms");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "open loop at ([0-9.]+) requests/s \\(0\\.25 of ([0-9.]+) requests/s served closed loop for 0\\.3s\\)")
                .matcher(run.out());
        assertThat(m.find()).as(run.out()).isTrue();
        double rate = Double.parseDouble(m.group(1));
        double probe = Double.parseDouble(m.group(2));
        assertThat(probe).isPositive();
        assertThat(rate).isCloseTo(0.25 * probe, org.assertj.core.api.Assertions.within(0.1));
        try (Stream<Path> logs = Files.list(out)) {
            assertThat(logs.map(p -> p.getFileName().toString()))
                    .containsExactly("latency-gil-json-" + m.group(1).replaceAll("\\.0$", "") + "rps-1w.hlog");
        }
    }

    @Test
    void neverOverwritesALogAndSaysWhichNameItUsed() throws IOException {
        Path taken = tmp.resolve("latency-gil-json-2000rps-1w.hlog");
        Files.writeString(taken, "keep me\n");

        CliRun run = latency(tmp, with("gil", "json"));

        assertThat(run.exitCode()).as(run.toString()).isZero();
        Path next = tmp.resolve("latency-gil-json-2000rps-1w-2.hlog");
        assertThat(run.out()).contains("interval log: " + next + " (" + taken + " exists and was left as it was)");
        assertThat(Files.readString(taken)).isEqualTo("keep me\n");
        assertThat(totalCount(next)).isPositive();
    }

    static Stream<Arguments> badInputs() {
        return Stream.of(
                Arguments.of(new String[] {"gil", "json", "--rate", "0", "--duration", "1s"}, "rate: '0' is not allowed"),
                Arguments.of(new String[] {"gil", "json", "--rate", "-5", "--duration", "1s"}, "rate: '-5'"),
                Arguments.of(new String[] {"gil", "json", "--rate", "fast", "--duration", "1s"}, "'fast'"),
                Arguments.of(new String[] {"gil", "json", "--rate", "100", "--duration", "0s"}, "duration: '0ms'"),
                Arguments.of(new String[] {"gil", "json", "--rate", "100", "--duration", "soon"}, "'soon' is not a duration"),
                Arguments.of(new String[] {"gil", "json", "--rate", "100", "--duration", "2h"}, "duration: '7200000ms'"),
                Arguments.of(new String[] {"gil", "json", "--rate", "100", "--duration", "1s", "--workers", "0"}, "--workers: '0'"),
                Arguments.of(new String[] {"no-such", "json", "--rate", "100", "--duration", "1s"}, "'no-such'"),
                Arguments.of(new String[] {"gil", "no-such", "--rate", "100", "--duration", "1s"}, "workload: 'no-such'"),
                Arguments.of(new String[] {"gil", "json", "--rate", "100", "--duration", "1s", "-o", "nope=1"}, "nope"),
                Arguments.of(new String[] {"gil", "json", "--rate", "100", "--rate-fraction", "0.5", "--duration", "1s"},
                        "--rate-fraction: '0.5' is not allowed; expected no --rate-fraction with --rate"),
                Arguments.of(new String[] {"gil", "json", "--rate-fraction", "1.5", "--duration", "1s"},
                        "--rate-fraction: '1.5' is not allowed; expected a fraction above 0 and at most 1"),
                Arguments.of(new String[] {"gil", "json", "--rate-fraction", "0", "--duration", "1s"}, "--rate-fraction: '0'"),
                Arguments.of(new String[] {"gil", "json", "--probe", "2m", "--duration", "1s"},
                        "--probe: '120000ms' is not allowed; expected 1ms to 60s"));
    }

    @ParameterizedTest
    @MethodSource("badInputs")
    void badInputIsRefusedWithExit2AndNothingWritten(String[] args, String message) {
        Path out = tmp.resolve("never");
        CliRun run = latency(out, args);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains(message).doesNotContain("\tat ");
        assertThat(run.out()).isEmpty();
        assertThat(out).doesNotExist();
    }

    @Test
    void anOutThatIsAFileIsRefused() throws IOException {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        CliRun run = latency(file, with("gil", "json"));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).startsWith("pxlab: --out: '" + file + "' is not allowed; expected a directory");
        assertThat(Files.readString(file)).isEqualTo("x");
    }

    private static long totalCount(Path log) throws IOException {
        long total = 0;
        try (var in = Files.newInputStream(log)) {
            HistogramLogReader reader = new HistogramLogReader(in);
            for (EncodableHistogram h; (h = reader.nextIntervalHistogram()) != null; ) {
                total += ((org.HdrHistogram.Histogram) h).getTotalCount();
            }
        }
        return total;
    }
}
