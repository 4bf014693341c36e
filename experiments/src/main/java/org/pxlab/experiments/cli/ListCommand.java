package org.pxlab.experiments.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.stream.Stream;
import org.pxlab.experiments.suite.BuiltInSuites;
import org.pxlab.experiments.workload.Workloads;
import org.pxlab.runtime.config.ComponentRegistry;
import org.pxlab.runtime.spi.ComponentKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code pxlab list}: every registered component, grouped by kind, every configuration, every
 * workload and the built-in suites, each with its one-line description. It shows what is on the class path, so it is also how
 * one checks that a plug-in jar was picked up.
 */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "Lists the components (by kind), the configurations, the workloads and the built-in suites.")
final class ListCommand implements Runnable {
    @ParentCommand
    private PxlabCommand pxlab;

    @Spec
    private CommandSpec spec;

    /** One line of the listing. */
    private record Row(String name, String description) {}

    /** A titled group of rows. */
    private record Section(String title, List<Row> rows) {}

    @Override
    public void run() {
        ComponentRegistry registry = pxlab.registry();
        List<Section> sections = Stream.concat(
                Stream.of(ComponentKind.values()).map(kind -> new Section(kind.label() + " components",
                        registry.components(kind).stream().map(p -> new Row(p.name(), p.description())).toList())),
                Stream.of(new Section("configurations",
                        registry.configurations().stream().map(d -> new Row(d.name(), d.description())).toList()),
                        new Section("workloads",
                                Workloads.load().all().stream().map(w -> new Row(w.name(), w.description())).toList()),
                        new Section("suites (pxlab run SUITE)",
                                BuiltInSuites.NAMES.stream().map(n -> new Row(n, BuiltInSuites.description(n))).toList())))
                .toList();
        // One name column for the whole listing, so descriptions line up across sections.
        int width = sections.stream().flatMap(s -> s.rows().stream()).mapToInt(r -> r.name().length()).max().orElse(0);
        PrintWriter out = spec.commandLine().getOut();
        String separator = "";
        for (Section s : sections) {
            out.print(separator);
            out.println(s.title() + ":");
            if (s.rows().isEmpty()) out.println("  (none registered)");
            for (Row r : s.rows()) out.printf("  %-" + width + "s  %s%n", r.name(), r.description());
            separator = System.lineSeparator();
        }
        out.flush();
    }
}
