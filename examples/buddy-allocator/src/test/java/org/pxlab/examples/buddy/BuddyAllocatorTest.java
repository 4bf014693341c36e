package org.pxlab.examples.buddy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pxlab.runtime.config.ComponentRegistry;
import org.pxlab.runtime.config.ConfigurationException;
import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.spi.Allocator;
import org.pxlab.runtime.spi.ComponentKind;

/** The buddy system's own behaviour: splitting, buddies, coalescing, oversized regions, its checks. */
class BuddyAllocatorTest {
    private final ThreadContext t = new ThreadContext(0, "test", Placement.MAIN);
    private final BuddyAllocator a = new BuddyAllocator(4096);

    @AfterEach
    void release() {
        a.release();
    }

    @Test
    void requestsRoundUpToPowersOfTwoFromSixteen() {
        assertThat(BuddyAllocator.orderOf(1)).isEqualTo(4);
        assertThat(BuddyAllocator.orderOf(16)).isEqualTo(4);
        assertThat(BuddyAllocator.orderOf(17)).isEqualTo(5);
        assertThat(BuddyAllocator.orderOf(4096)).isEqualTo(12);
        assertThat(BuddyAllocator.orderOf(4097)).isEqualTo(13);
    }

    @Test
    void splittingHandsOutBuddiesSideBySideAndFreeingCoalescesThemWhole() {
        long first = a.allocate(16, t);
        long second = a.allocate(16, t);
        // Algorithm R splits 4096 down to 16 and keeps the lower half each time: the next 16 is first's buddy.
        assertThat(second).isEqualTo(first + 16);
        long thirtyTwo = a.allocate(32, t);
        assertThat(thirtyTwo).isEqualTo(first + 32);
        assertThat(a.statistics().inUse()).isEqualTo(64);
        a.free(first, 16, t);
        a.free(second, 16, t);
        a.free(thirtyTwo, 32, t);
        // All coalesced back: the whole region is one free block, so a 4096 request gets the region's start.
        long whole = a.allocate(4096, t);
        assertThat(whole).isEqualTo(first);
        assertThat(a.statistics().reserved()).isEqualTo(4096 + 4096 / 16);
    }

    @Test
    void aBlockDoesNotCoalesceWithAReservedBuddy() {
        long first = a.allocate(16, t);
        long second = a.allocate(16, t);
        a.free(first, 16, t);
        // first's buddy (second) is reserved: first stays a 16-byte free block and comes back for the next 16.
        assertThat(a.allocate(16, t)).isEqualTo(first);
        assertThat(a.allocate(32, t)).isEqualTo(first + 32);
        a.free(second, 16, t);
    }

    @Test
    void anOversizedRequestGetsARegionOfItsOwnReturnedWhenFreed() {
        long small = a.allocate(16, t);
        long reservedBefore = a.statistics().reserved();
        long big = a.allocate(10_000, t); // order 14: a 16 KiB region beside the 4 KiB one
        assertThat(a.statistics().reserved()).isEqualTo(reservedBefore + 16384 + 16384 / 16);
        Map<Long, Long> live = new TreeMap<>();
        a.walk(live::put);
        assertThat(live).containsEntry(small, 16L).containsEntry(big, 16384L).hasSize(2);
        a.free(big, 10_000, t);
        assertThat(a.statistics().reserved()).isEqualTo(reservedBefore);
        a.free(small, 16, t);
    }

    @Test
    void aDoubleFreeOrAWrongSizeIsRefusedBeforeTheListsAreTouched() {
        long p = a.allocate(100, t);
        assertThatThrownBy(() -> a.free(p, 16, t)).isInstanceOf(IllegalStateException.class).hasMessageContaining("not of a reserved block");
        a.free(p, 100, t);
        assertThatThrownBy(() -> a.free(p, 100, t)).isInstanceOf(IllegalStateException.class).hasMessageContaining("freed twice");
        assertThatThrownBy(() -> a.free(p + 16, 16, t)).isInstanceOf(IllegalStateException.class);
        assertThat(a.statistics().liveBlocks()).isZero();
    }

    @Test
    void theRegistryFindsItAndChecksItsOption() {
        ComponentRegistry registry = ComponentRegistry.load();
        assertThat(registry.names(ComponentKind.ALLOCATOR)).contains("buddy");
        Allocator made = registry.create(ComponentKind.ALLOCATOR, "buddy", "test", Map.of("region-bytes", "8192"), Allocator.class);
        assertThat(made).isInstanceOf(BuddyAllocator.class);
        made.release();
        assertThatThrownBy(() -> registry.create(ComponentKind.ALLOCATOR, "buddy", "test", Map.of("region-bytes", "5000"), Allocator.class))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("buddy.region-bytes").hasMessageContaining("power of two");
    }
}
