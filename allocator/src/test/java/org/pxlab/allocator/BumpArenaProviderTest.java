package org.pxlab.allocator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.pxlab.runtime.config.ConfigurationException;
import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.memory.SimulatedOutOfMemoryError;
import org.pxlab.runtime.spi.Allocator;
import org.pxlab.runtime.spi.ComponentKind;
import org.pxlab.runtime.spi.ComponentParameters;
import org.pxlab.runtime.spi.ComponentProvider;

class BumpArenaProviderTest {
    private final BumpArenaProvider provider = new BumpArenaProvider();
    private final ThreadContext main = new ThreadContext(0, "main", Placement.MAIN);

    private BumpArena create(Map<String, String> options) {
        return (BumpArena) provider.create(new ComponentParameters("bump-arena", options));
    }

    @Test
    void isTheBumpArenaWithPyParallelsDefaults() {
        assertThat(provider.name()).isEqualTo("bump-arena");
        assertThat(provider.kind()).isEqualTo(ComponentKind.ALLOCATOR);
        assertThat(provider.description()).contains("PyParallel");
        Object created = provider.create(ComponentParameters.none("bump-arena"));
        assertThat(created).isInstanceOf(BumpArena.class).isInstanceOf(provider.kind().type());
        BumpArena arena = (BumpArena) created;
        assertThat(arena.pageSize()).isEqualTo(4096);
        assertThat(arena.hasSizePrefix()).isTrue();
        assertThat(arena.isThreadSafe()).isFalse();
        assertThat(arena.statistics().reserved()).as("a fresh instance holds no memory").isZero();
        assertThat(provider.create(ComponentParameters.none("bump-arena"))).as("a fresh instance per call").isNotSameAs(created);
    }

    @Test
    void isRegisteredAsAService() {
        assertThat(ServiceLoader.load(ComponentProvider.class).stream().map(ServiceLoader.Provider::type))
                .contains(BumpArenaProvider.class, SizeClassPoolProvider.class, MallocAllocatorProvider.class);
    }

    @Test
    void optionsSetPageSizePrefixAndLimit() {
        BumpArena arena = create(Map.of("page-size", "65536", "size-prefix", "false", "max-bytes", "131072"));
        try {
            assertThat(arena.pageSize()).isEqualTo(65536);
            assertThat(arena.hasSizePrefix()).isFalse();
            long first = arena.allocate(16, main);
            assertThat(arena.allocate(16, main) - first).as("no prefix: 16-byte slots").isEqualTo(16);
            assertThat(arena.statistics().reserved()).isEqualTo(65536);
            arena.allocate(65_000, main); // fits the first page's rest
            arena.allocate(65_000, main); // a second page, the limit
            assertThat(arena.statistics().reserved()).isEqualTo(131072);
            assertThatThrownBy(() -> arena.allocate(65_000, main)).isInstanceOf(SimulatedOutOfMemoryError.class)
                    .hasMessageContaining("max-bytes 131072");
        } finally {
            arena.release();
        }
        Allocator large = create(Map.of("page-size", "2097152"));
        assertThat(((BumpArena) large).pageSize()).isEqualTo(2L << 20);
    }

    @Test
    void refusesUnknownAndMalformedOptions() {
        assertThatThrownBy(() -> create(Map.of("page-size", "6000"))).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("bump-arena.page-size").hasMessageContaining("power of two");
        assertThatThrownBy(() -> create(Map.of("page-size", "2048"))).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("bump-arena.page-size");
        assertThatThrownBy(() -> create(Map.of("page-size", "4194304"))).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("bump-arena.page-size");
        assertThatThrownBy(() -> create(Map.of("size-prefix", "yes"))).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("bump-arena.size-prefix").hasMessageContaining("true or false");
        assertThatThrownBy(() -> create(Map.of("max-bytes", "0"))).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("bump-arena.max-bytes");
        assertThatThrownBy(() -> create(Map.of("pagesize", "4096"))).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("bump-arena.pagesize").hasMessageContaining("page-size");
    }
}
