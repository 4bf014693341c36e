package org.pxlab.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FootprintCommandTest {

    @Test
    void printsEachSpaceAfterSetUpAndAfterServingAndTheComponentsJavaObjects() {
        CliRun run = CliRun.of("footprint", "split-brain", "json", "--requests", "300", "--workers", "2");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out())
                .startsWith("footprint: json on split-brain; object header 40 bytes in every space")
                .contains("after set-up", "after serving 300 requests on 2 workers")
                .containsPattern("(?m)^  context \\(bump-arena, [1-9][0-9]* arenas summed\\) +[0-9]+")
                .containsPattern("(?m)^  sync split-brain +[1-9][0-9]* +[1-9][0-9]*$");
    }

    @Test
    void timesTheSetUpAndEachRequestOfAWikiSearchQuery() {
        CliRun run = CliRun.of("footprint", "gil", "wiki-search", "-o", "titles=5000", "-o", "query-hits=100",
                "--requests", "4", "--time-each", "--no-jvm");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out())
                .containsPattern("(?m)^set-up: [0-9]+\\.[0-9]{3} s wall, [1-9][0-9]{4,} objects allocated$")
                .containsPattern("(?m)^request wall time, ms, 4 requests one at a time: mean [0-9.]+, sd [0-9.]+, "
                        + "min [0-9.]+, median [0-9.]+, max [0-9.]+$")
                .containsPattern("(?m)^  in order:( [0-9]+\\.[0-9]{3}){4}$")
                .contains("after serving 4 requests on 1 worker");
    }

    @Test
    void tooManyTimedRequestsAreRefusedBeforeTheSetUp() {
        CliRun run = CliRun.of("footprint", "gil", "json", "--requests", "1000001", "--time-each");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).startsWith("pxlab: --requests: '1000001' is not allowed; expected 0 to 1000000 with --time-each");
    }

    @Test
    void badInputIsRefusedWithExit2() {
        CliRun run = CliRun.of("footprint", "gil", "json", "--requests", "-1");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).startsWith("pxlab: --requests: '-1' is not allowed; expected 0 to 1000000000");
    }
}
