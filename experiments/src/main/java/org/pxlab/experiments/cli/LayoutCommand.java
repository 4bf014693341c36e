package org.pxlab.experiments.cli;

import org.pxlab.runtime.layout.LayoutReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code pxlab layout CONFIG}: the configuration's object header field by field and the bytes
 * an object of each type takes, as {@link LayoutReport} renders it. The configuration is
 * assembled (so every name and option in it is checked) but never run: no simulated memory
 * is taken.
 */
@Command(name = "layout", mixinStandardHelpOptions = true,
        description = "Prints a configuration's object header and per-type object sizes.")
final class LayoutCommand implements Runnable {
    @ParentCommand
    private PxlabCommand pxlab;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "CONFIG", description = "A configuration name, as `pxlab list` shows them.")
    private String configuration;

    @Override
    public void run() {
        var out = spec.commandLine().getOut();
        out.print(LayoutReport.render(pxlab.registry().assemble(configuration)));
        out.flush();
    }
}
