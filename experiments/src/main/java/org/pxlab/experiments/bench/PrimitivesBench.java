package org.pxlab.experiments.bench;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.pxlab.runtime.config.ComponentRegistry;
import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.layout.StructLayout;
import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.memory.SystemMalloc;
import org.pxlab.runtime.spi.Allocator;
import org.pxlab.runtime.spi.ComponentKind;
import org.pxlab.runtime.spi.RefCountStrategy;

/**
 * What pxlab's layers cost on its hottest primitives. Modelled on JMH's
 * {@code JMHSample_22_FalseSharing}: each primitive as pxlab runs it sits beside its
 * <em>raw twin</em>, the same algorithm written straight on raw memory (a static final
 * {@code MemorySegment.NULL.reinterpret(Long.MAX_VALUE)} and {@code ValueLayout} accesses)
 * with none of pxlab's layers. The pairs sort next to each other in JMH's table:
 *
 * <ul>
 * <li>{@code incref_decref_pxlab} / {@code _raw}: one {@code Py_INCREF} and one
 *     {@code Py_DECREF} on one object. pxlab goes through the {@link RefCountStrategy}
 *     interface ({@code plain}, found by name), which reads the field offset it was bound to
 *     and reaches memory through {@link Memory}; the twin is CPython 3.12's algorithm on a
 *     constant offset: an int add on the low half that skips the store if it wraps (PEP 683
 *     immortals), then a long decrement unless {@code (int) count < 0}.</li>
 * <li>{@code allocate_free_pxlab} / {@code _raw}: allocate 32 bytes and free them. pxlab goes
 *     through the {@link Allocator} interface (the {@code allocator} parameter, by name:
 *     {@code size-class-pool} by default, pymalloc's design); the twin is pymalloc's fast
 *     path reduced to one size class: pop the head of a free list, or carve the next block
 *     from a preallocated pool; push the head on free. No SPI, no statistics, no pool
 *     bookkeeping.</li>
 * <li>{@code header_read_pxlab} / {@code _raw}: read {@code ob_type}. pxlab uses
 *     {@link Memory#getLong} at the offset a composed {@link StructLayout} gives; the twin
 *     reads {@code SEGMENT.get(JAVA_LONG, address + 8)}.</li>
 * </ul>
 *
 * <p><b>Reading the results.</b> Divide each {@code _pxlab} score by its {@code _raw} twin's.
 * A ratio near 1 means the JIT removed the layers (the interface call is monomorphic and
 * inlined, {@code Memory}'s unbounded segment folds like the twin's) and the simulator costs
 * what the modelled C code would cost on the JVM. A ratio well above 1 is simulation
 * overhead that every workload pays on every operation, and belongs in the discussion of
 * any result built on that primitive. The allocator ratio also includes the allocator's
 * statistics (per-thread counters), which the twin does not keep: that is part of the price.
 * With {@code -p allocator=malloc} the pxlab side is glibc through an FFM downcall, a
 * different algorithm from the twin: a plumbing check, not a comparison.
 *
 * <p>The refcount pair's absolute time is not the cost of one count update: an increment
 * followed at once by a decrement of the same word stores 4 bytes and then loads 8 from the
 * same address, which x86 cannot forward from the store buffer, so the load waits for the
 * store (a few nanoseconds; a long-only variant of the twin ran about 6x faster on the
 * development machine). CPython 3.12 pays the same stall for the same C code, so both twins
 * keep it: the ratio is what this pair is for.
 *
 * <p>Absolute nanoseconds depend on the machine; compare pairs within one run, and on a
 * small machine (two cores) run with both forks, as small differences are noise there.
 * Each benchmark is single-threaded and uses one {@link ThreadContext}, id 0.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class PrimitivesBench {

    /** The raw twins' view of memory: the whole address space, no pxlab class in between. */
    @SuppressWarnings("restricted")
    static final MemorySegment SEGMENT = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    /** Where the twins find the fields: constants, checked against the composed layout in setup. */
    static final long RAW_REFCNT = 0;
    static final long RAW_TYPE = 8;

    /** The block size both allocator benchmarks request: a small object (a float is 24 B). */
    static final long BLOCK = 32;

    /** A value in {@code ob_type}, so the header reads return something the setup can check. */
    static final long TYPE_WORD = 0x7E57_7E57_7E57L;

    /**
     * One object with {@code plain}'s header ({@code ob_refcnt}, {@code ob_type}) and one
     * reference, for the refcount and header-read pairs. The pxlab side uses the strategy
     * and the offsets exactly as a runtime would bind them.
     */
    @State(Scope.Thread)
    public static class ObjectState {
        RefCountStrategy refcount;
        ThreadContext thread;
        int typeOffset;
        long object;

        @Setup(Level.Trial)
        public void setUp() {
            refcount = ComponentRegistry.load().create(ComponentKind.REFCOUNT, "plain", "refcount", Map.of(),
                    RefCountStrategy.class);
            // The header a one-space configuration composes (no sync fields under the GIL).
            StructLayout header = Heap.composeHeader(List.of(refcount), List.of());
            refcount.bind(header);
            typeOffset = header.offsetOf("ob_type");
            // The twins hard-code the offsets; they must be the ones pxlab computes, or the
            // pairs would not touch the same words.
            if (header.offsetOf("ob_refcnt") != RAW_REFCNT || typeOffset != RAW_TYPE) {
                throw new IllegalStateException("the raw twins assume ob_refcnt at " + RAW_REFCNT + " and ob_type at "
                        + RAW_TYPE + "; the composed header is " + header.slots());
            }
            thread = new ThreadContext(0, "bench", Placement.MAIN);
            object = SystemMalloc.malloc(header.size());
            refcount.initialize(object, thread);
            Memory.putLong(object + typeOffset, TYPE_WORD);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            // Every increment was matched by a decrement: a twin that miscounted shows here.
            long count = refcount.referenceCount(object);
            long type = Memory.getLong(object + typeOffset);
            SystemMalloc.free(object);
            if (count != 1 || type != TYPE_WORD) {
                throw new IllegalStateException("benchmark object corrupted: ob_refcnt " + count + ", ob_type " + Long.toHexString(type));
            }
        }
    }

    /** A fresh allocator of the {@code allocator} parameter's kind, as a configuration would create it. */
    @State(Scope.Thread)
    public static class AllocatorState {
        /** An allocator name, as configurations spell it. */
        @Param({"size-class-pool"})
        public String allocator;

        Allocator instance;
        ThreadContext thread;
        /** One block kept live, as in a running program, so the pool never empties between invocations. */
        long live;

        @Setup(Level.Trial)
        public void setUp() {
            instance = ComponentRegistry.load().create(ComponentKind.ALLOCATOR, allocator, "allocator", Map.of(), Allocator.class);
            thread = new ThreadContext(0, "bench", Placement.MAIN);
            live = instance.allocate(BLOCK, thread);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            instance.free(live, BLOCK, thread);
            long live = instance.statistics().liveBlocks();
            instance.release();
            if (live != 0) throw new IllegalStateException(allocator + " reports " + live + " live blocks after the benchmark");
        }
    }

    /**
     * The allocator's raw twin: pymalloc's fast path ({@code pymalloc_alloc} /
     * {@code pymalloc_free} in {@code Objects/obmalloc.c}) on one 4 KiB pool whose header lives
     * in the pool, as {@code size-class-pool}'s does: the size class from the request,
     * {@code usedpools[class]}, the pool's count and {@code freeblock} list, carving at
     * {@code nextoffset}, the pool found from the block address on free. It leaves out what
     * pxlab adds: the SPI call, statistics, and the slow paths' arena management (which the
     * steady state never reaches: like {@link AllocatorState}, it keeps one block live so the
     * pool never empties).
     */
    @State(Scope.Thread)
    public static class RawPoolState {
        static final long POOL = 4096;
        static final int COUNT = 0, FREEBLOCK = 8, NEXTOFFSET = 16, OVERHEAD = 48;

        final long[] usedpools = new long[32];
        long raw;
        long live;

        @Setup(Level.Trial)
        public void setUp() {
            raw = SystemMalloc.malloc(2 * POOL);
            long pool = (raw + POOL - 1) & -POOL;
            SEGMENT.set(JAVA_INT, pool + COUNT, 0);
            SEGMENT.set(JAVA_LONG, pool + FREEBLOCK, pool + OVERHEAD);
            SEGMENT.set(JAVA_LONG, pool + OVERHEAD, 0L);
            SEGMENT.set(JAVA_INT, pool + NEXTOFFSET, (int) (OVERHEAD + BLOCK));
            usedpools[(int) ((BLOCK - 1) >>> 4)] = pool;
            live = allocate(BLOCK);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            // The live block goes with the pool: freeing it would empty the pool, which the twin refuses.
            SystemMalloc.free(raw);
        }

        long allocate(long size) {
            // pymalloc_alloc's first test: larger requests go to the system allocator.
            if (Long.compareUnsigned(size - 1, 512) >= 0) throw new IllegalStateException("large request in the twin");
            int idx = (int) ((size - 1) >>> 4);
            long pool = usedpools[idx];
            if (pool == 0) throw new IllegalStateException("raw pool full: the steady state frees what it allocates");
            SEGMENT.set(JAVA_INT, pool + COUNT, SEGMENT.get(JAVA_INT, pool + COUNT) + 1);
            long block = SEGMENT.get(JAVA_LONG, pool + FREEBLOCK);
            long next = SEGMENT.get(JAVA_LONG, block);
            SEGMENT.set(JAVA_LONG, pool + FREEBLOCK, next);
            if (next == 0) {
                int offset = SEGMENT.get(JAVA_INT, pool + NEXTOFFSET);
                long classSize = (idx + 1) << 4;
                if (offset + classSize <= POOL) {
                    SEGMENT.set(JAVA_LONG, pool + offset, 0L);
                    SEGMENT.set(JAVA_LONG, pool + FREEBLOCK, pool + offset);
                    SEGMENT.set(JAVA_INT, pool + NEXTOFFSET, (int) (offset + classSize));
                } else {
                    usedpools[idx] = 0;
                }
            }
            return block;
        }

        void free(long block, long size) {
            if (Long.compareUnsigned(size - 1, 512) >= 0) throw new IllegalStateException("large free in the twin");
            long pool = block & -POOL;
            long last = SEGMENT.get(JAVA_LONG, pool + FREEBLOCK);
            SEGMENT.set(JAVA_LONG, block, last);
            SEGMENT.set(JAVA_LONG, pool + FREEBLOCK, block);
            int count = SEGMENT.get(JAVA_INT, pool + COUNT) - 1;
            SEGMENT.set(JAVA_INT, pool + COUNT, count);
            if (last == 0) {
                usedpools[(int) ((size - 1) >>> 4)] = pool;
            } else if (count == 0) {
                // An emptied pool would go back to its arena: the steady state never gets here.
                throw new IllegalStateException("raw pool emptied: the live block was freed");
            }
        }
    }

    // ---- Py_INCREF + Py_DECREF ----

    @Benchmark
    public boolean incref_decref_pxlab(ObjectState s) {
        s.refcount.incref(s.object, s.thread);
        return s.refcount.decref(s.object, s.thread);
    }

    @Benchmark
    public boolean incref_decref_raw(ObjectState s) {
        long at = s.object + RAW_REFCNT;
        int low = SEGMENT.get(JAVA_INT, at) + 1;
        if (low != 0) SEGMENT.set(JAVA_INT, at, low);
        long count = SEGMENT.get(JAVA_LONG, at);
        if ((int) count < 0) return false;
        SEGMENT.set(JAVA_LONG, at, --count);
        return count == 0;
    }

    // ---- allocate + free, 32 bytes ----

    @Benchmark
    public void allocate_free_pxlab(AllocatorState s, Blackhole bh) {
        long block = s.instance.allocate(BLOCK, s.thread);
        bh.consume(block);
        s.instance.free(block, BLOCK, s.thread);
    }

    @Benchmark
    public void allocate_free_raw(RawPoolState s, Blackhole bh) {
        long block = s.allocate(BLOCK);
        bh.consume(block);
        s.free(block, BLOCK);
    }

    // ---- header read: ob_type ----

    @Benchmark
    public long header_read_pxlab(ObjectState s) {
        return Memory.getLong(s.object + s.typeOffset);
    }

    @Benchmark
    public long header_read_raw(ObjectState s) {
        return SEGMENT.get(JAVA_LONG, s.object + RAW_TYPE);
    }
}
