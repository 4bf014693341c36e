package org.pxlab.experiments.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.pxlab.experiments.cli.CliRun;

/**
 * Malformed suite files through {@code pxlab run FILE --out DIR}: each is refused with exit
 * status 2 and one line naming the field path, the value and what is allowed, before anything
 * is written (DIR is never made).
 */
class MalformedSuitesTest {
    /** A valid suite's fields, which each case breaks in one place. */
    private static final String HEAD = "suite: broken\nconfigurations: [gil]\nworkloads: [json]\nthreads: [1]\n";
    private static final String FOOTPRINT = "footprint: {requests: 10}\n";

    @TempDir
    Path dir;

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("an unknown top-level key", HEAD + FOOTPRINT + "workload: [json]\n",
                        "workload: 'workload' is not allowed; expected one of the keys [suite, description,"),
                Arguments.of("an unknown workload", HEAD.replace("[json]", "[json, jsn]") + FOOTPRINT,
                        "workloads[1]: 'jsn' is not allowed; expected one of [alloc-test,"),
                Arguments.of("a workload parameter out of range",
                        HEAD.replace("[json]", "[json, {name: wiki-search, params: {titles: -5}}]") + FOOTPRINT,
                        "workloads[1].params.titles: '-5' is not allowed; expected a whole number from"),
                Arguments.of("an unknown workload parameter",
                        HEAD.replace("[json]", "[{name: json, params: {sise: 3}}]") + FOOTPRINT,
                        "workloads[0].params.sise: '3' is not allowed; expected"),
                Arguments.of("zero threads", HEAD.replace("threads: [1]", "threads: [1, 0]") + FOOTPRINT,
                        "threads[1]: '0' is not allowed; expected a whole number from 1 to"),
                Arguments.of("forks that are not a number", HEAD + "throughput: {forks: two}\n",
                        "throughput.forks: 'two' is not allowed; expected a whole number from 1 to 20"),
                Arguments.of("a warm-up time that is not a duration", HEAD + "throughput: {warmup-time: fast}\n",
                        "throughput.warmup-time: 'fast' is not allowed; expected a duration from 10ms to 600s"),
                Arguments.of("an unknown configuration", HEAD.replace("[gil]", "[gil, gill]") + FOOTPRINT,
                        "configurations[1]: 'gill' is not allowed; expected one of ["),
                Arguments.of("a composed configuration with an unknown allocator",
                        HEAD.replace("[gil]", "[{name: gil-x, base: gil, spaces: {main: {allocator: jemalloc}}}]") + FOOTPRINT,
                        "configurations[0].spaces.main.allocator: 'jemalloc' is not allowed; expected the name of a allocator component, one of ["),
                Arguments.of("a composed configuration that cannot be safe",
                        HEAD.replace("[gil]", "[{name: fg-pool, base: fine-grained, spaces: {main: {allocator: size-class-pool}}}]") + FOOTPRINT,
                        "configurations[0]: 'fg-pool' is not allowed; expected a combination that can be safe:"),
                Arguments.of("a composed configuration the runtime cannot start",
                        HEAD.replace("[gil]", "[{name: fg-malloc, base: fine-grained, spaces: {main: {allocator: malloc}}}]") + FOOTPRINT,
                        "configurations[0]: 'fg-malloc' is not allowed; expected a configuration the runtime can start: optimistic reads need"),
                Arguments.of("a relative latency rate without throughput", HEAD + "latency: [{rate: 0.5x}]\n",
                        "latency[0].rate: '0.5x' is not allowed; expected requests per second: a fraction of throughput (Nx) needs"),
                Arguments.of("a latency rate too low for its duration", HEAD + "latency: [{rate: 0.1, duration: 1s}]\n",
                        "latency[0].rate: '0.1' is not allowed; expected at least one request in the duration"),
                Arguments.of("a latency selection of a workload not in the suite", HEAD + "latency: [{rate: 100, workloads: [db]}]\n",
                        "latency[0].workloads[0]: 'db' is not allowed; expected one of the suite's [json]"),
                Arguments.of("an unknown stress mode", HEAD + "stress: {mode: thorough}\n",
                        "stress.mode: 'thorough' is not allowed; expected one of [sanity, quick, default]"),
                Arguments.of("a missing suite name", HEAD.replace("suite: broken\n", "") + FOOTPRINT,
                        "suite: (missing) is not allowed; expected a value (it is required)"),
                Arguments.of("a suite name with a slash", HEAD.replace("broken", "../etc") + FOOTPRINT,
                        "suite: '../etc' is not allowed; expected a name of lower-case letters"),
                Arguments.of("a key given twice", HEAD + FOOTPRINT + "threads: [2]\n",
                        "threads: 'threads' is not allowed; expected each key once per mapping"),
                Arguments.of("a Java type tag", HEAD.replace("[json]", "[!!java.net.URL [\"http://example.com\"]]") + FOOTPRINT,
                        "workloads[0]: 'tag:yaml.org,2002:java.net.URL' is not allowed; expected no YAML tags"),
                Arguments.of("a standard type tag", HEAD.replace("[1]", "[!!int 1]") + FOOTPRINT,
                        "threads[0]: 'tag:yaml.org,2002:int' is not allowed; expected no YAML tags"),
                Arguments.of("an alias bomb", bomb('h') + HEAD + FOOTPRINT,
                        "is not allowed; expected a smaller document"),
                Arguments.of("malformed YAML", HEAD.replace("[json]", "[json") + FOOTPRINT,
                        "is not allowed; expected well-formed YAML"),
                Arguments.of("a projection core count of 0", HEAD + "projection: {cores: [1, 2, 0]}\n",
                        "projection.cores[2]: '0' is not allowed; expected a whole number from 1 to 4096"),
                Arguments.of("a projection core count above the most", HEAD + "projection: {cores: [5000]}\n",
                        "projection.cores[0]: '5000' is not allowed; expected a whole number from 1 to 4096"),
                Arguments.of("a projection core count that is not a number", HEAD + "projection: {cores: [one]}\n",
                        "projection.cores[0]: 'one' is not allowed; expected a whole number from 1 to 4096"),
                Arguments.of("no projection core counts", HEAD + "projection: {cores: []}\n",
                        "projection.cores: '(a list)' is not allowed; expected a list of at least one item"),
                Arguments.of("a projection core count twice", HEAD + "projection: {cores: [1, 2, 2]}\n",
                        "projection.cores[2]: '2' is not allowed; expected each core count once"),
                Arguments.of("no counted requests", HEAD + "projection: {requests: 0}\n",
                        "projection.requests: '0' is not allowed; expected a whole number from 1 to 10000000"),
                Arguments.of("a projection of a composed configuration",
                        HEAD.replace("[gil]", "[{name: gil-x, base: gil}]") + "projection: {}\n",
                        "projection.configurations: 'gil-x' is not allowed; expected built-in configurations only"),
                Arguments.of("no measurements", HEAD,
                        "'no measurements' is not allowed; expected at least one of the sections"));
    }

    /** Ten x's, then each anchor a list of ten aliases of the one before, up to {@code last}: 10^n values. */
    static String bomb(char last) {
        StringBuilder b = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (char c = 'b'; c <= last; c++) {
            char p = (char) (c - 1);
            b.append(c).append(": &").append(c).append(" [").append(("*" + p + ", ").repeat(9)).append('*').append(p).append("]\n");
        }
        return b.toString();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isRefusedWithItsFieldValueAndWhatIsAllowedAndNothingIsWritten(String what, String yaml, String message) throws IOException {
        Path file = Files.writeString(dir.resolve("suite.yaml"), yaml);
        Path out = dir.resolve("out");

        CliRun run = CliRun.of("run", file.toString(), "--out", out.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).as(what).startsWith("pxlab: ").contains(message);
        assertThat(run.err().lines().count()).as("one line, no stack trace: %s", run.err()).isEqualTo(1);
        assertThat(out).doesNotExist();
    }

    @Test
    void aFileOverOneMebibyteIsRefusedUnread() throws IOException {
        Path file = Files.writeString(dir.resolve("big.yaml"), HEAD + FOOTPRINT + "#" + "x".repeat(SafeYaml.MAX_CHARACTERS) + "\n");
        Path out = dir.resolve("out");

        CliRun run = CliRun.of("run", file.toString(), "--out", out.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("bytes' is not allowed; expected a suite file of at most 1048576 bytes");
        assertThat(out).doesNotExist();
    }

    @Test
    void aSuiteThatIsNeitherBuiltInNorAFileIsRefused() {
        CliRun run = CliRun.of("run", "quik", "--out", dir.resolve("out").toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("SUITE: 'quik' is not allowed; expected a built-in suite [quick, headline, allocators, full]");
    }

    @Test
    void anAliasBombIsRefusedByTheReaderItself() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SafeYaml.read(bomb('j'), "bomb"))
                .hasMessageContaining("more than " + SafeYaml.MAX_VALUES + " values (aliases expanded)");
        // A few aliases are fine: the limit counts, it does not forbid.
        assertThat(SafeYaml.read("a: &a [1, 2]\nb: *a\n", "ok")).isEqualTo(java.util.Map.of("a", java.util.List.of("1", "2"),
                "b", java.util.List.of("1", "2")));
    }
}
