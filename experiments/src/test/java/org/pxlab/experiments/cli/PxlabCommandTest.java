package org.pxlab.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PxlabCommandTest {

    @Test
    void anUnknownSubcommandIsAUsageError() {
        CliRun run = CliRun.of("frobnicate");

        assertThat(run.exitCode()).isEqualTo(2);
        // Picocli prints the usage, or instead its guess at a similar subcommand when it has one.
        assertThat(run.err()).contains("frobnicate").containsAnyOf("Usage: pxlab", "Did you mean: pxlab ");
        LayoutCommandTest.assertNoStackTrace(run);
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        CliRun run = CliRun.of("list", "--frobnicate");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Unknown option: '--frobnicate'", "Usage: pxlab list");
        LayoutCommandTest.assertNoStackTrace(run);
    }

    @Test
    void noSubcommandIsAUsageError() {
        CliRun run = CliRun.of();

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Missing required subcommand", "list", "layout");
    }

    @Test
    void helpListsTheSubcommands() {
        CliRun run = CliRun.of("--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Usage: pxlab", "list", "layout", "help");
    }

    @Test
    void versionNamesPxlab() {
        CliRun run = CliRun.of("--version");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("pxlab ");
    }
}
