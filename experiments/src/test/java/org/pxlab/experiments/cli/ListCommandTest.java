package org.pxlab.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pxlab.runtime.testkit.NoCollectorProvider;
import org.pxlab.experiments.cli.fixtures.SerialSyncProvider;
import org.pxlab.runtime.config.ComponentRegistry;
import org.pxlab.runtime.spi.ComponentKind;
import org.pxlab.runtime.spi.ComponentProvider;

class ListCommandTest {

    @Test
    void listsEveryComponentUnderItsKindWithItsDescription() {
        CliRun run = CliRun.of("list");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.err()).isEmpty();
        Map<String, List<String>> sections = sections(run);
        ComponentRegistry registry = ComponentRegistry.load();
        for (ComponentKind kind : ComponentKind.values()) {
            List<String> lines = sections.get(kind.label() + " components");
            assertThat(lines).as("section of %s components in%n%s", kind.label(), run.out()).isNotNull();
            for (ComponentProvider p : registry.components(kind)) {
                assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("  " + p.name() + " ").endsWith(p.description()));
            }
        }
    }

    @Test
    void namesTheBuiltInComponentsAndTheTestOnes() {
        Map<String, List<String>> sections = sections(CliRun.of("list"));

        assertThat(names(sections.get("allocator components"))).contains("malloc");
        assertThat(names(sections.get("refcount components"))).contains("plain");
        assertThat(names(sections.get("sync components"))).contains(SerialSyncProvider.NAME);
        assertThat(names(sections.get("collector components"))).contains(NoCollectorProvider.NAME);
    }

    @Test
    void listsTheGilConfigurationWithItsDescription() {
        List<String> configurations = sections(CliRun.of("list")).get("configurations");

        assertThat(configurations).anySatisfy(line -> assertThat(line)
                .startsWith("  gil ")
                .endsWith("CPython <= 3.12: one global interpreter lock; pymalloc, plain refcounts, cycle GC"));
    }

    @Test
    void listsTheBuiltInSuitesWithTheirDescriptions() {
        List<String> suites = sections(CliRun.of("list")).get("suites (pxlab run SUITE)");

        assertThat(names(suites)).containsExactly("quick", "headline", "allocators", "full");
        assertThat(suites).anySatisfy(line -> assertThat(line).startsWith("  quick ").contains("gil, split-brain, fine-grained"));
    }

    @Test
    void listsTheGilSyncDiscipline() {
        assertThat(names(sections(CliRun.of("list")).get("sync components"))).contains("gil");
    }

    @Test
    void alignsDescriptionsInOneColumn() {
        CliRun run = CliRun.of("list");

        // Every row is "  NAME  DESCRIPTION" with NAME padded to the longest name.
        List<Integer> starts = run.outLines().stream()
                .filter(line -> line.startsWith("  ") && !line.equals("  (none registered)"))
                .map(ListCommandTest::descriptionColumn)
                .distinct()
                .toList();
        assertThat(starts).as(run.out()).hasSize(1);
    }

    /** Where the description starts: after the name and the run of spaces that pads it. */
    private static int descriptionColumn(String line) {
        int i = 2;
        while (line.charAt(i) != ' ') i++;
        while (line.charAt(i) == ' ') i++;
        return i;
    }

    /** The output's sections: title (without the colon) to its indented lines. */
    private static Map<String, List<String>> sections(CliRun run) {
        Map<String, List<String>> sections = new LinkedHashMap<>();
        List<String> current = null;
        for (String line : run.outLines()) {
            if (line.endsWith(":") && !line.startsWith(" ")) {
                current = new ArrayList<>();
                sections.put(line.substring(0, line.length() - 1), current);
            } else if (line.startsWith("  ") && current != null) {
                current.add(line);
            }
        }
        return sections;
    }

    private static List<String> names(List<String> lines) {
        return lines.stream().map(line -> line.strip().split(" ", 2)[0]).toList();
    }

    @Test
    void listsEveryRegisteredWorkloadWithItsDescription() {
        List<String> lines = sections(CliRun.of("list")).get("workloads");
        List<org.pxlab.runtime.serve.Workload> all = org.pxlab.experiments.workload.Workloads.load().all();
        assertThat(names(lines)).containsExactlyInAnyOrderElementsOf(all.stream().map(org.pxlab.runtime.serve.Workload::name).toList())
                .contains("plaintext", "db", "queries", "fortunes", "updates", "fan-out", "shared-counter", "larson", "xmalloc",
                        "cache-scratch", "cache-thrash", "alloc-test", "pure-compute");
        for (org.pxlab.runtime.serve.Workload w : all) {
            assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("  " + w.name() + " ").endsWith(w.description()));
        }
    }

    @Test
    void listsTheSeedWorkloads() {
        assertThat(names(sections(CliRun.of("list")).get("workloads"))).contains("json", "wiki-search", "hot-shared-object");
    }
}
