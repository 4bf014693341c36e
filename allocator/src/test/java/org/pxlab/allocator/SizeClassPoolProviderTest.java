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

class SizeClassPoolProviderTest {
    private final SizeClassPoolProvider provider = new SizeClassPoolProvider();

    @Test
    void isTheSizeClassPoolAllocator() {
        assertThat(provider.name()).isEqualTo("size-class-pool");
        assertThat(provider.kind()).isEqualTo(ComponentKind.ALLOCATOR);
        assertThat(provider.description()).contains("pymalloc");
        Object created = provider.create(ComponentParameters.none("size-class-pool"));
        assertThat(created).isInstanceOf(SizeClassPool.class).isInstanceOf(provider.kind().type());
        assertThat(((Allocator) created).statistics().reserved()).as("a fresh instance holds no memory").isZero();
    }

    @Test
    void isRegisteredAsAService() {
        assertThat(ServiceLoader.load(ComponentProvider.class).stream().map(ServiceLoader.Provider::type))
                .contains(SizeClassPoolProvider.class, MallocAllocatorProvider.class);
    }

    @Test
    void maxBytesBoundsWhatItReserves() {
        Allocator a = (Allocator) provider.create(new ComponentParameters("size-class-pool", Map.of("max-bytes", "100000")));
        ThreadContext main = new ThreadContext(0, "main", Placement.MAIN);
        try {
            long large = a.allocate(60_000, main);
            assertThatThrownBy(() -> a.allocate(16, main)).isInstanceOf(SimulatedOutOfMemoryError.class)
                    .hasMessageContaining("max-bytes 100000");
            a.free(large, 60_000, main);
        } finally {
            a.release();
        }
    }

    @Test
    void refusesUnknownAndMalformedOptions() {
        assertThatThrownBy(() -> provider.create(new ComponentParameters("size-class-pool", Map.of("max-byte", "10"))))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("size-class-pool.max-byte")
                .hasMessageContaining("max-bytes");
        assertThatThrownBy(() -> provider.create(new ComponentParameters("size-class-pool", Map.of("max-bytes", "lots"))))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("size-class-pool.max-bytes");
        assertThatThrownBy(() -> provider.create(new ComponentParameters("size-class-pool", Map.of("max-bytes", "0"))))
                .isInstanceOf(ConfigurationException.class);
    }
}
