package org.pxlab.experiments.cli;

import java.util.function.Supplier;
import org.pxlab.runtime.config.ComponentRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The top command, {@code pxlab}. It does nothing itself (it is not {@link Runnable}, so
 * picocli reports a missing subcommand as a usage error) and hands its subcommands the
 * registry they read.
 */
@Command(name = "pxlab",
        description = "Simulates Python memory models (PyParallel's split heap, the GIL, free-threading) side by side.",
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersion.class,
        subcommands = {RunCommand.class, ListCommand.class, LayoutCommand.class, LatencyCommand.class, FootprintCommand.class,
                StressCommand.class, ReportCommand.class, CompareCommand.class, ProjectCommand.class,
                CommandLine.HelpCommand.class})
public final class PxlabCommand {
    private final Supplier<ComponentRegistry> registry;

    /** @param registry where subcommands find components and configurations; called at most once per subcommand run */
    public PxlabCommand(Supplier<ComponentRegistry> registry) {
        this.registry = registry;
    }

    /** Loads the registry (lazily, so {@code pxlab --help} never touches the class path's providers). */
    ComponentRegistry registry() {
        return registry.get();
    }

    /**
     * The command line as {@code pxlab.jar} runs it, with pxlab's handling of user errors.
     *
     * @param registry where subcommands find components and configurations; tests pass their own
     */
    public static CommandLine commandLine(Supplier<ComponentRegistry> registry) {
        return new CommandLine(new PxlabCommand(registry))
                .setExecutionExceptionHandler(new ConfigurationErrorHandler());
    }
}
