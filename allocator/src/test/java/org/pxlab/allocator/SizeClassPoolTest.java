package org.pxlab.allocator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.memory.SimulatedOutOfMemoryError;
import org.pxlab.runtime.spi.AllocatorStatistics;

/**
 * The pymalloc model's observable behaviour. Expected numbers are written out from
 * obmalloc.c's geometry (16-byte classes, 4 KiB pools with a 48-byte header, 256 KiB arenas)
 * rather than taken from the class's constants, so a wrong constant fails here.
 */
class SizeClassPoolTest {
    static final long POOL = 4096;
    static final long HEADER = 48;
    static final long ARENA = 256 * 1024;

    final ThreadContext main = new ThreadContext(0, "main", Placement.MAIN);
    final List<SizeClassPool> created = new ArrayList<>();

    SizeClassPool allocator(long limit) {
        SizeClassPool a = new SizeClassPool(limit);
        created.add(a);
        return a;
    }

    SizeClassPool allocator() {
        return allocator(Long.MAX_VALUE);
    }

    @AfterEach
    void releaseAll() {
        created.forEach(SizeClassPool::release);
    }

    static long poolOf(long block) {
        return block & -POOL;
    }

    /** Live blocks as the walk reports them, failing on a block visited twice. */
    static Map<Long, Long> walk(SizeClassPool a) {
        Map<Long, Long> seen = new HashMap<>();
        a.walk((address, size) -> {
            Long previous = seen.put(address, size);
            assertThat(previous).as("block 0x%x visited twice", address).isNull();
        });
        return seen;
    }

    @Test
    void everyBlockIsAlignedTo16Bytes() {
        SizeClassPool a = allocator();
        List<long[]> blocks = new ArrayList<>();
        for (long size = 1; size <= 700; size++) blocks.add(new long[] {a.allocate(size, main), size});
        for (long size : new long[] {1000, 4095, 4096, 4097, 100_000, 1 << 20}) {
            blocks.add(new long[] {a.allocate(size, main), size});
        }
        for (long[] b : blocks) assertThat(b[0] % 16).as("block of %d bytes at 0x%x", b[1], b[0]).isZero();
        for (long[] b : blocks) a.free(b[0], b[1], main);
    }

    @Test
    void requestsAreRoundedUpToTheirSizeClass() {
        long[][] expected = {{1, 16}, {15, 16}, {16, 16}, {17, 32}, {31, 32}, {32, 32}, {33, 48}, {100, 112},
                {496, 496}, {497, 512}, {511, 512}, {512, 512}};
        for (long[] e : expected) {
            SizeClassPool a = allocator();
            long first = a.allocate(e[0], main);
            long second = a.allocate(e[0], main);
            assertThat(second - first).as("stride of %d-byte blocks", e[0]).isEqualTo(e[1]);
            assertThat(a.statistics().inUse()).as("in use after two %d-byte blocks", e[0]).isEqualTo(2 * e[1]);
            assertThat(walk(a)).containsOnlyKeys(first, second).containsValue(e[1]).hasSize(2);
        }
        SizeClassPool a = allocator();
        for (long size = 1; size <= 512; size++) {
            long before = a.statistics().inUse();
            long block = a.allocate(size, main);
            assertThat(a.statistics().inUse() - before).as("%d bytes", size).isEqualTo((size + 15) / 16 * 16);
            a.free(block, size, main);
        }
    }

    @Test
    void poolsAre4KiBAlignedAndStartWithA48ByteHeader() {
        SizeClassPool a = allocator();
        for (long size = 16; size <= 512; size += 16) {
            long block = a.allocate(size, main);
            assertThat(block - poolOf(block)).as("first %d-byte block", size).isEqualTo(HEADER);
        }
    }

    @Test
    void eachPoolHoldsAsManyBlocksAsFitAfterItsHeader() {
        SizeClassPool a = allocator();
        for (int size = 16; size <= 512; size += 16) {
            long first = a.allocate(size, main);
            int count = 1;
            long previous = first;
            while (true) {
                long next = a.allocate(size, main);
                if (poolOf(next) != poolOf(first)) break;
                assertThat(next - previous).as("fresh blocks are carved in address order").isEqualTo(size);
                previous = next;
                count++;
            }
            assertThat(count).as("blocks of %d bytes in a pool", size).isEqualTo((int) ((POOL - HEADER) / size));
            assertThat(previous + size).isLessThanOrEqualTo(poolOf(first) + POOL);
        }
    }

    @Test
    void aFreedBlockIsTheNextOneHandedOutInItsClass() {
        SizeClassPool a = allocator();
        long x = a.allocate(32, main);
        long y = a.allocate(32, main);
        long z = a.allocate(32, main);
        a.free(y, 32, main);
        assertThat(a.allocate(30, main)).isEqualTo(y);
        a.free(x, 32, main);
        a.free(z, 32, main);
        assertThat(a.allocate(32, main)).isEqualTo(z);
        assertThat(a.allocate(17, main)).isEqualTo(x);
        long other = a.allocate(48, main);
        assertThat(poolOf(other)).as("another class has its own pool").isNotEqualTo(poolOf(x));
    }

    @Test
    void aFullPoolIsRelinkedAtTheFrontOfItsClassWhenABlockIsFreed() {
        SizeClassPool a = allocator();
        long[] full = new long[7];
        for (int i = 0; i < 7; i++) full[i] = a.allocate(512, main);
        long elsewhere = a.allocate(512, main);
        assertThat(poolOf(elsewhere)).as("seven 512-byte blocks fill a pool").isNotEqualTo(poolOf(full[0]));

        a.free(full[3], 512, main);
        assertThat(a.allocate(512, main)).as("the relinked pool is preferred").isEqualTo(full[3]);
        long next = a.allocate(512, main);
        assertThat(poolOf(next)).as("full again, so unlinked again").isEqualTo(poolOf(elsewhere));
        assertThat(next).isEqualTo(elsewhere + 512);
    }

    @Test
    void anEmptyPoolReturnsToItsArenaAndServesAnyClass() {
        SizeClassPool a = allocator();
        long keep = a.allocate(512, main);
        long small = a.allocate(16, main);
        long p = poolOf(small);
        a.free(small, 16, main);

        long b = a.allocate(64, main);
        long c = a.allocate(64, main);
        assertThat(b).as("the empty pool, reinitialised for 64-byte blocks").isEqualTo(p + HEADER);
        assertThat(c).isEqualTo(b + 64);

        a.free(b, 64, main);
        a.free(c, 64, main);
        assertThat(a.allocate(64, main)).as("same class again: its free list is kept").isEqualTo(c);
        a.free(c, 64, main);
        assertThat(a.allocate(16, main)).isEqualTo(p + HEADER);
        assertThat(poolOf(keep)).isNotEqualTo(p);
    }

    @Test
    void freedBlocksArePoisonedAfterTheFreeListLink() {
        assertThat(Memory.POISON_ENABLED).as("the test JVM runs with -Dpxlab.poison=true").isTrue();
        SizeClassPool a = allocator();
        long x = a.allocate(64, main);
        long y = a.allocate(64, main);
        long keep = a.allocate(64, main);
        for (long i = 0; i < 64; i += 8) {
            Memory.putLong(x + i, 0x1111_1111_1111_1111L);
            Memory.putLong(y + i, 0x2222_2222_2222_2222L);
        }
        a.free(x, 64, main);
        a.free(y, 64, main);
        assertThat(Memory.getLong(y)).as("y links to x").isEqualTo(x);
        assertThat(poolOf(Memory.getLong(x))).as("x links into its pool").isEqualTo(poolOf(x));
        for (long i = 8; i < 64; i += 8) {
            assertThat(Memory.getLong(x + i)).isEqualTo(Memory.POISON_WORD);
            assertThat(Memory.getLong(y + i)).isEqualTo(Memory.POISON_WORD);
        }
        assertThat(a.allocate(64, main)).isEqualTo(y);
        assertThat(a.allocate(64, main)).isEqualTo(x);
        a.free(keep, 64, main);
    }

    @Test
    void statisticsAreExactAfterAKnownSequence() {
        SizeClassPool a = allocator();
        long b20 = a.allocate(20, main);
        long b100 = a.allocate(100, main);
        long b600 = a.allocate(600, main);
        long b512 = a.allocate(512, main);
        assertThat(a.statistics()).isEqualTo(new AllocatorStatistics(ARENA + 600, 32 + 112 + 600 + 512, 1256, 4, 0));

        a.free(b100, 100, main);
        assertThat(a.statistics()).isEqualTo(new AllocatorStatistics(ARENA + 600, 1144, 1256, 4, 1));
        a.free(b600, 600, main);
        assertThat(a.statistics()).isEqualTo(new AllocatorStatistics(ARENA, 544, 1256, 4, 2));

        long b1000 = a.allocate(1000, main);
        assertThat(a.statistics()).isEqualTo(new AllocatorStatistics(ARENA + 1000, 1544, 1544, 5, 2));
        a.free(b1000, 1000, main);
        a.free(b20, 20, main);
        a.free(b512, 512, main);
        AllocatorStatistics end = a.statistics();
        assertThat(end).as("the last empty arena is kept").isEqualTo(new AllocatorStatistics(ARENA, 0, 1544, 5, 5));
        assertThat(end.liveBlocks()).isZero();
    }

    @Test
    void blocksFreedByAnotherThreadAreCountedThere() {
        ThreadContext worker = new ThreadContext(5, "worker", Placement.WORKER);
        SizeClassPool a = allocator();
        long x = a.allocate(100, main);
        long y = a.allocate(2000, worker);
        a.free(x, 100, worker);
        a.free(y, 2000, main);
        long z = a.allocate(16, worker);
        assertThat(a.statistics()).isEqualTo(new AllocatorStatistics(ARENA, 16, 2112, 3, 2));
        a.free(z, 16, worker);
    }

    @Test
    void reservedGrowsByAnArenaAndShrinksWhenAnArenaEmpties() {
        SizeClassPool a = allocator();
        long[] first = new long[64 * 7];
        for (int i = 0; i < first.length; i++) first[i] = a.allocate(512, main);
        assertThat(a.statistics().reserved()).as("64 pools of seven 512-byte blocks").isEqualTo(ARENA);

        long second = a.allocate(512, main);
        assertThat(a.statistics().reserved()).isEqualTo(2 * ARENA);
        long firstArenaStart = poolOf(first[0]);
        assertThat(second < firstArenaStart || second >= firstArenaStart + ARENA).as("outside the first arena").isTrue();

        // Empty the first arena. The second, with one pool in use, is the last usable arena
        // (most free pools once the first is half empty), so the first is retired.
        for (long block : first) a.free(block, 512, main);
        assertThat(a.statistics().reserved()).isEqualTo(ARENA);

        // The second now empties as the only usable arena: kept, as CPython 3.9 keeps one.
        a.free(second, 512, main);
        assertThat(a.statistics().reserved()).isEqualTo(ARENA);
        long again = a.allocate(512, main);
        assertThat(poolOf(again)).as("the kept arena is reused").isEqualTo(poolOf(second));
        assertThat(a.statistics().reserved()).isEqualTo(ARENA);
        a.free(again, 512, main);
    }

    @Test
    void aRetiredArenaIsNotCountedAndANewOneIsCountedAgain() {
        SizeClassPool a = allocator();
        long[] first = new long[64 * 7];
        for (int i = 0; i < first.length; i++) first[i] = a.allocate(512, main);
        long[] second = new long[64 * 7];
        for (int i = 0; i < second.length; i++) second[i] = a.allocate(512, main);
        assertThat(a.statistics().reserved()).isEqualTo(2 * ARENA);

        long survivor = second[second.length - 1];
        for (long block : second) if (block != survivor) a.free(block, 512, main);
        assertThat(a.statistics().reserved()).isEqualTo(2 * ARENA);
        for (long block : first) a.free(block, 512, main);
        assertThat(a.statistics().reserved()).as("the first arena emptied while not last").isEqualTo(ARENA);

        // 447 blocks fit in the second arena beside the survivor; the 448th needs a new one.
        long[] refill = new long[64 * 7];
        for (int i = 0; i < refill.length - 1; i++) refill[i] = a.allocate(512, main);
        assertThat(a.statistics().reserved()).isEqualTo(ARENA);
        refill[refill.length - 1] = a.allocate(512, main);
        assertThat(a.statistics().reserved()).isEqualTo(2 * ARENA);
        assertThat(walk(a)).hasSize(refill.length + 1);

        for (long block : refill) a.free(block, 512, main);
        a.free(survivor, 512, main);
        assertThat(a.statistics().reserved()).as("one empty arena is kept").isEqualTo(ARENA);
        assertThat(a.statistics().inUse()).isZero();
    }

    @Test
    void newPoolsComeFromTheArenaWithTheFewestFreePools() {
        SizeClassPool a = allocator();
        int perArena = 64 * 7;
        long[] blocks = new long[2 * perArena];
        for (int i = 0; i < blocks.length; i++) blocks[i] = a.allocate(512, main);
        // Pools are carved in address order, seven blocks each: pool k holds blocks 7k..7k+6.
        // Free two whole pools of arena B, then five of arena A: a list kept in freeing order
        // would offer A first; pymalloc's, sorted by free pools, offers B.
        int[] poolsOfB = {64 + 10, 64 + 20};
        int[] poolsOfA = {1, 2, 3, 4, 5};
        long lastPoolFreedInB = poolOf(blocks[7 * (64 + 20)]);
        for (int k : poolsOfB) freePool(a, blocks, k);
        for (int k : poolsOfA) freePool(a, blocks, k);

        long next = a.allocate(512, main);
        assertThat(poolOf(next)).as("the last pool freed in arena B").isEqualTo(lastPoolFreedInB);
        long afterThat = a.allocate(512, main);
        assertThat(poolOf(afterThat)).isEqualTo(poolOf(next));
    }

    private void freePool(SizeClassPool a, long[] blocks, int poolNumber) {
        for (int i = 7 * poolNumber; i < 7 * poolNumber + 7; i++) {
            a.free(blocks[i], 512, main);
            blocks[i] = 0;
        }
    }

    @Test
    void largeBlocksComeFromMallocAndAreCountedAtTheirRequestedSize() {
        SizeClassPool a = allocator();
        long x = a.allocate(513, main);
        long y = a.allocate(100_000, main);
        assertThat(a.statistics()).isEqualTo(new AllocatorStatistics(100_513, 100_513, 100_513, 2, 0));
        assertThat(walk(a)).isEqualTo(Map.of(x, 513L, y, 100_000L));
        Memory.zero(y, 100_000);
        a.free(x, 513, main);
        assertThat(a.statistics()).isEqualTo(new AllocatorStatistics(100_000, 100_000, 100_513, 2, 1));
        a.free(y, 100_000, main);
        assertThat(a.statistics().reserved()).isZero();
        assertThat(walk(a)).isEmpty();
    }

    @Test
    void walkVisitsExactlyTheLiveBlocks() {
        SizeClassPool a = allocator();
        java.util.Random random = new java.util.Random(7);
        Map<Long, Long> live = new HashMap<>();
        Map<Long, Long> requested = new HashMap<>();
        List<Long> order = new ArrayList<>();
        for (int step = 0; step < 30_000; step++) {
            if (order.isEmpty() || random.nextInt(100) < (step / 5000 % 2 == 0 ? 65 : 35)) {
                long size = random.nextInt(10) == 0 ? 513 + random.nextInt(3000) : 1 + random.nextInt(512);
                long block = a.allocate(size, main);
                live.put(block, size > 512 ? size : (size + 15) / 16 * 16);
                requested.put(block, size);
                order.add(block);
            } else {
                int i = random.nextInt(order.size());
                long block = order.get(i);
                order.set(i, order.get(order.size() - 1));
                order.remove(order.size() - 1);
                a.free(block, requested.remove(block), main);
                live.remove(block);
            }
            if (step % 1000 == 0) assertThat(walk(a)).as("step %d", step).isEqualTo(live);
        }
        assertThat(walk(a)).isEqualTo(live);
        for (long block : order) a.free(block, requested.get(block), main);
        assertThat(walk(a)).isEmpty();
    }

    @Test
    void exceedingMaxBytesIsASimulatedOutOfMemoryErrorThatReportsTheStatistics() {
        SizeClassPool a = allocator(ARENA + 1000);
        long x = a.allocate(16, main);
        long y = a.allocate(1000, main);
        AllocatorStatistics before = a.statistics();
        assertThatThrownBy(() -> a.allocate(513, main))
                .isInstanceOf(SimulatedOutOfMemoryError.class)
                .hasMessageContaining("max-bytes " + (ARENA + 1000))
                .hasMessageContaining(before.toString());
        assertThat(a.statistics()).as("a refused request changes nothing").isEqualTo(before);
        a.free(y, 1000, main);
        long z = a.allocate(513, main);
        a.free(z, 513, main);
        a.free(x, 16, main);

        SizeClassPool tiny = allocator(ARENA - 1);
        assertThatThrownBy(() -> tiny.allocate(16, main))
                .isInstanceOf(SimulatedOutOfMemoryError.class)
                .hasMessageContaining(tiny.statistics().toString());
    }

    @Test
    void aNewArenaBeyondMaxBytesIsRefused() {
        SizeClassPool a = allocator(ARENA);
        long[] blocks = new long[64 * 7];
        for (int i = 0; i < blocks.length; i++) blocks[i] = a.allocate(512, main);
        assertThatThrownBy(() -> a.allocate(512, main))
                .isInstanceOf(SimulatedOutOfMemoryError.class)
                .hasMessageContaining(a.statistics().toString());
        assertThatThrownBy(() -> a.allocate(16, main)).as("every pool is taken, so a new class needs an arena too")
                .isInstanceOf(SimulatedOutOfMemoryError.class);
        a.free(blocks[100], 512, main);
        assertThat(a.allocate(512, main)).isEqualTo(blocks[100]);
    }

    @Test
    void invalidRequestsAreRefused() {
        SizeClassPool a = allocator();
        assertThatThrownBy(() -> a.allocate(0, main)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> a.allocate(-5, main)).isInstanceOf(IllegalArgumentException.class);
        long large = a.allocate(1000, main);
        assertThatThrownBy(() -> a.free(large, 999, main)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("allocated with 1000");
        assertThatThrownBy(() -> a.free(large + 16, 1000, main)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not a live large block");
        a.free(large, 1000, main);
        assertThatThrownBy(() -> a.free(large, 1000, main)).as("double free").isInstanceOf(IllegalStateException.class);
        assertThat(a.statistics().frees()).isEqualTo(1);
    }

    @Test
    void aSmallBlockFreedWithTheWrongSizeFailsAnAssertion() {
        assumeThat(SizeClassPool.class.desiredAssertionStatus()).as("assertions enabled").isTrue();
        SizeClassPool a = allocator();
        long x = a.allocate(32, main);
        assertThatThrownBy(() -> a.free(x, 100, main)).isInstanceOf(AssertionError.class).hasMessageContaining("class 6");
        assertThatThrownBy(() -> a.free(x + 8, 32, main)).isInstanceOf(AssertionError.class);
        a.free(x, 32, main);
    }

    @Test
    void releaseReturnsEverything() {
        SizeClassPool a = allocator();
        for (int i = 0; i < 5000; i++) a.allocate(1 + i % 700, main);
        assertThat(a.statistics().reserved()).isGreaterThan(ARENA);
        a.release();
        assertThat(a.statistics().reserved()).isZero();
        assertThat(walk(a)).isEmpty();
    }

    @Test
    void isNotThreadSafe() {
        assertThat(allocator().isThreadSafe()).isFalse();
    }
}
