package org.pxlab.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.pxlab.runtime.discipline.PythonVersion;
import org.pxlab.runtime.spi.ComponentKind;
import org.pxlab.runtime.spi.ComponentParameters;
import org.pxlab.runtime.spi.ComponentProvider;
import org.pxlab.runtime.testkit.TestComponents;

/**
 * Name resolution and refusals, with stand-in components that declare only the properties
 * the checks read (thread safety, serialisation). The real components' registration is
 * tested where they live.
 */
class ComponentRegistryTest {
    private static ComponentRegistry registry() {
        return ComponentRegistry.of(TestComponents.providers(), List.of(TestComponents.serialized("serial")));
    }

    @Test
    void unknownConfigurationListsTheKnownOnes() {
        assertThatThrownBy(() -> registry().configuration("nogil"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'nogil'").hasMessageContaining("[serial]")
                .satisfies(e -> assertThat(((ConfigurationException) e).field()).isEqualTo("configuration"));
    }

    @Test
    void unknownComponentNamesItsFieldAndTheKnownNames() {
        ConfigurationDeclaration d = ConfigurationDeclaration.named("typo").sync("test-lock")
                .space("main", s -> s.allocator("size-clas-pool").refcount("test-plain").collector("test-none"))
                .place(Placement.ANY, "main").build();
        assertThatThrownBy(() -> registry().assemble(d))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("configuration typo.spaces.main.allocator")
                .hasMessageContaining("'size-clas-pool'")
                .hasMessageContaining("[test-safe-alloc, test-unsafe-alloc]");
    }

    @Test
    void missingSyncIsRefused() {
        ConfigurationDeclaration d = ConfigurationDeclaration.named("nosync")
                .space("main", s -> s.allocator("test-safe-alloc").refcount("test-plain").collector("test-none")).build();
        assertThatThrownBy(() -> registry().assemble(d)).hasMessageContaining("nosync.sync").hasMessageContaining("(missing)");
    }

    @Test
    void placementToAnUndeclaredSpaceIsRefused() {
        ConfigurationDeclaration d = ConfigurationDeclaration.named("p").sync("test-lock")
                .space("main", s -> s.allocator("test-safe-alloc").refcount("test-plain").collector("test-none"))
                .place(java.util.Set.of(Placement.PARALLEL_CONTEXT), "context").build();
        assertThatThrownBy(() -> registry().assemble(d)).hasMessageContaining("placements.parallel_context")
                .hasMessageContaining("'context'").hasMessageContaining("[main]");
    }

    @Test
    void unimplementedVersionIsRefusedWithTheImplementedOnes() {
        ConfigurationDeclaration d = ConfigurationDeclaration.named("v").models(PythonVersion.V3_14T).sync("test-lock")
                .space("main", s -> s.allocator("test-safe-alloc").refcount("test-plain").collector("test-none")).build();
        assertThatThrownBy(() -> registry().assemble(d)).hasMessageContaining("3.14t").hasMessageContaining("3.12");
    }

    @Test
    void optionsForAComponentTheSpaceDoesNotUseAreRefused() {
        ConfigurationDeclaration d = ConfigurationDeclaration.named("o").sync("test-lock")
                .space("main", s -> s.allocator("test-safe-alloc").refcount("test-plain").collector("test-none")
                        .option("bump-arena", "page-size", "4096")).build();
        assertThatThrownBy(() -> registry().assemble(d)).hasMessageContaining("bump-arena");
    }

    @Test
    void plainCountsWithoutSerialisationAreUnsafe() {
        ConfigurationDeclaration d = ConfigurationDeclaration.named("racy").sync("test-free")
                .space("main", s -> s.allocator("test-safe-alloc").refcount("test-plain").collector("test-none")).build();
        assertThatThrownBy(() -> registry().assemble(d))
                .isInstanceOf(UnsafeConfigurationException.class)
                .hasMessageContaining("racy").hasMessageContaining("refcount test-plain").hasMessageContaining("unsafe: true");
    }

    @Test
    void anUnsafeAllocatorWithoutSerialisationIsUnsafe() {
        ConfigurationDeclaration d = ConfigurationDeclaration.named("racy-heap").sync("test-free")
                .space("main", s -> s.allocator("test-unsafe-alloc").refcount("test-atomic").collector("test-none")).build();
        assertThatThrownBy(() -> registry().assemble(d)).isInstanceOf(UnsafeConfigurationException.class)
                .hasMessageContaining("allocator test-unsafe-alloc");
    }

    @Test
    void unsafeTrueBuildsTheControlAnyway() {
        ConfigurationDeclaration d = ConfigurationDeclaration.named("control").sync("test-free").unsafe(true)
                .space("main", s -> s.allocator("test-unsafe-alloc").refcount("test-plain").collector("test-none")).build();
        assertThat(registry().assemble(d).name()).isEqualTo("control");
    }

    @Test
    void aPrivateSpaceNeedsNoThreadSafety() {
        ConfigurationDeclaration d = ConfigurationDeclaration.named("private").sync("test-free")
                .space("main", s -> s.allocator("test-safe-alloc").refcount("test-atomic").collector("test-none"))
                .space("context", s -> s.allocator("test-unsafe-alloc").refcount("test-plain").collector("test-none").threadPrivate())
                .place(java.util.Set.of(Placement.PARALLEL_CONTEXT), "context").build();
        Configuration c = registry().assemble(d);
        assertThat(c.spaceFor(Placement.PARALLEL_CONTEXT)).isEqualTo(1);
        assertThat(c.spaceFor(Placement.MAIN)).as("unmapped placements use the first space").isZero();
    }

    @Test
    void eachAssemblyCreatesFreshInstances() {
        ComponentRegistry r = registry();
        assertThat(r.assemble("serial").spaces().get(0).allocator())
                .isNotSameAs(r.assemble("serial").spaces().get(0).allocator());
    }

    @Test
    void twoProvidersWithOneNameAreRefused() {
        ComponentProvider twin = new ComponentProvider() {
            public ComponentKind kind() { return ComponentKind.ALLOCATOR; }
            public String name() { return "test-safe-alloc"; }
            public String description() { return "twin"; }
            public Object create(ComponentParameters p) { return null; }
        };
        List<ComponentProvider> ps = new java.util.ArrayList<>(TestComponents.providers());
        ps.add(twin);
        assertThatThrownBy(() -> ComponentRegistry.of(ps, List.of())).hasMessageContaining("test-safe-alloc");
    }

    @Test
    void unknownAndMalformedOptionsNameTheFieldAndWhatIsAllowed() {
        ComponentParameters p = new ComponentParameters("size-class-pool", java.util.Map.of("max-bytes", "lots"));
        assertThatThrownBy(() -> p.longValue("max-bytes", 0, 1, 100))
                .hasMessageContaining("size-class-pool.max-bytes").hasMessageContaining("'lots'").hasMessageContaining("1 to 100");
        ComponentParameters q = new ComponentParameters("plain", java.util.Map.of("colour", "red"));
        assertThatThrownBy(q::checkAllUsed).hasMessageContaining("plain.colour").hasMessageContaining("takes none");
    }
}
