package org.pxlab.allocator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.memory.SimulatedOutOfMemoryError;
import org.pxlab.runtime.memory.SystemMalloc;

/**
 * The bump arena's own behaviour: layout, pages and chunks, snapshots and rollback,
 * finalizers, reset, reuse. Expected numbers are written out from the model (4 KiB pages,
 * 16-byte slots, an 8-byte prefix, a page's first slot at offset 8) rather than taken from
 * the class's constants, so a wrong constant fails here.
 */
class BumpArenaTest {
    static final long PAGE = 4096;

    final ThreadContext main = new ThreadContext(0, "main", Placement.MAIN);
    final List<BumpArena> created = new ArrayList<>();

    BumpArena arena() {
        return arena(new BumpArena());
    }

    BumpArena arena(BumpArena a) {
        created.add(a);
        return a;
    }

    @AfterEach
    void releaseAll() {
        created.forEach(BumpArena::release);
    }

    // ---- helpers ----

    /** A block the test handed out, with the pattern it wrote. */
    record Block(long address, long size, long seed) {
        long word(long offset) {
            long z = seed + offset * 0x9E37_79B9_7F4A_7C15L;
            z = (z ^ (z >>> 31)) * 0xBF58_476D_1CE4_E5B9L;
            return z == Memory.POISON_WORD || z == 0 ? z + 1 : z;
        }

        void fill() {
            long o = 0;
            for (; o + 8 <= size; o += 8) Memory.putLong(address + o, word(o));
            for (; o < size; o++) Memory.putByte(address + o, (byte) word(o));
        }

        void checkIntact(String when) {
            long o = 0;
            for (; o + 8 <= size; o += 8) {
                assertThat(Memory.getLong(address + o)).as("word %d of the %d-byte block at 0x%x %s", o, size, address, when)
                        .isEqualTo(word(o));
            }
            for (; o < size; o++) {
                assertThat(Memory.getByte(address + o)).as("byte %d of the %d-byte block at 0x%x %s", o, size, address, when)
                        .isEqualTo((byte) word(o));
            }
        }

        void checkZero(String when) {
            for (long o = 0; o < size; o++) {
                assertThat(Memory.getByte(address + o)).as("byte %d of the %d-byte block at 0x%x %s", o, size, address, when)
                        .isZero();
            }
        }
    }

    Block allocate(BumpArena a, long size, long seed) {
        Block b = new Block(a.allocate(size, main), size, seed);
        b.fill();
        return b;
    }

    static Map<Long, Long> walk(BumpArena a) {
        Map<Long, Long> seen = new HashMap<>();
        a.walk((address, size) -> assertThat(seen.put(address, size)).as("block 0x%x visited twice", address).isNull());
        return seen;
    }

    static BumpArenaStatistics stats(BumpArena a) {
        return a.arenaStatistics();
    }

    /** Sizes for random work: mostly objects, some buffers, one in fifty larger than a page. */
    static long randomSize(Random random) {
        int r = random.nextInt(100);
        if (r < 70) return 1 + random.nextInt(96);
        if (r < 98) return 1 + random.nextInt(1500);
        return 4000 + random.nextInt(20_000);
    }

    // ---- layout, pages, chunks ----

    @Test
    void consecutiveBlocksAreAdjacentSlotsAfterAnEightBytePrefix() {
        BumpArena a = arena();
        long first = a.allocate(16, main);
        long second = a.allocate(16, main);
        long third = a.allocate(1, main);
        long fourth = a.allocate(24, main);
        long fifth = a.allocate(25, main);
        long sixth = a.allocate(8, main);
        assertThat(first % 16).isZero();
        // slot = 8-byte prefix + size, rounded up to 16
        assertThat(second - first).as("slot of a 16-byte block").isEqualTo(32);
        assertThat(third - second).as("slot of a 16-byte block").isEqualTo(32);
        assertThat(fourth - third).as("slot of a 1-byte block").isEqualTo(16);
        assertThat(fifth - fourth).as("slot of a 24-byte block").isEqualTo(32);
        assertThat(sixth - fifth).as("slot of a 25-byte block").isEqualTo(48);
        assertThat(Memory.getLong(first - 8)).as("size prefix of the first block").isEqualTo(16);
        assertThat(Memory.getLong(fifth - 8)).as("size prefix of the 25-byte block").isEqualTo(25);
        assertThat(a.statistics().inUse()).isEqualTo(32 + 32 + 16 + 32 + 48 + 16);
        assertThat(walk(a)).containsEntry(fifth, 40L).containsEntry(third, 8L).hasSize(6);
    }

    @Test
    void withoutAPrefixSlotsAreTheSizeRoundedTo16() {
        BumpArena a = arena(new BumpArena(PAGE, false, Long.MAX_VALUE));
        long first = a.allocate(16, main);
        long second = a.allocate(1, main);
        long third = a.allocate(17, main);
        long fourth = a.allocate(1, main);
        assertThat(second - first).isEqualTo(16);
        assertThat(third - second).isEqualTo(16);
        assertThat(fourth - third).isEqualTo(32);
        assertThat(a.statistics().inUse()).isEqualTo(16 + 16 + 32 + 16);
        assertThatThrownBy(() -> a.walk((address, size) -> { }))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("size-prefix");
    }

    @Test
    void aNewPageIsStartedWhenTheCurrentOneIsFull() {
        BumpArena a = arena();
        // 8 + 127 * 32 = 4072: 127 slots of 32 bytes fill a page but for 24 bytes.
        long first = a.allocate(16, main);
        for (int i = 1; i < 127; i++) assertThat(a.allocate(16, main)).isEqualTo(first + 32L * i);
        assertThat(stats(a).chunks()).isEqualTo(1);
        // A 16-byte slot still fits the 24 bytes left...
        long last = a.allocate(8, main);
        assertThat(last).as("a 16-byte slot in the page's last 24 bytes").isEqualTo(first + 32L * 127);
        assertThat(stats(a).reserved()).isEqualTo(PAGE);
        // ...a 32-byte one does not: the 8 bytes left are abandoned and a second page begins.
        long next = a.allocate(16, main);
        long firstPage = first - 16;
        assertThat(next < firstPage || next >= firstPage + PAGE).as("0x%x, outside the first page", next).isTrue();
        BumpArenaStatistics s = stats(a);
        assertThat(s.chunks()).isEqualTo(2);
        assertThat(s.pages()).isEqualTo(2);
        assertThat(s.reserved()).isEqualTo(2 * PAGE);
        assertThat(a.allocate(16, main)).as("the second page is bumped as the first").isEqualTo(next + 32);
        assertThat(walk(a)).hasSize(130);
    }

    @Test
    void aBlockLargerThanAPageGetsItsOwnChunkOfWholePagesAndRollsBack() {
        BumpArena a = arena();
        Block small = allocate(a, 100, 1);
        long s = a.snapshot();
        BumpArenaStatistics before = stats(a);
        // slot 8 + 10,000 -> 10,016; with the chunk's first 8 bytes, 10,024 -> three pages
        long large = a.allocate(10_000, main);
        BumpArenaStatistics after = stats(a);
        assertThat(after.chunks()).isEqualTo(2);
        assertThat(after.reserved()).isEqualTo(PAGE + 3 * PAGE);
        assertThat(after.pages()).isEqualTo(4);
        long firstPage = small.address() - 16;
        assertThat(large < firstPage || large >= firstPage + PAGE).as("0x%x, outside the first page", large).isTrue();
        new Block(large, 10_000, 2).fill();
        // Later small blocks use the rest of the large block's chunk...
        long tail = a.allocate(16, main);
        assertThat(tail).isEqualTo(large + 10_016);
        // ...until it is full: 10,024 + 32 + 3,008 > 12,288.
        a.allocate(3000, main);
        assertThat(stats(a).chunks()).isEqualTo(3);
        assertThat(stats(a).reserved()).isEqualTo(PAGE + 3 * PAGE + PAGE);

        a.rollback(s);
        assertThat(a.statistics().inUse()).isEqualTo(before.inUse());
        assertThat(walk(a).keySet()).containsExactly(small.address());
        small.checkIntact("after the rollback");
        new Block(large, 10_000, 2).checkZero("after the rollback (the chunk is kept, zeroed)");
        // The kept chunk is found again: same address, nothing new reserved.
        assertThat(a.allocate(10_000, main)).isEqualTo(large);
        assertThat(stats(a).reserved()).isEqualTo(after.reserved() + PAGE);
    }

    @Test
    void aLargeRequestSkipsKeptPagesTooSmallForIt() {
        BumpArena a = arena();
        long s = a.snapshot();
        for (int i = 0; i < 3 * 127; i++) a.allocate(16, main); // three pages
        a.allocate(9000, main); // a three-page chunk
        long reserved = stats(a).reserved();
        a.rollback(s);
        // Now one page of small blocks, then the large one: the kept chunk big enough is moved
        // ahead of the two kept pages that are too small.
        for (int i = 0; i < 127; i++) a.allocate(16, main);
        a.allocate(9000, main);
        assertThat(stats(a).reserved()).as("reserved: nothing new").isEqualTo(reserved);
        for (int i = 0; i < 2 * 127; i++) a.allocate(16, main);
        assertThat(stats(a).reserved()).as("the two small pages are used after it").isEqualTo(reserved);
        assertThat(stats(a).chunks()).isEqualTo(4);
        assertThat(walk(a)).hasSize(3 * 127 + 1);
    }

    @Test
    void blocksAreHandedOutZeroedAndFreshAfterARollback() {
        BumpArena a = arena();
        long s = a.snapshot();
        List<Block> blocks = new ArrayList<>();
        for (long size : new long[] {1, 16, 100, 4000, 5000, 64}) {
            Block b = new Block(a.allocate(size, main), size, size);
            b.checkZero("when first handed out");
            b.fill();
            blocks.add(b);
        }
        a.rollback(s);
        for (Block old : blocks) {
            Block again = new Block(a.allocate(old.size(), main), old.size(), 0);
            assertThat(again.address()).isEqualTo(old.address());
            again.checkZero("when handed out again after a rollback");
        }
    }

    // ---- free ----

    @Test
    void freeOnlyCountsAndMarksTheBlock() {
        BumpArena a = arena();
        Block keep = allocate(a, 40, 1);
        long victim = a.allocate(40, main);
        Block after = allocate(a, 40, 3);
        BumpArenaStatistics before = stats(a);
        a.free(victim, 40, main);
        BumpArenaStatistics s = stats(a);
        assertThat(s.frees()).isEqualTo(1);
        assertThat(before.inUse() - s.inUse()).as("inUse falls by the slot").isEqualTo(48);
        assertThat(s.bumpedBytes()).as("nothing is reclaimed").isEqualTo(before.bumpedBytes());
        assertThat(s.reserved()).isEqualTo(before.reserved());
        assertThat(walk(a).keySet()).containsExactlyInAnyOrder(keep.address(), after.address());
        if (Memory.POISON_ENABLED) assertThat(Memory.getLong(victim)).isEqualTo(Memory.POISON_WORD);
        keep.checkIntact("after its neighbour's free");
        after.checkIntact("after its neighbour's free");
        assertThat(a.allocate(40, main)).as("a freed block is not reused").isEqualTo(after.address() + 48);
    }

    @Test
    void freeRefusesWhatIsNotALiveBlock() {
        BumpArena a = arena();
        long block = a.allocate(40, main);
        long s = a.snapshot();
        long later = a.allocate(40, main);
        assertThatThrownBy(() -> a.free(block, 41, main)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("allocated with 40");
        a.free(block, 40, main);
        assertThatThrownBy(() -> a.free(block, 40, main)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already freed");
        a.rollback(s);
        assertThatThrownBy(() -> a.free(later, 40, main)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("rolled back");
        long foreign = SystemMalloc.malloc(64);
        try {
            assertThatThrownBy(() -> a.free(foreign, 40, main)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("not a block of this arena");
        } finally {
            SystemMalloc.free(foreign);
        }
        assertThatThrownBy(() -> a.allocate(0, main)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> a.allocate(-5, main)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> a.allocate((1L << 38) + 1, main)).isInstanceOf(IllegalArgumentException.class);
        assertThat(a.statistics().frees()).isEqualTo(1);
    }

    // ---- snapshots and rollback ----

    @Test
    void rollbackFreesExactlyWhatCameAfterTheSnapshot() {
        BumpArena a = arena();
        Random random = new Random(42);
        List<Block> older = new ArrayList<>();
        for (int i = 0; i < 500; i++) older.add(allocate(a, randomSize(random), i));
        for (int i = 0; i < 50; i++) {
            Block b = older.remove(random.nextInt(older.size()));
            a.free(b.address(), b.size(), main);
        }
        long s = a.snapshot();
        BumpArenaStatistics atSnapshot = stats(a);
        Map<Long, Long> walkedAtSnapshot = walk(a);

        List<Block> newer = new ArrayList<>();
        long freedOlder = 0;
        for (int i = 0; i < 3000; i++) {
            newer.add(allocate(a, randomSize(random), 10_000 + i));
            if (i % 100 == 50) {
                // Frees of older blocks after the snapshot stay freed: a rollback does not undo them.
                Block b = older.remove(random.nextInt(older.size()));
                long inUse = a.statistics().inUse();
                a.free(b.address(), b.size(), main);
                freedOlder += inUse - a.statistics().inUse();
                walkedAtSnapshot.remove(b.address());
            }
            if (i % 7 == 3) {
                Block b = newer.remove(random.nextInt(newer.size()));
                a.free(b.address(), b.size(), main);
            }
        }
        assertThat(stats(a).chunks()).as("the work spans many chunks").isGreaterThan(100);
        BumpArenaStatistics beforeRollback = stats(a);

        a.rollback(s);
        BumpArenaStatistics after = stats(a);
        assertThat(after.inUse()).as("inUse: the snapshot's, less the older blocks freed since")
                .isEqualTo(atSnapshot.inUse() - freedOlder);
        assertThat(after.bumpedBytes()).isEqualTo(atSnapshot.bumpedBytes());
        assertThat(after.reserved()).as("pages are kept").isEqualTo(beforeRollback.reserved());
        assertThat(after.bytesZeroed() - beforeRollback.bytesZeroed())
                .as("bytes zeroed: exactly those bumped since the snapshot")
                .isEqualTo(beforeRollback.bumpedBytes() - atSnapshot.bumpedBytes());
        assertThat(walk(a)).as("blocks walked after the rollback").isEqualTo(walkedAtSnapshot);
        for (Block b : older) b.checkIntact("after the rollback");
        for (Block b : newer) b.checkZero("after the rollback");
    }

    @Test
    void repeatingTheSameWorkAfterARollbackReservesNothingNew() {
        BumpArena a = arena();
        allocate(a, 200, 1);
        long s = a.snapshot();
        List<Long> firstRound = null;
        long reservedAfterFirst = 0;
        for (int round = 0; round < 20; round++) {
            Random random = new Random(7);
            List<Long> addresses = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                long size = randomSize(random);
                long p = a.allocate(size, main);
                assertThat(Memory.getLong(p)).as("first word of a block handed out in round %d", round).isZero();
                Memory.putLong(p, -1);
                addresses.add(p);
            }
            if (round == 0) {
                firstRound = addresses;
                reservedAfterFirst = stats(a).reserved();
            } else {
                assertThat(addresses).as("addresses in round %d", round).isEqualTo(firstRound);
                assertThat(stats(a).reserved()).as("reserved in round %d", round).isEqualTo(reservedAfterFirst);
            }
            a.rollback(s);
        }
        assertThat(stats(a).rollbacks()).isEqualTo(20);
    }

    @ParameterizedTest
    @ValueSource(ints = {100, 100_000})
    void rollbackAfterManyObjectsLeavesTheStateOfTheSnapshot(int objects) {
        BumpArena a = arena();
        List<Block> older = new ArrayList<>();
        for (int i = 0; i < 50; i++) older.add(allocate(a, 1 + i * 7, i));
        long s = a.snapshot();
        BumpArenaStatistics atSnapshot = stats(a);
        long firstNewer = 0;
        for (int cycle = 0; cycle < 2; cycle++) {
            for (int i = 0; i < objects; i++) {
                long p = a.allocate(16 + (i % 13) * 8, main);
                Memory.putLong(p, i + 1);
                if (i == 0 && cycle == 0) firstNewer = p;
                if (i == 0) assertThat(p).as("the first block after the snapshot, cycle %d", cycle).isEqualTo(firstNewer);
            }
            assertThat(a.statistics().allocations()).isEqualTo(50 + (cycle + 1L) * objects);
            a.rollback(s);
            BumpArenaStatistics s1 = stats(a);
            assertThat(s1.inUse()).isEqualTo(atSnapshot.inUse());
            assertThat(s1.bumpedBytes()).isEqualTo(atSnapshot.bumpedBytes());
            assertThat(s1.liveSnapshots()).isEqualTo(1);
            assertThat(walk(a)).hasSize(50);
            for (Block b : older) b.checkIntact("after rolling back " + objects + " objects");
            assertThat(Memory.getLong(firstNewer)).isZero();
        }
    }

    @Test
    void snapshotsNest() {
        BumpArena a = arena();
        Block setup = allocate(a, 64, 1);
        long connection = a.snapshot(); // connection start
        Block connectionState = allocate(a, 200, 2);
        BumpArenaStatistics atConnection = null;
        Map<Long, Long> walkedAtConnection = null;
        for (int request = 0; request < 3; request++) {
            long perRequest = a.snapshot();
            assertThat(a.liveSnapshots()).isEqualTo(2);
            BumpArenaStatistics atRequest = stats(a);
            Map<Long, Long> walkedAtRequest = walk(a);
            if (request == 0) {
                atConnection = atRequest;
                walkedAtConnection = walkedAtRequest;
            }
            for (int i = 0; i < 300; i++) allocate(a, 1 + i, 100 + i);
            a.rollback(perRequest);
            assertThat(a.isLive(perRequest)).as("a snapshot survives a rollback to it").isTrue();
            assertThat(stats(a).inUse()).isEqualTo(atRequest.inUse());
            assertThat(walk(a)).isEqualTo(walkedAtRequest);
            // The same snapshot again: a second round of work, rolled back too.
            for (int i = 0; i < 50; i++) allocate(a, 8000, i);
            a.rollback(perRequest);
            assertThat(walk(a)).isEqualTo(walkedAtRequest);
            a.discard(perRequest);
            assertThat(a.isLive(perRequest)).isFalse();
            assertThat(a.liveSnapshots()).isEqualTo(1);
        }
        assertThat(walk(a)).isEqualTo(walkedAtConnection);
        assertThat(stats(a).inUse()).isEqualTo(atConnection.inUse());

        // A request whose snapshot is still live when the connection is rewound.
        long open = a.snapshot();
        allocate(a, 500, 9);
        // An older block freed inside the request stays freed through both rollbacks.
        long inUse = a.statistics().inUse();
        a.free(setup.address(), setup.size(), main);
        long setupSlot = inUse - a.statistics().inUse();
        a.rollback(open);
        assertThat(a.statistics().inUse()).isEqualTo(atConnection.inUse() - setupSlot);
        a.rollback(connection);
        assertThat(a.isLive(open)).isFalse();
        assertThat(a.isLive(connection)).isTrue();
        assertThat(walk(a)).isEmpty();
        assertThat(a.statistics().inUse()).isZero();
        new Block(connectionState.address(), connectionState.size(), 0).checkZero("after the connection's rewind");
    }

    @Test
    void aSnapshotNewerThanTheOneRolledBackToIsRefused() {
        BumpArena a = arena();
        long s0 = a.snapshot();
        allocate(a, 32, 1);
        long s1 = a.snapshot();
        allocate(a, 32, 2);
        long s2 = a.snapshot();
        Block last = allocate(a, 32, 3);
        a.rollback(s0);
        BumpArenaStatistics after = stats(a);
        for (long dead : new long[] {s1, s2}) {
            assertThat(a.isLive(dead)).isFalse();
            assertThatThrownBy(() -> a.rollback(dead)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("no longer live").hasMessageContaining("live snapshots, oldest first: [#1]");
            assertThatThrownBy(() -> a.discard(dead)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("no longer live");
        }
        assertThatThrownBy(() -> a.rollback(s1)).hasMessageContaining("snapshot #2 (depth 1)");
        assertThat(stats(a)).as("a refused rollback changes nothing").isEqualTo(after);
        assertThat(a.isLive(s0)).isTrue();

        // A new snapshot at the same depth does not revive the old handle.
        long s1b = a.snapshot();
        assertThat(s1b).isNotEqualTo(s1);
        assertThatThrownBy(() -> a.rollback(s1)).isInstanceOf(IllegalStateException.class);
        a.discard(s0);
        assertThat(a.isLive(s1b)).as("discarding an older snapshot ends the newer ones").isFalse();
        assertThatThrownBy(() -> a.rollback(s0)).isInstanceOf(IllegalStateException.class);
        assertThat(a.liveSnapshots()).isZero();
        // Discarding keeps what was allocated.
        last = allocate(a, 32, 4);
        last.checkIntact("after the discard");

        BumpArena other = arena();
        long foreign = other.snapshot();
        assertThatThrownBy(() -> a.rollback(foreign)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not a snapshot of this arena");
        assertThatThrownBy(() -> a.rollback(0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> a.rollback(-1)).isInstanceOf(IllegalStateException.class);
    }

    // ---- finalizers ----

    @Test
    void finalizersRunOnceNewestFirstOnlyForBlocksAfterTheSnapshot() {
        BumpArena a = arena();
        List<Long> ran = new ArrayList<>();
        Set<Long> sawIntact = new HashSet<>();
        Map<Long, Block> blocks = new HashMap<>();
        org.pxlab.runtime.spi.ContextArena.BlockFinalizer record = block -> {
            ran.add(block);
            Block b = blocks.get(block);
            // The block is still intact when its finalizer runs: zeroing comes after.
            if (b != null && Memory.getLong(b.address()) == b.word(0)) sawIntact.add(block);
        };
        Block p1 = allocate(a, 32, 1);
        Block p2 = allocate(a, 32, 2);
        Block p3 = allocate(a, 32, 3);
        for (Block b : List.of(p1, p2, p3)) blocks.put(b.address(), b);
        a.registerFinalizer(p1.address(), record);
        a.registerFinalizer(p2.address(), record);
        long s = a.snapshot();
        List<Long> newer = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Block b = allocate(a, 48 + i * 1000, 10 + i);
            blocks.put(b.address(), b);
            newer.add(b.address());
            a.registerFinalizer(b.address(), record);
        }
        Block unregistered = allocate(a, 32, 20);
        // An older block registered after the snapshot survives the rollback, and so does its finalizer.
        a.registerFinalizer(p3.address(), record);
        assertThat(a.pendingFinalizers()).isEqualTo(8);

        a.rollback(s);
        assertThat(ran).as("finalizers run by the rollback, in order")
                .containsExactly(newer.get(4), newer.get(3), newer.get(2), newer.get(1), newer.get(0));
        assertThat(sawIntact).containsExactlyInAnyOrderElementsOf(newer);
        assertThat(ran).doesNotContain(unregistered.address());
        assertThat(a.pendingFinalizers()).isEqualTo(3);
        p3.checkIntact("after the rollback");

        ran.clear();
        a.rollback(s);
        assertThat(ran).as("a second rollback runs nothing again").isEmpty();

        Block b1 = allocate(a, 64, 30);
        a.registerFinalizer(b1.address(), record);
        a.rollback(s);
        assertThat(ran).containsExactly(b1.address());

        ran.clear();
        a.reset();
        assertThat(ran).as("reset runs the rest, newest registration first")
                .containsExactly(p3.address(), p2.address(), p1.address());
        assertThat(stats(a).finalizersRun()).isEqualTo(9);
        assertThat(a.pendingFinalizers()).isZero();
        ran.clear();
        a.reset();
        assertThat(ran).isEmpty();
    }

    @Test
    void aFinalizerIsRegisteredAtMostOnceAndOnlyForALiveBlock() {
        BumpArena a = arena();
        org.pxlab.runtime.spi.ContextArena.BlockFinalizer none = block -> { };
        long block = a.allocate(32, main);
        a.registerFinalizer(block, none);
        assertThatThrownBy(() -> a.registerFinalizer(block, none)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already registered");
        long freed = a.allocate(32, main);
        a.free(freed, 32, main);
        assertThatThrownBy(() -> a.registerFinalizer(freed, none)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already freed");
        long s = a.snapshot();
        long gone = a.allocate(32, main);
        a.rollback(s);
        assertThatThrownBy(() -> a.registerFinalizer(gone, none)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("rolled back");
        assertThatThrownBy(() -> a.registerFinalizer(block + 16, none)).isInstanceOf(IllegalStateException.class);
        assertThat(a.pendingFinalizers()).isEqualTo(1);
    }

    @Test
    void aFailingFinalizerDoesNotStopTheOthersOrTheRollback() {
        BumpArena a = arena();
        long s = a.snapshot();
        List<Long> ran = new ArrayList<>();
        long first = a.allocate(32, main);
        long second = a.allocate(32, main);
        long third = a.allocate(32, main);
        a.registerFinalizer(first, ran::add);
        a.registerFinalizer(second, block -> {
            ran.add(block);
            throw new IllegalArgumentException("finalizer of the second block");
        });
        a.registerFinalizer(third, block -> {
            ran.add(block);
            throw new UnsupportedOperationException("finalizer of the third block");
        });
        assertThatThrownBy(() -> a.rollback(s)).isInstanceOf(UnsupportedOperationException.class)
                .satisfies(e -> assertThat(e.getSuppressed()).hasSize(1)
                        .allSatisfy(x -> assertThat(x).hasMessage("finalizer of the second block")));
        assertThat(ran).containsExactly(third, second, first);
        assertThat(a.statistics().inUse()).isZero();
        assertThat(a.pendingFinalizers()).isZero();
        assertThat(a.allocate(32, main)).as("the rollback completed").isEqualTo(first);
    }

    @Test
    void aFinalizerMayNotUseTheArenaItRunsIn() {
        BumpArena a = arena();
        long s = a.snapshot();
        long block = a.allocate(32, main);
        long[] got = new long[1];
        a.registerFinalizer(block, b -> got[0] = a.allocate(16, main));
        assertThatThrownBy(() -> a.rollback(s)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("called from a finalizer");
        assertThat(got[0]).isZero();
        assertThat(a.allocate(32, main)).as("the arena works after the refusal").isEqualTo(block);
        long t = a.snapshot();
        long other = a.allocate(32, main);
        a.registerFinalizer(other, b -> a.free(b, 32, main));
        assertThatThrownBy(() -> a.rollback(t)).hasMessageContaining("called from a finalizer");
        a.registerFinalizer(a.allocate(32, main), b -> a.snapshot());
        assertThatThrownBy(a::reset).hasMessageContaining("called from a finalizer");
        assertThat(a.statistics().inUse()).isZero();
    }

    // ---- reset and release ----

    @Test
    void resetEmptiesTheArenaAndKeepsItsPages() {
        BumpArena a = arena();
        Random random = new Random(3);
        List<Long> firstAddresses = new ArrayList<>();
        for (int i = 0; i < 2000; i++) firstAddresses.add(a.allocate(randomSize(random), main));
        long s = a.snapshot();
        BumpArenaStatistics full = stats(a);
        a.reset();
        BumpArenaStatistics empty = stats(a);
        assertThat(empty.inUse()).isZero();
        assertThat(empty.bumpedBytes()).isZero();
        assertThat(empty.reserved()).isEqualTo(full.reserved());
        assertThat(empty.chunks()).isEqualTo(full.chunks());
        assertThat(empty.liveSnapshots()).isZero();
        assertThat(empty.bytesZeroed()).isEqualTo(full.bumpedBytes());
        assertThat(empty.resets()).isEqualTo(1);
        assertThat(walk(a)).isEmpty();
        assertThat(a.isLive(s)).isFalse();
        random = new Random(3);
        for (int i = 0; i < 2000; i++) {
            assertThat(a.allocate(randomSize(random), main)).as("allocation %d after the reset", i)
                    .isEqualTo(firstAddresses.get(i));
        }
        assertThat(stats(a).reserved()).isEqualTo(full.reserved());
    }

    @Test
    void releaseReturnsEveryChunkAndEndsEverySnapshot() {
        BumpArena a = arena();
        a.allocate(100, main);
        a.allocate(50_000, main);
        long s = a.snapshot();
        List<Long> ran = new ArrayList<>();
        a.registerFinalizer(a.allocate(16, main), ran::add);
        a.release();
        assertThat(ran).as("release runs no finalizer").isEmpty();
        assertThat(stats(a).reserved()).isZero();
        assertThat(stats(a).chunks()).isZero();
        assertThat(a.isLive(s)).isFalse();
        assertThat(a.statistics().inUse()).isZero();
        assertThat(a.allocate(16, main)).isNotZero();
        assertThat(walk(a)).hasSize(1);
    }

    @Test
    void maxBytesBoundsWhatItReserves() {
        BumpArena a = arena(new BumpArena(PAGE, true, 3 * PAGE));
        a.allocate(4000, main);
        a.allocate(4000, main);
        a.allocate(4000, main);
        // Each page holds one 4,016-byte slot after its first 8 bytes, and has 72 left: not enough for 112.
        assertThatThrownBy(() -> a.allocate(100, main)).isInstanceOf(SimulatedOutOfMemoryError.class)
                .hasMessageContaining("max-bytes 12288").hasMessageContaining("reserved=12288");
        assertThatThrownBy(() -> a.allocate(10_000, main)).isInstanceOf(SimulatedOutOfMemoryError.class);
        assertThat(a.allocate(48, main)).as("what still fits (a 64-byte slot) is still handed out").isNotZero();
        assertThat(a.statistics().allocations()).isEqualTo(4);
    }

    @Test
    void largePagesHoldManyMoreBlocks() {
        BumpArena a = arena(new BumpArena(2L << 20, true, Long.MAX_VALUE));
        for (int i = 0; i < 60_000; i++) a.allocate(16, main);
        assertThat(stats(a).chunks()).isEqualTo(1);
        assertThat(stats(a).reserved()).isEqualTo(2L << 20);
        assertThatThrownBy(() -> new BumpArena(3000, true, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BumpArena(6000, true, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BumpArena(4L << 20, true, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
