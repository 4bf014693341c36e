package org.pxlab.runtime.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.spi.Allocator;
import org.pxlab.runtime.spi.AllocatorStatistics;

/**
 * The {@link Allocator} contract as a test kit: every test an allocator must pass, written
 * once, run against each implementation by a one-method subclass (in the manner of JCTools'
 * {@code MpqSanityTest}, where one abstract class holds the sanity tests of every queue).
 *
 * <p><b>What it checks.</b>
 * <ul>
 *   <li><em>Alignment</em>: every block of 1 to 600 bytes, and a few large ones, is non-zero
 *       and 16-byte aligned.</li>
 *   <li><em>No overlap</em>: a seeded run of 20,000 random allocations and frees keeps a
 *       shadow map of the live ranges; each new block must overlap none of them, and each
 *       block carries its own byte pattern, checked intact before it is freed (a block that
 *       another allocation was placed on top of, or that the allocator wrote its own
 *       metadata into, shows up there).</li>
 *   <li><em>Reuse</em>: a freed block's memory is handed out again within
 *       {@link #reuseWithin()} allocations of the same size. The SPI does not promise this;
 *       it is an expectation a subclass tightens or drops (bump arenas never reuse before
 *       they are released: they return {@link #NO_REUSE}).</li>
 *   <li><em>Statistics</em>: {@code allocations} and {@code frees} count every call exactly;
 *       {@code inUse} rises by at least the requested size on each allocation, falls on the
 *       matching free by what that allocation added, and ends where it started;
 *       {@code peakInUse} never falls and is never below an {@code inUse} the test saw;
 *       {@code reserved >= inUse} unless {@link #reservedCoversInUse()} says otherwise.</li>
 *   <li><em>Walk</em>: when {@link #supportsWalk()}, a walk visits each live block exactly
 *       once, with at least its requested size, and nothing else; otherwise {@code walk}
 *       must throw {@link UnsupportedOperationException} (a silent empty walk would make a
 *       heap-walking collector believe the heap is empty).</li>
 *   <li><em>Two threads</em>, when {@link Allocator#isThreadSafe()}: two Java threads with
 *       distinct {@link ThreadContext}s allocate, write patterns, check and free at once,
 *       and hand blocks to each other through queues so that about a third of the frees are
 *       cross-thread. Afterwards no overlap was seen, every pattern was intact, and the
 *       statistics are exact. Allocators that are not thread safe skip it (JUnit reports it
 *       as skipped, not passed).</li>
 * </ul>
 * Every test is seeded: the sequence of requests is the same on every run, and what a test
 * asserts does not depend on how the two threads of the stress test interleave.
 *
 * <p><b>Using it for a new allocator.</b> Put a subclass whose name ends in {@code Test} in
 * the allocator's module (its tests depend on the runtime's test jar, which holds this class):
 * <pre>{@code
 * class BumpArenaContractTest extends AllocatorContract {
 *     @Override protected Allocator create() { return new BumpArena(1 << 20); }
 *     @Override protected int reuseWithin() { return NO_REUSE; } // frees only at release
 * }
 * }</pre>
 * {@link #create()} must return a new, unused instance on every call; the kit releases each
 * one after the test. Override the other hooks only where the allocator's own documentation
 * says it differs, and say why in the subclass. Add tests of the allocator's particular
 * behaviour (its size classes, its arenas) in a separate test class.
 *
 * <p>Blocks are freed with the size they were requested with, as the SPI requires. Tests run
 * with {@code -Dpxlab.poison=true}, so freed blocks are poisoned and a use after free by the
 * allocator itself reads poison.
 */
public abstract class AllocatorContract {
    /** {@link #reuseWithin()} for allocators that never hand out freed memory before {@link Allocator#release()}. */
    protected static final int NO_REUSE = 0;

    /** All randomness derives from this, so a failure reproduces; it is printed in failure messages. */
    protected static final long SEED = 0x70786C61_62_6B6974L;

    /** Large requests for the alignment test: past pymalloc's 512-byte threshold, around a page, a MiB. */
    private static final long[] LARGE_SIZES = {513, 1000, 4095, 4096, 4097, 65_536, 1 << 20};

    /** The runtime thread of single-threaded tests (id 0; the stress test's workers are 1 and 2). */
    protected final ThreadContext main = new ThreadContext(0, "kit-main", Placement.MAIN);

    private final List<Allocator> created = new ArrayList<>();

    /** A new, unused allocator. Called once per test; the kit releases it afterwards. */
    protected abstract Allocator create();

    /**
     * Whether {@link Allocator#walk} visits the live blocks. {@code false} for allocators
     * that cannot enumerate their blocks ({@code malloc}); their {@code walk} must throw
     * {@link UnsupportedOperationException}, which the kit checks instead.
     */
    protected boolean supportsWalk() {
        return true;
    }

    /**
     * Within how many allocations of the same size a freed block's memory must be handed out
     * again, or {@link #NO_REUSE}. Not an SPI promise but what makes an allocator usable for
     * long runs: one that never reuses grows without bound. The default, 4096, covers
     * free-list-sharded designs (mimalloc reuses a page's freed blocks once its fresh ones
     * are used up); LIFO free lists (pymalloc) reuse on the very next allocation.
     */
    protected int reuseWithin() {
        return 4096;
    }

    /**
     * The request sizes whose reuse {@link #freedMemoryIsHandedOutAgain} checks. Override to
     * leave out sizes the allocator hands to another allocator that promises nothing (pymalloc
     * passes requests over 512 bytes to the C library).
     */
    protected long[] reuseSizes() {
        return new long[] {1, 16, 17, 100, 512, 4096};
    }

    /**
     * Whether {@code reserved >= inUse} always holds. True when {@code reserved} counts every
     * byte the allocator obtained and still holds, as {@link AllocatorStatistics} defines it;
     * an allocator whose {@code reserved} deliberately counts less says so here.
     */
    protected boolean reservedCoversInUse() {
        return true;
    }

    /** Operations per thread in the two-thread stress test. */
    protected int stressOperations() {
        return 100_000;
    }

    /**
     * A request size for the random tests: mostly small objects (1 to 64 bytes), many up to
     * 600 bytes (across pymalloc's 512-byte threshold), and one in twenty large (up to about
     * 70 KB). Override to steer the mix towards an allocator's interesting sizes.
     */
    protected long randomSize(Random random) {
        int r = random.nextInt(100);
        if (r < 60) return 1 + random.nextInt(64);
        if (r < 95) return 1 + random.nextInt(600);
        return 601 + random.nextInt(70_000);
    }

    /** A new allocator from {@link #create()}, released after the test. */
    protected final Allocator fresh() {
        Allocator a = create();
        assertThat(a).as("create()").isNotNull();
        assertThat(created).as("create() must return a new instance each time").doesNotContain(a);
        created.add(a);
        return a;
    }

    @AfterEach
    public final void releaseAllocators() {
        // After a failure blocks may still be live; release returns them all the same.
        for (Allocator a : created) a.release();
        created.clear();
    }

    // ---- tests ----

    @Test
    public void freshAllocatorHasHandedOutNothing() {
        Allocator a = fresh();
        AllocatorStatistics s = a.statistics();
        assertThat(s.allocations()).as("allocations of a fresh allocator").isZero();
        assertThat(s.frees()).as("frees of a fresh allocator").isZero();
        assertThat(s.inUse()).as("inUse of a fresh allocator").isZero();
        assertThat(s.peakInUse()).as("peakInUse of a fresh allocator").isZero();
        assertThat(s.reserved()).as("reserved").isNotNegative();
        if (supportsWalk()) assertThat(walk(a)).as("blocks a fresh allocator's walk visits").isEmpty();
    }

    @Test
    public void blocksAreNonZeroAndAlignedTo16Bytes() {
        Allocator a = fresh();
        List<Block> blocks = new ArrayList<>();
        for (long size = 1; size <= 600; size++) blocks.add(new Block(a.allocate(size, main), size, 0));
        for (long size : LARGE_SIZES) blocks.add(new Block(a.allocate(size, main), size, 0));
        for (Block b : blocks) {
            assertThat(b.address).as("address of a %d-byte block", b.size).isNotZero();
            assertThat(b.address & 15).as("0x%x, a %d-byte block, modulo 16", b.address, b.size).isZero();
        }
        for (Block b : blocks) a.free(b.address, b.size, main);
    }

    @Test
    public void liveBlocksNeverOverlap() {
        Allocator a = fresh();
        Random random = new Random(SEED ^ 0x1);
        LiveBlocks shadow = new LiveBlocks();
        List<Block> live = new ArrayList<>();
        final int operations = 20_000;
        long serial = 0;
        for (int op = 0; op < operations; op++) {
            // Grow to a few thousand live blocks, then shrink: both fresh memory and reuse.
            int allocatePercent = op < operations / 2 ? 65 : 40;
            if (live.isEmpty() || random.nextInt(100) < allocatePercent) {
                long size = randomSize(random);
                Block b = new Block(a.allocate(size, main), size, tag(1, serial++));
                shadow.claim(b, "operation " + op + " (seed " + Long.toHexString(SEED ^ 0x1) + ")");
                b.fill();
                live.add(b);
            } else {
                Block b = removeAt(live, random.nextInt(live.size()));
                b.checkIntact("before its free at operation " + op);
                shadow.release(b);
                a.free(b.address, b.size, main);
            }
        }
        // A late block placed on an early one shows here even if the early one was never freed.
        for (Block b : live) b.checkIntact("at the end of the run");
        for (Block b : live) a.free(b.address, b.size, main);
    }

    @Test
    public void freedMemoryIsHandedOutAgain() {
        assumeTrue(reuseWithin() != NO_REUSE, "this allocator declares that it does not reuse freed memory before release");
        Allocator a = fresh();
        for (long size : reuseSizes()) {
            // Live neighbours on both sides, so that freeing the victim empties no pool and
            // merges with no free neighbour: the reuse asked for is of that very block.
            long before = a.allocate(size, main);
            long victim = a.allocate(size, main);
            long after = a.allocate(size, main);
            a.free(victim, size, main);
            List<Long> again = new ArrayList<>();
            boolean reused = false;
            while (!reused && again.size() < reuseWithin()) {
                long p = a.allocate(size, main);
                again.add(p);
                reused = p < victim + size && victim < p + size;
            }
            assertThat(reused).as("a freed %d-byte block at 0x%x: none of the next %d allocations of %d bytes reused its"
                    + " memory", size, victim, reuseWithin(), size).isTrue();
            for (long p : again) a.free(p, size, main);
            a.free(before, size, main);
            a.free(after, size, main);
        }
    }

    @Test
    public void statisticsCountEveryCallExactly() {
        Allocator a = fresh();
        Random random = new Random(SEED ^ 0x2);
        AllocatorStatistics start = a.statistics();
        AllocatorStatistics previous = start;
        long highestSeen = start.inUse();
        final int n = 1_000;
        Block[] blocks = new Block[n];
        long[] charged = new long[n];
        for (int i = 0; i < n; i++) {
            long size = randomSize(random);
            Block b = new Block(a.allocate(size, main), size, 0);
            blocks[i] = b;
            AllocatorStatistics s = a.statistics();
            String when = "after allocation " + (i + 1) + " (" + size + " bytes): " + s;
            assertThat(s.allocations()).as(when).isEqualTo(start.allocations() + i + 1);
            assertThat(s.frees()).as(when).isEqualTo(start.frees());
            // inUse counts blocks as the allocator rounds them: at least what was asked.
            assertThat(s.inUse() - previous.inUse()).as("inUse growth " + when).isGreaterThanOrEqualTo(size);
            charged[i] = s.inUse() - previous.inUse();
            checkPeakAndReserved(s, previous, when);
            highestSeen = Math.max(highestSeen, s.inUse());
            previous = s;
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) order.add(i);
        Collections.shuffle(order, random);
        for (int i = 0; i < n; i++) {
            Block b = blocks[order.get(i)];
            a.free(b.address, b.size, main);
            AllocatorStatistics s = a.statistics();
            String when = "after free " + (i + 1) + " (" + b.size + " bytes): " + s;
            assertThat(s.allocations()).as(when).isEqualTo(start.allocations() + n);
            assertThat(s.frees()).as(when).isEqualTo(start.frees() + i + 1);
            // A block counts the same from its allocation to its free.
            assertThat(previous.inUse() - s.inUse()).as("inUse drop " + when).isEqualTo(charged[order.get(i)]);
            checkPeakAndReserved(s, previous, when);
            previous = s;
        }
        AllocatorStatistics end = a.statistics();
        assertThat(end.inUse()).as("inUse once everything is freed: " + end).isEqualTo(start.inUse());
        assertThat(end.liveBlocks()).as("live blocks once everything is freed").isEqualTo(start.liveBlocks());
        assertThat(end.peakInUse()).as("peakInUse against the highest inUse seen").isGreaterThanOrEqualTo(highestSeen);
    }

    private void checkPeakAndReserved(AllocatorStatistics s, AllocatorStatistics previous, String when) {
        assertThat(s.peakInUse()).as("peakInUse >= inUse " + when).isGreaterThanOrEqualTo(s.inUse());
        assertThat(s.peakInUse()).as("peakInUse never falls: " + when).isGreaterThanOrEqualTo(previous.peakInUse());
        if (reservedCoversInUse()) assertThat(s.reserved()).as("reserved >= inUse " + when).isGreaterThanOrEqualTo(s.inUse());
    }

    @Test
    public void walkVisitsExactlyTheLiveBlocks() {
        assumeTrue(supportsWalk(), "this allocator cannot walk its blocks");
        Allocator a = fresh();
        Random random = new Random(SEED ^ 0x3);
        Map<Long, Long> live = new HashMap<>();
        List<Block> all = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            long size = randomSize(random);
            all.add(new Block(a.allocate(size, main), size, 0));
        }
        for (Block b : all) {
            if (random.nextBoolean()) a.free(b.address, b.size, main);
            else live.put(b.address, b.size);
        }
        Map<Long, Long> visited = walk(a);
        assertThat(visited.keySet()).as("blocks the walk visited, against the live ones").isEqualTo(live.keySet());
        for (Map.Entry<Long, Long> e : live.entrySet()) {
            assertThat(visited.get(e.getKey())).as("size the walk reports for the %d-byte block at 0x%x", e.getValue(), e.getKey())
                    .isGreaterThanOrEqualTo(e.getValue());
        }
        for (Map.Entry<Long, Long> e : live.entrySet()) a.free(e.getKey(), e.getValue(), main);
        assertThat(walk(a)).as("blocks visited once everything is freed").isEmpty();
    }

    @Test
    public void walkIsRefusedWhenUnsupported() {
        assumeFalse(supportsWalk(), "this allocator walks its blocks");
        Allocator a = fresh();
        long p = a.allocate(64, main);
        assertThatThrownBy(() -> a.walk((address, size) -> { }))
                .as("walk of an allocator that declares it cannot walk: it must refuse, not visit nothing")
                .isInstanceOf(UnsupportedOperationException.class);
        a.free(p, 64, main);
    }

    @Test
    public void twoThreadsAllocateAndFreeConcurrentlyIncludingCrossThreadFrees() throws InterruptedException {
        Allocator a = fresh();
        assumeTrue(a.isThreadSafe(), "this allocator is not thread safe: callers serialise it");
        AllocatorStatistics start = a.statistics();
        LiveBlocks shadow = new LiveBlocks();
        AtomicInteger ready = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Queue<Block> toSecond = new ConcurrentLinkedQueue<>();
        Queue<Block> toFirst = new ConcurrentLinkedQueue<>();
        Worker[] workers = {
            new Worker(a, new ThreadContext(1, "kit-worker-1", Placement.MAIN), shadow, toFirst, toSecond, ready, stop, failure),
            new Worker(a, new ThreadContext(2, "kit-worker-2", Placement.MAIN), shadow, toSecond, toFirst, ready, stop, failure)};
        Thread[] threads = new Thread[workers.length];
        for (int i = 0; i < workers.length; i++) {
            threads[i] = new Thread(workers[i], workers[i].thread.name());
            threads[i].start();
        }
        for (Thread t : threads) t.join(120_000);
        if (threads[0].isAlive() || threads[1].isAlive()) {
            stop.set(true);
            for (Thread t : threads) t.join(10_000);
            throw new AssertionError("the stress threads did not finish within two minutes");
        }
        if (failure.get() != null) throw new AssertionError("a stress thread failed (seed " + Long.toHexString(SEED) + ")", failure.get());

        // Blocks handed over after the receiver stopped looking: freed by a third context.
        long drained = 0;
        for (Queue<Block> q : List.of(toFirst, toSecond)) {
            for (Block b; (b = q.poll()) != null; drained++) {
                b.checkIntact("before its free by the main thread, after the stress");
                shadow.release(b);
                a.free(b.address, b.size, main);
            }
        }
        assertThat(shadow.size()).as("blocks still live after the stress").isZero();

        long allocations = workers[0].allocations + workers[1].allocations;
        long frees = workers[0].frees + workers[1].frees + drained;
        long crossThread = workers[0].crossThreadFrees + workers[1].crossThreadFrees + drained;
        assertThat(frees).as("frees against allocations").isEqualTo(allocations);
        assertThat(crossThread).as("cross-thread frees the stress performed").isPositive();
        AllocatorStatistics end = a.statistics();
        assertThat(end.allocations()).as("allocations after the stress: " + end).isEqualTo(start.allocations() + allocations);
        assertThat(end.frees()).as("frees after the stress: " + end).isEqualTo(start.frees() + frees);
        assertThat(end.inUse()).as("inUse after the stress: " + end).isEqualTo(start.inUse());
        assertThat(end.peakInUse()).as("peakInUse after the stress: " + end).isGreaterThanOrEqualTo(end.inUse());
        if (reservedCoversInUse()) assertThat(end.reserved()).as("reserved after the stress: " + end).isGreaterThanOrEqualTo(end.inUse());
    }

    /**
     * One stress thread: allocates (claiming the range in the shared shadow map, then writing
     * its pattern), frees its own blocks, hands some to the other thread and frees what the
     * other thread handed it. Counts what it did, for the exact statistics check.
     */
    private final class Worker implements Runnable {
        private static final int MAX_LIVE = 1_000;
        final ThreadContext thread;
        private final Allocator allocator;
        private final LiveBlocks shadow;
        private final Queue<Block> inbox;
        private final Queue<Block> outbox;
        private final AtomicInteger ready;
        private final AtomicBoolean stop;
        private final AtomicReference<Throwable> failure;
        long allocations;
        long frees;
        long crossThreadFrees;

        Worker(Allocator allocator, ThreadContext thread, LiveBlocks shadow, Queue<Block> inbox, Queue<Block> outbox,
               AtomicInteger ready, AtomicBoolean stop, AtomicReference<Throwable> failure) {
            this.allocator = allocator;
            this.thread = thread;
            this.shadow = shadow;
            this.inbox = inbox;
            this.outbox = outbox;
            this.ready = ready;
            this.stop = stop;
            this.failure = failure;
        }

        @Override
        public void run() {
            Random random = new Random(SEED ^ (0x100L * thread.id()));
            List<Block> mine = new ArrayList<>();
            long serial = 0;
            try {
                // Spin rather than park at the start line: the threads must really run at once.
                ready.incrementAndGet();
                while (ready.get() < 2) Thread.onSpinWait();
                int operations = stressOperations();
                for (int op = 0; op < operations && !stop.get(); op++) {
                    int r = random.nextInt(100);
                    if (mine.isEmpty() || (r < 45 && mine.size() < MAX_LIVE)) {
                        long size = randomSize(random);
                        Block b = new Block(allocator.allocate(size, thread), size, tag(thread.id() + 1, serial++));
                        allocations++;
                        shadow.claim(b, thread + ", operation " + op);
                        b.fill();
                        mine.add(b);
                    } else if (r < 70) {
                        free(removeAt(mine, random.nextInt(mine.size())), "its allocating thread");
                    } else if (r < 85) {
                        // The queue's publication makes the pattern visible to the receiver.
                        outbox.add(removeAt(mine, random.nextInt(mine.size())));
                    } else {
                        Block b = inbox.poll();
                        if (b != null) {
                            free(b, "the other thread");
                            crossThreadFrees++;
                        }
                    }
                }
                while (!mine.isEmpty()) free(removeAt(mine, mine.size() - 1), "its allocating thread");
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
                stop.set(true);
            }
        }

        private void free(Block b, String by) {
            b.checkIntact("before its free by " + by + " (" + thread + ")");
            // Leave the shadow map first: once freed, the range may be handed out at once.
            shadow.release(b);
            allocator.free(b.address, b.size, thread);
            frees++;
        }
    }

    // ---- helpers ----

    /** Every live block, visited by a walk; fails on a block visited twice. */
    protected static Map<Long, Long> walk(Allocator a) {
        Map<Long, Long> visited = new HashMap<>();
        a.walk((address, size) -> {
            Long earlier = visited.put(address, size);
            assertThat(earlier).as("the walk visited the block at 0x%x twice", address).isNull();
        });
        return visited;
    }

    private static Block removeAt(List<Block> blocks, int i) {
        // Swap with the last: O(1), and the seeded choice of victims stays deterministic.
        Block b = blocks.get(i);
        Block last = blocks.removeLast();
        if (i < blocks.size()) blocks.set(i, last);
        return b;
    }

    /** A distinct pattern seed per block: a mixed serial number, never the poison word. */
    private static long tag(long stream, long serial) {
        long z = SEED + stream * 0x9E37_79B9_7F4A_7C15L + serial * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        z ^= z >>> 31;
        return z == Memory.POISON_WORD ? z + 1 : z;
    }

    /** A block handed out: where, the size asked for, and the tag its pattern derives from. */
    private record Block(long address, long size, long tag) {
        long end() {
            return address + size;
        }

        /** The word at {@code offset}: differs between blocks and between words of one block. */
        private long word(long offset) {
            return tag ^ (offset * 0x9E37_79B9_7F4A_7C15L);
        }

        private byte byteAt(long offset) {
            return (byte) (word(offset & ~7L) >>> (8 * (offset & 7)));
        }

        void fill() {
            long o = 0;
            for (; o + 8 <= size; o += 8) Memory.putLong(address + o, word(o));
            for (; o < size; o++) Memory.putByte(address + o, byteAt(o));
        }

        void checkIntact(String when) {
            long o = 0;
            for (; o + 8 <= size; o += 8) {
                long got = Memory.getLong(address + o);
                if (got != word(o)) throw damaged(o, got, word(o), when);
            }
            for (; o < size; o++) {
                byte got = Memory.getByte(address + o);
                if (got != byteAt(o)) throw damaged(o, got & 0xFF, byteAt(o) & 0xFF, when);
            }
        }

        private AssertionError damaged(long offset, long got, long wrote, String when) {
            return new AssertionError(String.format("the %d-byte block [0x%x, 0x%x) was overwritten while live, found %s:"
                    + " at offset %d it holds 0x%x where its owner wrote 0x%x (another block placed on it, or the"
                    + " allocator's own bookkeeping)", size, address, end(), when, offset, got, wrote));
        }

        @Override
        public String toString() {
            return String.format("[0x%x, 0x%x) (%d bytes)", address, end(), size);
        }
    }

    /** The shadow map: live ranges by start address. Synchronised for the stress test. */
    private static final class LiveBlocks {
        private final TreeMap<Long, Block> byStart = new TreeMap<>();

        /** Records a block just handed out, failing if it overlaps one that is live. */
        synchronized void claim(Block b, String when) {
            Map.Entry<Long, Block> below = byStart.floorEntry(b.address);
            Block clash = below != null && below.getValue().end() > b.address ? below.getValue() : null;
            if (clash == null) {
                Map.Entry<Long, Block> above = byStart.higherEntry(b.address);
                if (above != null && above.getKey() < b.end()) clash = above.getValue();
            }
            if (clash != null) {
                throw new AssertionError("allocate(" + b.size + ") at " + when + " returned " + b
                        + ", which overlaps the live block " + clash + " (" + byStart.size() + " blocks live)");
            }
            byStart.put(b.address, b);
        }

        synchronized void release(Block b) {
            Block removed = byStart.remove(b.address);
            if (removed != b) throw new AssertionError("the shadow map lost track of " + b + " (found " + removed + ")");
        }

        synchronized int size() {
            return byStart.size();
        }
    }
}
