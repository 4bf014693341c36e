package org.pxlab.allocator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.memory.Memory;

/**
 * A long seeded sequence of allocations and frees of mixed sizes against a shadow map of the
 * live ranges: no two live blocks may overlap, and what is written into a block must be
 * intact when it is freed (the allocator's free-list links and poisoning must stay out of
 * live blocks). Phases of growth and shrinkage make pools and arenas empty and refill.
 */
class SizeClassPoolChurnTest {
    private static final int OPERATIONS = 100_000;

    /** A live block: where, how big, and the seed of the pattern written into it. */
    private record Block(long address, long size, long seed) {
        long end() {
            return address + size;
        }
    }

    private final ThreadContext main = new ThreadContext(0, "main", Placement.MAIN);

    @Test
    void liveBlocksNeverOverlapAndKeepTheirContent() {
        SizeClassPool allocator = new SizeClassPool(Long.MAX_VALUE);
        try {
            churn(allocator, new Random(20260101L));
        } finally {
            allocator.release();
        }
    }

    private void churn(SizeClassPool allocator, Random random) {
        TreeMap<Long, Block> live = new TreeMap<>();
        List<Block> pickable = new ArrayList<>();
        long maxLive = 0;
        for (int step = 0; step < OPERATIONS; step++) {
            boolean growing = (step / 10_000) % 2 == 0;
            boolean allocate = pickable.isEmpty() || random.nextInt(100) < (growing ? 70 : 30);
            if (allocate) {
                long size = randomSize(random);
                long address = allocator.allocate(size, main);
                assertThat(address % 16).isZero();
                Block b = new Block(address, size, random.nextLong());
                assertNoOverlap(live, b);
                fill(b);
                live.put(address, b);
                pickable.add(b);
                maxLive = Math.max(maxLive, live.size());
            } else {
                int i = random.nextInt(pickable.size());
                Block b = pickable.get(i);
                pickable.set(i, pickable.get(pickable.size() - 1));
                pickable.remove(pickable.size() - 1);
                check(b, step);
                live.remove(b.address());
                allocator.free(b.address(), b.size(), main);
            }
        }
        assertThat(maxLive).as("the sequence builds up a real heap").isGreaterThan(3_000);

        Map<Long, Long> walked = new HashMap<>();
        allocator.walk((address, size) -> walked.put(address, size));
        assertThat(walked.keySet()).containsExactlyInAnyOrderElementsOf(live.keySet());
        for (Block b : live.values()) {
            assertThat(walked.get(b.address())).isGreaterThanOrEqualTo(b.size());
            check(b, OPERATIONS);
            allocator.free(b.address(), b.size(), main);
        }
        var end = allocator.statistics();
        assertThat(end.inUse()).isZero();
        assertThat(end.liveBlocks()).isZero();
        assertThat(end.allocations()).isGreaterThan(OPERATIONS / 2);
        assertThat(end.reserved()).as("at most one empty arena is kept").isLessThanOrEqualTo(SizeClassPool.ARENA_SIZE);
    }

    /** Mostly small objects, as in CPython; some just above the threshold and a few big ones. */
    private static long randomSize(Random random) {
        int r = random.nextInt(100);
        if (r < 85) return 1 + random.nextInt(512);
        if (r < 97) return 513 + random.nextInt(4096);
        return 4096 + random.nextInt(60_000);
    }

    private static void assertNoOverlap(TreeMap<Long, Block> live, Block b) {
        var below = live.floorEntry(b.address());
        if (below != null && below.getValue().end() > b.address()) {
            fail("new block %s overlaps live %s", b, below.getValue());
        }
        var above = live.ceilingEntry(b.address());
        if (above != null && above.getKey() < b.end()) {
            fail("new block %s overlaps live %s", b, above.getValue());
        }
    }

    private static void fill(Block b) {
        long words = b.size() / 8;
        for (long k = 0; k < words; k++) Memory.putLong(b.address() + 8 * k, b.seed() + k);
        for (long p = b.address() + 8 * words; p < b.end(); p++) Memory.putByte(p, (byte) (b.seed() ^ p));
    }

    private static void check(Block b, int step) {
        long words = b.size() / 8;
        for (long k = 0; k < words; k++) {
            long got = Memory.getLong(b.address() + 8 * k);
            if (got != b.seed() + k) {
                fail("step %d: word %d of %s reads 0x%x, wrote 0x%x", step, k, b, got, b.seed() + k);
            }
        }
        for (long p = b.address() + 8 * words; p < b.end(); p++) {
            if (Memory.getByte(p) != (byte) (b.seed() ^ p)) fail("step %d: byte at 0x%x of %s changed", step, p, b);
        }
    }
}
