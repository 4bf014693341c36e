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

class ThreadShardedAllocatorProviderTest {
    private final ThreadShardedAllocatorProvider provider = new ThreadShardedAllocatorProvider();
    private final ThreadContext main = new ThreadContext(0, "main", Placement.MAIN);

    @Test
    void isTheThreadShardedAllocator() {
        assertThat(provider.name()).isEqualTo("thread-sharded");
        assertThat(provider.kind()).isEqualTo(ComponentKind.ALLOCATOR);
        assertThat(provider.description()).contains("mimalloc").contains("QSBR");
        Object created = provider.create(ComponentParameters.none("thread-sharded"));
        assertThat(created).isInstanceOf(ThreadShardedAllocator.class).isInstanceOf(provider.kind().type());
        Allocator a = (Allocator) created;
        assertThat(a.isThreadSafe()).isTrue();
        assertThat(a.statistics().reserved()).as("a fresh instance holds no memory").isZero();
        a.release();
    }

    @Test
    void isRegisteredAsAService() {
        assertThat(ServiceLoader.load(ComponentProvider.class).stream().map(ServiceLoader.Provider::type))
                .contains(ThreadShardedAllocatorProvider.class, LockedGlobalAllocatorProvider.class);
    }

    @Test
    void maxBytesBoundsWhatItReserves() {
        Allocator a = (Allocator) provider.create(new ComponentParameters("thread-sharded", Map.of("max-bytes", "1200000")));
        try {
            long small = a.allocate(16, main); // QSBR lines, the heap's line and a 1 MiB segment
            assertThatThrownBy(() -> a.allocate(200_000, main)).isInstanceOf(SimulatedOutOfMemoryError.class)
                    .hasMessageContaining("thread-sharded").hasMessageContaining("max-bytes 1200000");
            a.free(small, 16, main);
        } finally {
            a.release();
        }
    }

    @Test
    void theDeferredLimitIsAnOption() {
        ThreadShardedAllocator a = (ThreadShardedAllocator) provider.create(
                new ComponentParameters("thread-sharded", Map.of("qsbr-deferred-limit", "1")));
        try {
            assertThat(a.qsbrDomain().deferredAdvance(0)).isEqualTo(Qsbr.INITIAL + Qsbr.INCR);
            assertThat(a.qsbrDomain().current()).as("advanced at once").isEqualTo(Qsbr.INITIAL + Qsbr.INCR);
        } finally {
            a.release();
        }
        assertThatThrownBy(() -> provider.create(new ComponentParameters("thread-sharded", Map.of("qsbr-deferred-limit", "0"))))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("thread-sharded.qsbr-deferred-limit");
        assertThatThrownBy(() -> provider.create(new ComponentParameters("thread-sharded", Map.of("deferred-limit", "3"))))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("qsbr-deferred-limit");
    }
}
