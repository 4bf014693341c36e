package org.pxlab.allocator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.exec.ThreadContext;

/**
 * {@link BumpArena#bytesSince}: the bytes a rollback to a snapshot would give back, read as a
 * request's arena high-water. Slot sizes are written out from the model (an 8-byte prefix, slots
 * rounded up to 16 bytes), not taken from the class.
 */
class BumpArenaBytesSinceTest {
    final ThreadContext main = new ThreadContext(0, "main", Placement.MAIN);
    final BumpArena arena = new BumpArena();

    @AfterEach
    void release() {
        arena.release();
    }

    @Test
    void countsTheSlotsHandedOutSinceTheSnapshotFreedOrNot() {
        arena.allocate(100, main);                            // before the snapshot: not counted
        long s = arena.snapshot();
        assertThat(arena.bytesSince(s)).isZero();
        long a = arena.allocate(16, main);                    // 8 + 16 -> 32
        arena.allocate(25, main);                             // 8 + 25 -> 48
        assertThat(arena.bytesSince(s)).isEqualTo(80);
        arena.free(a, 16, main);                              // a bump arena reclaims nothing until the rollback
        assertThat(arena.bytesSince(s)).isEqualTo(80);
        assertThat(arena.statistics().inUse() - 112).as("in use since, which the free did lower").isEqualTo(48);
    }

    @Test
    void nestedSnapshotsEachCountFromTheirOwnPositionAndARollbackEndsTheNewer() {
        long outer = arena.snapshot();
        arena.allocate(24, main);                             // 32
        long inner = arena.snapshot();
        arena.allocate(1, main);                              // 16
        assertThat(arena.bytesSince(inner)).isEqualTo(16);
        assertThat(arena.bytesSince(outer)).isEqualTo(48);

        arena.rollback(inner);
        assertThat(arena.bytesSince(inner)).as("after a rollback to it").isZero();
        assertThat(arena.bytesSince(outer)).isEqualTo(32);

        arena.rollback(outer);
        assertThatThrownBy(() -> arena.bytesSince(inner)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is no longer live");
    }

    @Test
    void aBlockLargerThanAPageCountsItsSlotAndAPagesUnusedTailDoesNot() {
        long s = arena.snapshot();
        for (int i = 0; i < 127; i++) arena.allocate(24, main);   // 127 slots of 32 fill a page but for 24 bytes
        arena.allocate(24, main);                                  // does not fit: the next page
        assertThat(arena.bytesSince(s)).isEqualTo(128 * 32);
        arena.allocate(10_000, main);                              // its own chunk: slot 10,008 -> 10,016
        assertThat(arena.bytesSince(s)).isEqualTo(128 * 32 + 10_016);
    }

    @Test
    void aHandleOfAnotherArenaIsRefused() {
        BumpArena other = new BumpArena();
        try {
            long foreign = other.snapshot();
            assertThatThrownBy(() -> arena.bytesSince(foreign)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("is not a snapshot of this arena");
        } finally {
            other.release();
        }
    }
}
