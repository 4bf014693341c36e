package org.pxlab.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.pxlab.experiments.cli.fixtures.MallocPlainConfiguration;
import org.pxlab.experiments.cli.fixtures.UnknownAllocatorConfiguration;

class LayoutCommandTest {

    @Test
    void printsTheHeaderOfAnAssemblableConfiguration() {
        CliRun run = CliRun.of("layout", MallocPlainConfiguration.NAME);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out())
                .startsWith("configuration " + MallocPlainConfiguration.NAME + ": ")
                .containsPattern("(?m)^ +0 +8  ob_refcnt +plain$")
                .containsPattern("(?m)^ +8 +8  ob_type +runtime$")
                .contains("space main: allocator malloc, refcount plain");
    }

    @Test
    void printsTheHeaderOfTheGilConfiguration() {
        CliRun run = CliRun.of("layout", "gil");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).startsWith("configuration gil: ").contains("ob_refcnt", "ob_type");
    }

    @Test
    void anUnknownConfigurationIsAUserErrorThatListsTheKnownOnes() {
        CliRun run = CliRun.of("layout", "no-such-configuration");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err())
                .startsWith("pxlab: ")
                .contains("'no-such-configuration'", "gil", MallocPlainConfiguration.NAME)
                .hasLineCount(1);
        assertNoStackTrace(run);
    }

    @Test
    void anUnknownComponentIsAUserErrorThatNamesItAndListsTheKnownOnes() {
        CliRun run = CliRun.of("layout", UnknownAllocatorConfiguration.NAME);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err())
                .startsWith("pxlab: configuration " + UnknownAllocatorConfiguration.NAME + ".spaces.main.allocator: ")
                .contains("'" + UnknownAllocatorConfiguration.ALLOCATOR + "'", "malloc")
                .hasLineCount(1);
        assertNoStackTrace(run);
    }

    @Test
    void aMissingConfigurationNameIsAUsageError() {
        CliRun run = CliRun.of("layout");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Missing required parameter: 'CONFIG'", "Usage: pxlab layout");
    }

    static void assertNoStackTrace(CliRun run) {
        assertThat(run.err()).doesNotContain("Exception", "\tat ");
    }
}
