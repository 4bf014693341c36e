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

class LockedGlobalAllocatorProviderTest {
    private final LockedGlobalAllocatorProvider provider = new LockedGlobalAllocatorProvider();

    @Test
    void isTheLockedGlobalAllocator() {
        assertThat(provider.name()).isEqualTo("locked-global");
        assertThat(provider.kind()).isEqualTo(ComponentKind.ALLOCATOR);
        Object created = provider.create(ComponentParameters.none("locked-global"));
        assertThat(created).isInstanceOf(LockedGlobalAllocator.class).isInstanceOf(provider.kind().type());
        Allocator a = (Allocator) created;
        assertThat(a.isThreadSafe()).isTrue();
        assertThat(a.statistics().reserved()).as("a fresh instance holds no memory").isZero();
        a.release();
    }

    @Test
    void isRegisteredAsAService() {
        assertThat(ServiceLoader.load(ComponentProvider.class).stream().map(ServiceLoader.Provider::type))
                .contains(LockedGlobalAllocatorProvider.class);
    }

    @Test
    void maxBytesBoundsWhatItReserves() {
        Allocator a = (Allocator) provider.create(new ComponentParameters("locked-global", Map.of("max-bytes", "100000")));
        ThreadContext main = new ThreadContext(0, "main", Placement.MAIN);
        try {
            long large = a.allocate(60_000, main);
            assertThatThrownBy(() -> a.allocate(16, main)).isInstanceOf(SimulatedOutOfMemoryError.class)
                    .hasMessageContaining("locked-global").hasMessageContaining("max-bytes 100000");
            // The failed call released the lock.
            a.free(large, 60_000, main);
            assertThat(((LockedGlobalAllocator) a).mutex().isLocked()).isFalse();
        } finally {
            a.release();
        }
    }

    @Test
    void spinCountIsAnOption() {
        LockedGlobalAllocator a = (LockedGlobalAllocator) provider.create(
                new ComponentParameters("locked-global", Map.of("spin-count", "0")));
        a.release();
        assertThatThrownBy(() -> provider.create(new ComponentParameters("locked-global", Map.of("spin-count", "-1"))))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("locked-global.spin-count");
        assertThatThrownBy(() -> provider.create(new ComponentParameters("locked-global", Map.of("spin", "3"))))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("spin-count");
    }
}
