package org.pxlab.experiments.bench;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.pxlab.allocator.BumpArena;
import org.pxlab.allocator.BumpArenaStatistics;
import org.pxlab.runtime.config.ComponentRegistry;
import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.memory.SystemMalloc;
import org.pxlab.runtime.spi.Allocator;
import org.pxlab.runtime.spi.ComponentKind;

/**
 * What PyParallel's parallel heap ({@code bump-arena}) costs, beside its raw twin: the same
 * chain of 4 KiB pages with the same 8-byte size prefix and 16-byte slots, written straight on
 * raw memory ({@link RawChain}), with none of the arena's checks, statistics or snapshot stack.
 *
 * <ul>
 * <li>{@code allocate_pxlab} / {@code _raw}: allocate 32 bytes (a 48-byte slot: 85 per page,
 *     then the next page of the chain). Each invocation allocates {@value #BATCH} blocks, so
 *     the slow path (entering the next, already reserved, page) is taken in its real proportion;
 *     between invocations, outside the measurement, both rewind to the start and zero what was
 *     used, so each invocation runs on the same warm, zeroed pages, as a request does in a
 *     reused parallel context. The score is per block.</li>
 * <li>{@code rollback_pxlab}: one request's end, {@code rollback(s); discard(s)}, after
 *     {@code objects} blocks of 32 bytes were allocated since {@code s} (the snapshot and the
 *     allocations are made in the invocation's set-up, outside the measurement). The question
 *     is whether that is O(1): issue 4 asks for 100 and 100,000 objects within 2x of each other.
 *     Four raw twins say which part of the cost is what: {@code rollback_raw} is the same
 *     algorithm (zero the bytes bumped since the mark, page by page, with 8-byte stores, then
 *     move back), {@code rollback_rawMemoryZero} is that twin zeroing through pxlab's
 *     {@link Memory#zero} (so that the arena's bookkeeping and {@code Memory.zero}'s own loop
 *     can be told apart), {@code rollback_rawBulkZero} zeroes the same bytes with a
 *     bulk copy from a zero page (the C library's {@code memcpy}, what a {@code memset} would
 *     cost), and {@code rollback_rawNoZero} only moves the position back, the O(1) floor that a
 *     rollback without zeroing would have. All of them include JMH's per-invocation timing of a
 *     short call (tens of nanoseconds), which {@code rollback_rawNoZero} shows.</li>
 * <li>{@code snapshot_pxlab} / {@code _raw}: take a snapshot and discard it. The twin pushes
 *     the position on a stack of {@code long}s and pops it; pxlab also records the counters and
 *     checks the handle.</li>
 * </ul>
 *
 * <p>{@code allocate_pxlab} and {@code rollback_pxlab} run with both settings of the arena's
 * {@code zeroing} option: {@code on-rollback} (PyParallel's: the rollback zeroes) and
 * {@code on-reuse} (the rollback only moves back; the allocations that reuse the bytes zero
 * their slots, so {@code allocate_pxlab} then carries that cost).
 *
 * <p><b>Reading the results.</b> {@code allocate_pxlab / allocate_raw} is the simulator's tax on
 * the parallel heap's allocation (issue 4's target is at most 1.3x; nothing here is tuned
 * toward it). {@code rollback_pxlab} at 100,000 objects over 100 objects tells whether rollback
 * is independent of what was allocated; comparing it with the twins splits it into zeroing
 * (which follows bytes, 48 per block here), the fixed part, and how the zeroing is written.
 * The arena is the one a configuration gets by name ({@code bump-arena}, PyParallel's
 * defaults: 4 KiB pages and a size prefix). Single-threaded: a context's arena has one thread.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(value = 3, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class ArenaBench {
    static final MemorySegment SEGMENT = PrimitivesBench.SEGMENT;

    /** The request size: a small object. */
    static final long BLOCK = 32;
    /** Blocks per invocation of the allocation pair: 4096 blocks, 49 pages. */
    static final int BATCH = 4096;
    /** The arena's defaults, which the twin copies: checked against the arena in set-up. */
    static final long PAGE = BumpArena.MIN_PAGE_SIZE;
    static final int PREFIX = BumpArena.PREFIX_BYTES;
    static final int ALIGNMENT = BumpArena.ALIGNMENT;

    /** A {@code bump-arena} as a configuration creates it, and a snapshot of its empty state. */
    abstract static class ArenaHolder {
        BumpArena arena;
        ThreadContext thread;
        /** The empty arena's snapshot: every rewind between invocations goes back to it. */
        long start;

        void open() {
            open("on-rollback");
        }

        /** @param zeroing the arena's {@code zeroing} option: {@code on-rollback} (PyParallel's) or {@code on-reuse} */
        void open(String zeroing) {
            Allocator a = ComponentRegistry.load().create(ComponentKind.ALLOCATOR, "bump-arena", "allocator",
                    Map.of("zeroing", zeroing), Allocator.class);
            arena = (BumpArena) a;
            if (arena.pageSize() != PAGE || !arena.hasSizePrefix()) {
                throw new IllegalStateException("the raw twin assumes " + PAGE + "-byte pages with a size prefix; got " + arena);
            }
            thread = new ThreadContext(0, "bench", Placement.PARALLEL_CONTEXT);
            start = arena.snapshot();
        }

        void close() {
            arena.rollback(start);
            BumpArenaStatistics stats = arena.arenaStatistics();
            arena.release();
            if (stats.inUse() != 0) throw new IllegalStateException("bump-arena: " + stats.inUse() + " bytes in use after rollback");
        }
    }

    /** For the allocation benchmark: rewound to empty before every invocation. */
    @State(Scope.Thread)
    public static class Arena extends ArenaHolder {
        /** When rolled-back bytes are zeroed: at the rollback, or by the allocations that reuse them. */
        @Param({"on-rollback", "on-reuse"})
        public String zeroing;

        @Setup(Level.Trial)
        public void setUp() {
            open(zeroing);
        }

        @Setup(Level.Invocation)
        public void rewind() {
            arena.rollback(start);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            close();
        }
    }

    /** For the snapshot benchmark: nothing is allocated, so nothing needs rewinding between invocations. */
    @State(Scope.Thread)
    public static class IdleArena extends ArenaHolder {
        @Setup(Level.Trial)
        public void setUp() {
            open();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            close();
        }
    }

    /** For the rollback benchmark: a fresh snapshot and {@code objects} blocks allocated after it. */
    @State(Scope.Thread)
    public static class FilledArena extends ArenaHolder {
        /** Blocks of 32 bytes allocated between the snapshot and the rollback. */
        @Param({"100", "100000"})
        public int objects;

        /** When rolled-back bytes are zeroed: at the rollback, or by the allocations that reuse them. */
        @Param({"on-rollback", "on-reuse"})
        public String zeroing;

        long snapshot;

        @Setup(Level.Trial)
        public void setUp() {
            open(zeroing);
        }

        @Setup(Level.Invocation)
        public void fill() {
            snapshot = arena.snapshot();
            for (int i = 0; i < objects; i++) arena.allocate(BLOCK, thread);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            close();
        }
    }

    /**
     * The raw twin: PyParallel's heap chain on raw memory. Pages of {@link #PAGE} bytes from
     * {@code calloc}, kept in a {@code long[]}; a slot is the request plus the prefix, rounded to
     * 16 bytes; the first slot of a page starts at offset 8 so that blocks stay 16-byte aligned;
     * a slot that does not fit the rest of the page goes to the next page of the chain (reserved
     * once, kept after a rewind). A position is (page index, offset), as the arena's. It keeps
     * what the algorithm needs (where each page's bump stopped, for zeroing) and nothing else:
     * no statistics, no address index, no liveness checks, no finalizer table.
     */
    static final class RawChain {
        private static final int OFFSET_BITS = 40;
        private static final long OFFSET_MASK = (1L << OFFSET_BITS) - 1;

        long[] pages = new long[16];
        long[] used = new long[16];
        int count;
        int current;
        long base;
        long bump;
        /** A calloc'd page of zeros, the source of {@link #rewind}'s bulk zeroing. */
        final long zeroPage = SystemMalloc.calloc(PAGE);

        RawChain() {
            addPage();
            base = pages[0];
            bump = PREFIX;
        }

        long allocate(long size) {
            long slot = (size + PREFIX + (ALIGNMENT - 1)) & -ALIGNMENT;
            long offset = bump;
            if (slot > PAGE - offset) return allocateInNextPage(size, slot);
            bump = offset + slot;
            long block = base + offset + PREFIX;
            SEGMENT.set(JAVA_LONG, block - PREFIX, size);
            return block;
        }

        private long allocateInNextPage(long size, long slot) {
            used[current] = bump;
            int next = current + 1;
            if (next == count) addPage();
            current = next;
            base = pages[next];
            long offset = PREFIX;
            bump = offset + slot;
            long block = base + offset + PREFIX;
            SEGMENT.set(JAVA_LONG, block - PREFIX, size);
            return block;
        }

        private void addPage() {
            if (count == pages.length) {
                pages = Arrays.copyOf(pages, count * 2);
                used = Arrays.copyOf(used, count * 2);
            }
            pages[count] = SystemMalloc.calloc(PAGE);
            used[count] = PREFIX;
            count++;
        }

        long position() {
            return ((long) current << OFFSET_BITS) | bump;
        }

        /** How {@link #rewind} clears the bytes it gives back. */
        enum Zeroing { STORE_LOOP, MEMORY_ZERO, BULK, NONE }

        /** Zeroes what was bumped since {@code position} (page by page) and moves back to it. */
        void rewind(long position, Zeroing zeroing) {
            int page = (int) (position >>> OFFSET_BITS);
            long offset = position & OFFSET_MASK;
            if (zeroing != Zeroing.NONE) {
                for (int i = page; i <= current; i++) {
                    long from = i == page ? offset : PREFIX;
                    long to = i == current ? bump : used[i];
                    if (to <= from) continue;
                    if (zeroing == Zeroing.STORE_LOOP) {
                        // Memory.zero's algorithm: aligned 8-byte stores (slots are 16-byte multiples).
                        for (long p = pages[i] + from, end = pages[i] + to; p < end; p += 8) SEGMENT.set(JAVA_LONG, p, 0L);
                    } else if (zeroing == Zeroing.MEMORY_ZERO) {
                        Memory.zero(pages[i] + from, to - from);
                    } else {
                        MemorySegment.copy(SEGMENT, zeroPage, SEGMENT, pages[i] + from, to - from);
                    }
                }
            }
            current = page;
            base = pages[page];
            bump = offset;
        }

        void release() {
            for (int i = 0; i < count; i++) SystemMalloc.free(pages[i]);
            SystemMalloc.free(zeroPage);
            count = 0;
        }
    }

    /** The twin of {@link Arena}: rewound to empty (and zeroed, as the arena is) before every invocation. */
    @State(Scope.Thread)
    public static class RawArena {
        RawChain chain;
        long start;

        @Setup(Level.Trial)
        public void setUp() {
            chain = new RawChain();
            start = chain.position();
        }

        @Setup(Level.Invocation)
        public void rewind() {
            chain.rewind(start, RawChain.Zeroing.STORE_LOOP);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            chain.release();
        }
    }

    /** The twin of {@link IdleArena}: a chain and a stack of marks. */
    @State(Scope.Thread)
    public static class IdleRawArena {
        RawChain chain;
        final long[] marks = new long[16];
        int depth;

        @Setup(Level.Trial)
        public void setUp() {
            chain = new RawChain();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            chain.release();
        }
    }

    /** The twin of {@link FilledArena}. */
    @State(Scope.Thread)
    public static class FilledRawArena {
        @Param({"100", "100000"})
        public int objects;

        RawChain chain;
        long mark;

        @Setup(Level.Trial)
        public void setUp() {
            chain = new RawChain();
        }

        @Setup(Level.Invocation)
        public void fill() {
            mark = chain.position();
            for (int i = 0; i < objects; i++) chain.allocate(BLOCK);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            chain.release();
        }
    }

    // ---- allocate 32 bytes ----

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long allocate_pxlab(Arena s) {
        BumpArena arena = s.arena;
        ThreadContext thread = s.thread;
        long last = 0;
        for (int i = 0; i < BATCH; i++) last = arena.allocate(BLOCK, thread);
        return last;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long allocate_raw(RawArena s) {
        RawChain chain = s.chain;
        long last = 0;
        for (int i = 0; i < BATCH; i++) last = chain.allocate(BLOCK);
        return last;
    }

    // ---- rollback after N objects ----

    @Benchmark
    public void rollback_pxlab(FilledArena s) {
        s.arena.rollback(s.snapshot);
        s.arena.discard(s.snapshot);
    }

    @Benchmark
    public void rollback_raw(FilledRawArena s) {
        s.chain.rewind(s.mark, RawChain.Zeroing.STORE_LOOP);
    }

    @Benchmark
    public void rollback_rawMemoryZero(FilledRawArena s) {
        s.chain.rewind(s.mark, RawChain.Zeroing.MEMORY_ZERO);
    }

    @Benchmark
    public void rollback_rawBulkZero(FilledRawArena s) {
        s.chain.rewind(s.mark, RawChain.Zeroing.BULK);
    }

    @Benchmark
    public void rollback_rawNoZero(FilledRawArena s) {
        s.chain.rewind(s.mark, RawChain.Zeroing.NONE);
    }

    // ---- snapshot + discard ----

    @Benchmark
    public long snapshot_pxlab(IdleArena s) {
        long handle = s.arena.snapshot();
        s.arena.discard(handle);
        return handle;
    }

    @Benchmark
    public long snapshot_raw(IdleRawArena s) {
        int k = s.depth++;
        long position = s.chain.position();
        s.marks[k] = position;
        s.depth = k;
        return position;
    }
}
