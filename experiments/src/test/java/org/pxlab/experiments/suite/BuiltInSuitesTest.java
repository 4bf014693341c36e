package org.pxlab.experiments.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.pxlab.experiments.workload.Workloads;
import org.pxlab.runtime.config.ComponentRegistry;
import org.pxlab.runtime.spi.ComponentKind;

/** Every built-in suite passes the same checks as a user's file, and holds what its description promises. */
class BuiltInSuitesTest {
    static final List<String> NAMES = BuiltInSuites.NAMES;
    private static final ComponentRegistry REGISTRY = ComponentRegistry.load();

    private static Suite parse(String name) {
        return new SuiteParser(REGISTRY, Workloads.load()).parse(BuiltInSuites.text(name), name);
    }

    @ParameterizedTest
    @FieldSource("NAMES")
    void isValidWithUniqueFilesystemSafeIds(String name) {
        Suite suite = parse(name);

        assertThat(suite.name()).isEqualTo(name);
        assertThat(suite.measurements()).isNotEmpty();
        assertThat(suite.measurements()).extracting(Measurement::id).doesNotHaveDuplicates()
                .allSatisfy(id -> assertThat(id).matches("[a-z0-9.-]+"));
        assertThat(BuiltInSuites.description(name)).isNotBlank();
    }

    @Test
    void quickIsTheFourDesignsOnTheFourServingWorkloadsWithTwoForks() {
        List<Measurement> throughput = parse("quick").measurements().stream().filter(m -> m.kind() == Kind.THROUGHPUT).toList();

        assertThat(throughput).extracting(Measurement::configuration).containsOnly("gil", "split-brain", "fine-grained",
                "free-threaded");
        assertThat(throughput).extracting(Measurement::workload).containsOnly("json", "fortunes", "wiki-search", "hot-shared-object");
        assertThat(throughput).extracting(Measurement::threads).containsOnly(1, 2);
        assertThat(throughput).hasSize(4 * 4 * 2);
        assertThat(throughput).allSatisfy(m -> assertThat(Integer.parseInt(m.setting("forks"))).isGreaterThanOrEqualTo(2));
        Map<Kind, Long> kinds = parse("quick").measurements().stream().collect(Collectors.groupingBy(Measurement::kind, Collectors.counting()));
        assertThat(kinds).containsEntry(Kind.LATENCY, 4L).containsEntry(Kind.STRESS, 4L).containsKey(Kind.FOOTPRINT);
    }

    @Test
    void quickProjectsEachOfItsThroughputPairsTo64CoresAfterEveryOtherMeasurement() {
        List<Measurement> all = parse("quick").measurements();
        List<Measurement> projections = all.stream().filter(m -> m.kind() == Kind.PROJECTION).toList();
        Set<String> measured = all.stream().filter(m -> m.kind() == Kind.THROUGHPUT)
                .map(m -> m.configuration() + " " + m.workload()).collect(Collectors.toSet());

        assertThat(projections).extracting(m -> m.configuration() + " " + m.workload()).containsExactlyInAnyOrderElementsOf(measured);
        assertThat(projections).allSatisfy(m -> assertThat(m.setting("cores")).isEqualTo("1,2,4,8,16,32,64"));
        assertThat(all.subList(all.size() - projections.size(), all.size())).isEqualTo(projections);
    }

    @Test
    void allocatorsRunsEveryRegisteredAllocator() {
        Set<String> used = parse("allocators").measurements().stream()
                .flatMap(m -> m.components().entrySet().stream())
                .filter(e -> e.getKey().endsWith("allocator"))
                .map(Map.Entry::getValue)
                .collect(Collectors.toSet());

        assertThat(used).containsAll(REGISTRY.names(ComponentKind.ALLOCATOR).stream()
                .filter(n -> !n.startsWith("test-") && REGISTRY.components(ComponentKind.ALLOCATOR).stream()
                        .anyMatch(p -> p.name().equals(n) && p.getClass().getName().startsWith("org.pxlab.allocator.")))
                .toList());
        assertThat(parse("allocators").measurements()).extracting(Measurement::workload)
                .containsOnly("larson", "xmalloc", "cache-scratch", "cache-thrash", "alloc-test");
    }

    @Test
    void fullRunsEveryWorkloadOnEveryBuiltInConfiguration() {
        Suite full = parse("full");

        assertThat(full.measurements()).extracting(Measurement::workload).filteredOn(w -> !w.isEmpty())
                .containsAll(Workloads.load().all().stream().map(w -> w.name()).toList());
        assertThat(full.measurements()).extracting(Measurement::configuration)
                .contains("gil", "split-brain", "fine-grained", "fine-grained-global", "free-threaded-3.13", "free-threaded",
                        "subinterpreters", "multiprocessing", "actors");
    }

    @Test
    void aComposedConfigurationTravelsAsTextAndAssemblesAgain() {
        Measurement m = parse("allocators").measurements().stream()
                .filter(x -> x.configuration().equals("gil-malloc")).findFirst().orElseThrow();

        assertThat(m.components()).containsEntry("allocator", "malloc").containsEntry("sync", "gil");
        var configuration = Composition.assemble(REGISTRY, m.configuration(), m.composition());
        assertThat(configuration.declaration().spaces().getFirst().allocator()).isEqualTo("malloc");
        assertThat(configuration.declaration().sync()).isEqualTo(REGISTRY.configuration("gil").sync());
    }
}
