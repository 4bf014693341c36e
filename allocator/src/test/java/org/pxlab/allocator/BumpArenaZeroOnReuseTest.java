package org.pxlab.allocator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.spi.ComponentParameters;

/**
 * {@code zeroing: on-reuse}: a rollback zeroes nothing (it is O(1) in bytes), and every block
 * is still handed out zeroed, including blocks that reuse rolled-back bytes in the current
 * chunk, in chunks the bump had left, and in a large block's own chunk.
 */
class BumpArenaZeroOnReuseTest {
    private final ThreadContext thread = new ThreadContext(0, "main", Placement.MAIN);
    private final List<BumpArena> arenas = new ArrayList<>();

    private BumpArena arena(boolean onReuse) {
        BumpArena a = new BumpArena(BumpArena.MIN_PAGE_SIZE, true, Long.MAX_VALUE, onReuse);
        arenas.add(a);
        return a;
    }

    @AfterEach
    void release() {
        arenas.forEach(BumpArena::release);
    }

    /** Sizes spanning several pages, one larger than a page (its own chunk). */
    private static final long[] SIZES = {32, 200, 1000, 24, 3000, 9000, 48, 700, 16, 2500, 64, 64, 5000, 8};

    private List<Long> allocateAndScribble(BumpArena a) {
        List<Long> blocks = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            for (long size : SIZES) {
                long b = a.allocate(size, thread);
                for (long i = 0; i < size; i++) {
                    assertThat(Memory.getByte(b + i)).as("byte %d of a %d-byte block, handed out", i, size).isZero();
                }
                for (long i = 0; i < size; i++) Memory.putByte(b + i, (byte) 0x5A);
                blocks.add(b);
            }
        }
        return blocks;
    }

    @Test
    void aRollbackZeroesNothingAndReusedBytesAreZeroedWhenHandedOut() {
        BumpArena a = arena(true);
        a.allocate(40, thread); // something older than the snapshot
        long s = a.snapshot();
        List<Long> first = allocateAndScribble(a);
        long zeroedBefore = a.arenaStatistics().bytesZeroed();
        int chunks = a.arenaStatistics().chunks();
        a.rollback(s);
        assertThat(a.arenaStatistics().bytesZeroed()).as("bytes zeroed by the rollback itself").isEqualTo(zeroedBefore);
        byte expected = Memory.POISON_ENABLED ? Memory.POISON_BYTE : (byte) 0x5A;
        assertThat(Memory.getByte(first.get(0))).as("a rolled-back byte before reuse").isEqualTo(expected);
        List<Long> second = allocateAndScribble(a); // asserts every handed-out byte is zero
        assertThat(second).as("the same work after the rollback lands in the same places").isEqualTo(first);
        assertThat(a.arenaStatistics().bytesZeroed()).as("bytes zeroed on reuse").isGreaterThan(zeroedBefore);
        assertThat(a.arenaStatistics().chunks()).as("no chunk added by the second pass").isEqualTo(chunks);
    }

    @Test
    void freshMemoryIsNotZeroedAgainAndAResetIsReusedZeroed() {
        BumpArena a = arena(true);
        allocateAndScribble(a);
        assertThat(a.arenaStatistics().bytesZeroed()).as("calloc'd chunks need no zeroing").isZero();
        a.reset();
        allocateAndScribble(a);
        assertThat(a.arenaStatistics().bytesZeroed()).isPositive();
    }

    @Test
    void theDefaultZeroesAtTheRollback() {
        BumpArena a = arena(false);
        long s = a.snapshot();
        allocateAndScribble(a);
        long before = a.arenaStatistics().bytesZeroed();
        a.rollback(s);
        assertThat(a.arenaStatistics().bytesZeroed()).as("bytes zeroed by an eager rollback").isGreaterThan(before);
        assertThat(a.zeroesOnReuse()).isFalse();
    }

    @Test
    void theOptionIsReadByTheProvider() {
        BumpArena lazy = (BumpArena) new BumpArenaProvider().create(new ComponentParameters("bump-arena", Map.of("zeroing", "on-reuse")));
        arenas.add(lazy);
        assertThat(lazy.zeroesOnReuse()).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new BumpArenaProvider().create(
                new ComponentParameters("bump-arena", Map.of("zeroing", "lazy"))))
                .hasMessageContaining("bump-arena.zeroing").hasMessageContaining("lazy").hasMessageContaining("on-reuse");
    }
}
