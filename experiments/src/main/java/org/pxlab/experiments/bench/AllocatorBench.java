package org.pxlab.experiments.bench;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
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
import org.openjdk.jmh.infra.Control;
import org.pxlab.allocator.LockedGlobalAllocator;
import org.pxlab.runtime.config.ComponentRegistry;
import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.memory.SystemMalloc;
import org.pxlab.runtime.spi.Allocator;
import org.pxlab.runtime.spi.ComponentKind;

/**
 * What sharing an allocator between threads costs: {@code locked-global} (pymalloc under one
 * {@code PyMutex}) and {@code thread-sharded} (mimalloc's per-thread heaps) beside
 * {@code size-class-pool} (pymalloc alone, not thread safe) and raw twins, allocating and
 * freeing 32 bytes.
 *
 * <ul>
 * <li>{@code oneThread_pxlab} ({@code allocator}: all three): allocate, then free, on one
 *     thread, through the {@link Allocator} SPI. Its twins: {@code oneThread_rawPool},
 *     pymalloc's fast path on raw memory ({@link PrimitivesBench.RawPoolState}, the twin of
 *     {@code size-class-pool}), and {@code oneThread_rawLockedPool}, the same pool under a raw
 *     CAS lock with PyMutex's fast paths (the twin of {@code locked-global}).</li>
 * <li>{@code twoThreads_pxlab} ({@code threadSafeAllocator}): the same on two threads sharing
 *     one allocator, each freeing its own blocks; twin {@code twoThreads_rawLockedPool}.
 *     {@code size-class-pool} is left out: it is not thread safe.</li>
 * <li>{@code crossThread_pxlab} ({@code threadSafeAllocator}): thread A allocates and passes
 *     the block through a bounded single-producer single-consumer ring ({@link AddressRing},
 *     in raw memory) to thread B, which frees it: the free always comes from another thread,
 *     which for {@code thread-sharded} is the CAS onto the page's {@code thread_free} list and
 *     the owner's later collection of it. {@code crossThread_rawRing} passes counters through
 *     the same ring with no allocator: the ring's own cost, to subtract. A side that finds the
 *     ring full (or empty) yields and retries, so each side's time per operation is the
 *     pipeline's period. It yields rather than spins because on two cores a third busy
 *     process leaves one side descheduled while the other spins through its time slice; a
 *     yield hands the core over (the first runs spun, and measured the scheduler).</li>
 * </ul>
 * There is no raw twin of {@code thread-sharded}; its one-thread fast path (a free-list pop, a
 * push on the page's local free list) is bounded below by {@code oneThread_rawPool}.
 *
 * <p>Each allocator is created by name, as a configuration creates it, and keeps
 * {@value #KEPT} blocks live, allocated at set-up, so that no pool empties between operations
 * (as in {@link PrimitivesBench}). The tear-down frees them and whatever is left in the ring,
 * and fails the run if the allocator then reports a live block. Scores are nanoseconds per
 * allocate+free per thread; in the two-thread groups, the mean of the two threads. Compare
 * {@code twoThreads} with {@code oneThread} of the same allocator for what sharing costs, and
 * {@code crossThread} minus {@code crossThread_rawRing} for what a remote free costs. For
 * {@code locked-global} the tear-down prints the lock's contention counters to the forked JVM's
 * output: when a waiter has parked, later iterations can settle into a convoy of park and wake-up
 * (microseconds per operation) instead of spinning (tens of nanoseconds), and the score becomes
 * bimodal; the counters tell which regime a fork was in.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(value = 3, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class AllocatorBench {
    static final MemorySegment SEGMENT = PrimitivesBench.SEGMENT;
    private static final VarHandle LONG = JAVA_LONG.varHandle();

    /** The request size. */
    static final long BLOCK = PrimitivesBench.BLOCK;
    /** Blocks kept live from set-up to tear-down. */
    static final int KEPT = 2;

    /** An allocator created by name, with {@value #KEPT} blocks kept live. */
    abstract static class SharedAllocator {
        Allocator instance;
        /** The context set-up and tear-down use (id 0); benchmark threads have their own. */
        final ThreadContext setupThread = new ThreadContext(0, "bench-setup", Placement.MAIN);
        final long[] kept = new long[KEPT];

        void open(String name, boolean needThreadSafe) {
            instance = ComponentRegistry.load().create(ComponentKind.ALLOCATOR, name, "allocator", Map.of(), Allocator.class);
            if (needThreadSafe && !instance.isThreadSafe()) throw new IllegalArgumentException(name + " is not thread safe");
            for (int i = 0; i < KEPT; i++) kept[i] = instance.allocate(BLOCK, setupThread);
        }

        void close(String name) {
            // How often the lock was found held and waiters parked: it explains a slow or bimodal score.
            if (instance instanceof LockedGlobalAllocator locked) System.out.println(name + " lock " + locked.lockStatistics());
            for (long block : kept) instance.free(block, BLOCK, setupThread);
            long live = instance.statistics().liveBlocks();
            instance.release();
            if (live != 0) throw new IllegalStateException(name + " reports " + live + " live blocks after the benchmark");
        }
    }

    /** One thread: every allocator. */
    @State(Scope.Group)
    public static class AnyAllocator extends SharedAllocator {
        @Param({"size-class-pool", "locked-global", "thread-sharded"})
        public String allocator;

        @Setup(Level.Trial)
        public void setUp() {
            open(allocator, false);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            close(allocator);
        }
    }

    /** Two threads: only thread-safe allocators; with the ring for the cross-thread group. */
    @State(Scope.Group)
    public static class ThreadSafeAllocator extends SharedAllocator {
        @Param({"locked-global", "thread-sharded"})
        public String threadSafeAllocator;

        final AddressRing ring = new AddressRing();

        @Setup(Level.Trial)
        public void setUp() {
            open(threadSafeAllocator, true);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            // Blocks still in flight when the measurement stopped: freed here, by a third thread id.
            for (long block; (block = ring.poll()) != 0; ) instance.free(block, BLOCK, setupThread);
            ring.release();
            close(threadSafeAllocator);
        }
    }

    /** The ring alone, for {@code crossThread_rawRing}. */
    @State(Scope.Group)
    public static class RingOnly {
        final AddressRing ring = new AddressRing();

        @TearDown(Level.Trial)
        public void tearDown() {
            ring.release();
        }
    }

    /**
     * The twin of {@code locked-global}: {@link PrimitivesBench.RawPoolState}'s pymalloc fast path,
     * shared by the group, under a raw lock on a long in a cache line of its own ({@link WordMutex}'s
     * layout): lock.c's fast paths, a CAS from 0 to locked and a CAS back; while the lock is held,
     * yield and retry (lock.c's spin phase, without parking). No statistics.
     */
    @State(Scope.Group)
    public static class RawLockedPool extends PrimitivesBench.RawPoolState {
        long lockChunk;
        long lockWord;

        @Setup(Level.Trial)
        public void allocateLock() {
            lockChunk = SystemMalloc.calloc(128);
            lockWord = (lockChunk + 63) & -64L;
        }

        @TearDown(Level.Trial)
        public void freeLock() {
            SystemMalloc.free(lockChunk);
        }

        long lockedAllocate() {
            lock();
            try {
                return allocate(BLOCK);
            } finally {
                unlock();
            }
        }

        void lockedFree(long block) {
            lock();
            try {
                free(block, BLOCK);
            } finally {
                unlock();
            }
        }

        private void lock() {
            while (!LONG.compareAndSet(SEGMENT, lockWord, 0L, 1L)) {
                while ((long) LONG.getVolatile(SEGMENT, lockWord) != 0) Thread.yield();
            }
        }

        private void unlock() {
            if (!LONG.compareAndSet(SEGMENT, lockWord, 1L, 0L)) throw new IllegalStateException("raw lock not held");
        }
    }

    /**
     * A bounded single-producer single-consumer ring of addresses (never 0) in raw memory: the
     * consumer's index and its cached copy of the producer's on one cache line, the producer's
     * index and its cached copy of the consumer's on another, then {@value #CAPACITY} slots.
     * The producer writes a slot and publishes it with a release store of its index; the consumer
     * reads the index with acquire, so the block's contents written before the hand-over are
     * visible to the thread that frees it. Each side re-reads the other's index only when its
     * cached copy says the ring is full (or empty).
     */
    static final class AddressRing {
        static final int CAPACITY = 1024;
        private static final long HEAD = 0, CACHED_TAIL = 8, TAIL = 128, CACHED_HEAD = 136, SLOTS = 256;

        private final long chunk = SystemMalloc.calloc(SLOTS + 8L * CAPACITY + 64);
        private final long base = (chunk + 63) & -64L;

        /** Producer side: false if the ring is full. */
        boolean offer(long address) {
            long tail = SEGMENT.get(JAVA_LONG, base + TAIL);
            if (tail - SEGMENT.get(JAVA_LONG, base + CACHED_HEAD) >= CAPACITY) {
                long head = (long) LONG.getAcquire(SEGMENT, base + HEAD);
                SEGMENT.set(JAVA_LONG, base + CACHED_HEAD, head);
                if (tail - head >= CAPACITY) return false;
            }
            SEGMENT.set(JAVA_LONG, base + SLOTS + 8 * (tail & (CAPACITY - 1)), address);
            LONG.setRelease(SEGMENT, base + TAIL, tail + 1);
            return true;
        }

        /** Consumer side: the oldest address, or 0 if the ring is empty. */
        long poll() {
            long head = SEGMENT.get(JAVA_LONG, base + HEAD);
            if (head >= SEGMENT.get(JAVA_LONG, base + CACHED_TAIL)) {
                long tail = (long) LONG.getAcquire(SEGMENT, base + TAIL);
                SEGMENT.set(JAVA_LONG, base + CACHED_TAIL, tail);
                if (head >= tail) return 0;
            }
            long address = SEGMENT.get(JAVA_LONG, base + SLOTS + 8 * (head & (CAPACITY - 1)));
            LONG.setRelease(SEGMENT, base + HEAD, head + 1);
            return address;
        }

        void release() {
            SystemMalloc.free(chunk);
        }
    }

    /** Each benchmark thread's runtime thread context (ids from 1; 0 is the set-up's). */
    @State(Scope.Thread)
    public static class Caller {
        private static final AtomicInteger IDS = new AtomicInteger();
        ThreadContext thread;
        /** The ring baseline's producer passes 1, 2, 3, ... (never 0). */
        long sequence;

        @Setup(Level.Trial)
        public void setUp() {
            int id = 1 + IDS.getAndIncrement() % (ThreadContext.MAX_THREADS - 1);
            thread = new ThreadContext(id, "bench", Placement.WORKER);
        }
    }

    // ---- one thread ----

    @Benchmark
    @Group("oneThread_pxlab")
    @GroupThreads(1)
    public void oneThread_pxlab(AnyAllocator s, Caller c, Blackhole bh) {
        long block = s.instance.allocate(BLOCK, c.thread);
        bh.consume(block);
        s.instance.free(block, BLOCK, c.thread);
    }

    @Benchmark
    @Group("oneThread_rawPool")
    @GroupThreads(1)
    public void oneThread_rawPool(PrimitivesBench.RawPoolState s, Blackhole bh) {
        long block = s.allocate(BLOCK);
        bh.consume(block);
        s.free(block, BLOCK);
    }

    @Benchmark
    @Group("oneThread_rawLockedPool")
    @GroupThreads(1)
    public void oneThread_rawLockedPool(RawLockedPool s, Blackhole bh) {
        long block = s.lockedAllocate();
        bh.consume(block);
        s.lockedFree(block);
    }

    // ---- two threads, one allocator ----

    @Benchmark
    @Group("twoThreads_pxlab")
    @GroupThreads(2)
    public void twoThreads_pxlab(ThreadSafeAllocator s, Caller c, Blackhole bh) {
        long block = s.instance.allocate(BLOCK, c.thread);
        bh.consume(block);
        s.instance.free(block, BLOCK, c.thread);
    }

    @Benchmark
    @Group("twoThreads_rawLockedPool")
    @GroupThreads(2)
    public void twoThreads_rawLockedPool(RawLockedPool s, Blackhole bh) {
        long block = s.lockedAllocate();
        bh.consume(block);
        s.lockedFree(block);
    }

    // ---- thread A allocates, thread B frees ----

    @Benchmark
    @Group("crossThread_pxlab")
    @GroupThreads(1)
    public void crossThread_pxlab_allocate(ThreadSafeAllocator s, Caller c, Control control) {
        long block = s.instance.allocate(BLOCK, c.thread);
        while (!s.ring.offer(block)) {
            if (control.stopMeasurement) {
                // The consumer may already have stopped: keep nothing in flight outside the ring.
                s.instance.free(block, BLOCK, c.thread);
                return;
            }
            Thread.yield();
        }
    }

    @Benchmark
    @Group("crossThread_pxlab")
    @GroupThreads(1)
    public void crossThread_pxlab_free(ThreadSafeAllocator s, Caller c, Control control) {
        long block;
        while ((block = s.ring.poll()) == 0) {
            if (control.stopMeasurement) return;
            Thread.yield();
        }
        s.instance.free(block, BLOCK, c.thread);
    }

    @Benchmark
    @Group("crossThread_rawRing")
    @GroupThreads(1)
    public void crossThread_rawRing_put(RingOnly s, Caller c, Control control) {
        long value = ++c.sequence;
        while (!s.ring.offer(value)) {
            if (control.stopMeasurement) return;
            Thread.yield();
        }
    }

    @Benchmark
    @Group("crossThread_rawRing")
    @GroupThreads(1)
    public long crossThread_rawRing_take(RingOnly s, Control control) {
        long value;
        while ((value = s.ring.poll()) == 0) {
            if (control.stopMeasurement) return 0;
            Thread.yield();
        }
        return value;
    }
}
