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
    void badInputIsRefusedWithExit2() {
        CliRun run = CliRun.of("footprint", "gil", "json", "--requests", "-1");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).startsWith("pxlab: --requests: '-1' is not allowed; expected 0 to 1000000000");
    }
}
