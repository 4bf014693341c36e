package org.pxlab.experiments.bench;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.List;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.pxlab.allocator.WordMutex;
import org.pxlab.runtime.config.ComponentRegistry;
import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.layout.StructLayout;
import org.pxlab.runtime.memory.SystemMalloc;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.spi.ComponentKind;
import org.pxlab.runtime.spi.RefCountStrategy;
import org.pxlab.runtime.spi.SyncSite;
import org.pxlab.runtime.sync.PerObjectLocks;

/**
 * What a lock costs in pxlab: {@code per-object-locks} (PEP 703's {@code PyMutex} byte in the
 * object header, entered as a critical section) and {@link WordMutex} (the same mutex on a word
 * of its own, the lock of {@code locked-global}), each beside raw CAS locks on raw memory, with
 * one thread and with two threads on <em>one</em> lock (a JMH group, one thread per core here).
 *
 * <ul>
 * <li>{@code *_perObjectLocks}: {@code lock(object)} then {@code unlock(object)} through the
 *     {@link org.pxlab.runtime.spi.SyncDiscipline} as the runtime calls it: the
 *     critical-section stack (push, recursion check, pop), per-thread statistics, and the mutex
 *     byte changed by a CAS on the 4-byte word it shares with {@code ob_flags} and
 *     {@code ob_gc_bits} (FFM has no byte CAS), in a header composed as a configuration would
 *     compose it.</li>
 * <li>{@code *_wordMutex}: {@link WordMutex#lock} and {@link WordMutex#unlock} (a CAS each way
 *     on a long in a cache line of its own, per-thread statistics).</li>
 * <li>{@code *_rawPyMutex}: the raw twin of both, on the same header word as
 *     {@code per-object-locks}: lock.c's fast paths, a CAS of the mutex byte from 0 to
 *     {@code LOCKED} that keeps the neighbouring bytes, and a CAS back to 0 (a CAS, not a store,
 *     because {@code PyMutex_Unlock} must see {@code HAS_PARKED}). When the lock is held it
 *     yields and retries, as lock.c's spin phase does; it never parks (the pxlab locks park
 *     after 40 yields, which the tear-down reports if it happened).</li>
 * <li>{@code *_rawCasStore}: the textbook spin lock on the same word, a CAS to take it and a
 *     release store of the mutex byte to drop it: what a lock that never has to wake a parked
 *     thread could cost. It is the floor, not PyMutex's algorithm.</li>
 * </ul>
 *
 * <p><b>Reading the results.</b> {@code uncontended_perObjectLocks / uncontended_rawPyMutex} is
 * the simulator's tax on a critical section, {@code uncontended_wordMutex / _rawPyMutex} the
 * tax on the bare mutex; {@code contended_*} against {@code uncontended_*} is what sharing the
 * lock's cache line (and, for the pxlab locks, waiting) costs. The lock is held for no work, so
 * the contended figures measure the hand-over of the line, the worst case. Compare within one
 * run; the tear-downs print the pxlab locks' contention counters (acquisitions, contended,
 * hand-offs, time in the slow path) to the forked JVM's output.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(value = 3, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class LockBench {
    static final MemorySegment SEGMENT = PrimitivesBench.SEGMENT;
    private static final VarHandle INT = JAVA_INT.varHandle();
    private static final VarHandle BYTE = JAVA_BYTE.varHandle();

    /** Where the mutex byte sits in the 4-byte word ({@code ob_flags} u16, {@code ob_mutex} u8, {@code ob_gc_bits} u8). */
    private static final int MUTEX_BYTE = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? 2 : 1;
    private static final int MUTEX_SHIFT = MUTEX_BYTE == 2 ? 16 : 8;
    private static final int MUTEX_MASK = 0xFF << MUTEX_SHIFT;
    private static final int LOCKED_BIT = PerObjectLocks.LOCKED << MUTEX_SHIFT;

    /** A gc bit and a flag set in every benchmark object, so that a lock that clobbered its neighbours shows. */
    private static final int GC_BITS = 0x5, FLAGS = 0x1234;

    /**
     * One object with a free-threaded header ({@code interlocked} counts, {@code per-object-locks}
     * fields), shared by the group's threads, and a {@link WordMutex}.
     */
    @State(Scope.Group)
    public static class Shared {
        PerObjectLocks locks;
        WordMutex mutex;
        long object;
        /** Address of the word holding {@code ob_flags}, {@code ob_mutex}, {@code ob_gc_bits}. */
        long word;

        @Setup(Level.Trial)
        public void setUp() {
            ComponentRegistry registry = ComponentRegistry.load();
            locks = registry.create(ComponentKind.SYNC, "per-object-locks", "sync", Map.of(), PerObjectLocks.class);
            RefCountStrategy refcount = registry.create(ComponentKind.REFCOUNT, "interlocked", "refcount", Map.of(),
                    RefCountStrategy.class);
            StructLayout header = Heap.composeHeader(List.of(refcount), locks.headerFields());
            refcount.bind(header);
            locks.bind(header, new SyncSite() {
                @Override
                public int breakerBit() {
                    return 0;
                }

                @Override
                public void schedule(ThreadContext thread) {
                }
            });
            object = SystemMalloc.calloc(header.size());
            word = object + header.offsetOf(PerObjectLocks.OB_FLAGS);
            locks.orFlags(object, FLAGS);
            locks.orGcBits(object, GC_BITS);
            mutex = new WordMutex();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            boolean held = locks.isLocked(object);
            int flags = locks.flags(object);
            int gcBits = locks.gcBits(object);
            SystemMalloc.free(object);
            System.out.println("per-object-locks " + locks.statistics() + "; WordMutex " + mutex.statistics());
            mutex.release();
            if (held || flags != FLAGS || gcBits != GC_BITS) {
                throw new IllegalStateException("header word corrupted: locked " + held + ", ob_flags 0x"
                        + Integer.toHexString(flags) + ", ob_gc_bits 0x" + Integer.toHexString(gcBits));
            }
        }
    }

    /** Each benchmark thread's runtime thread context (distinct ids, as the runtime gives them). */
    @State(Scope.Thread)
    public static class Caller {
        private static final AtomicInteger IDS = new AtomicInteger(1);
        ThreadContext thread;

        @Setup(Level.Trial)
        public void setUp() {
            thread = new ThreadContext(IDS.getAndIncrement() % ThreadContext.MAX_THREADS, "bench", Placement.WORKER);
        }
    }

    // ---- the raw twins' lock and unlock, on the header word ----

    /** lock.c's fast path, and its spin phase (yield, re-read, retry) without the parking that follows it. */
    static void rawLock(long word) {
        int v = (int) INT.getVolatile(SEGMENT, word);
        while (true) {
            if ((v & MUTEX_MASK) == 0) {
                if (INT.compareAndSet(SEGMENT, word, v, v | LOCKED_BIT)) return;
            } else {
                Thread.yield();
            }
            v = (int) INT.getVolatile(SEGMENT, word);
        }
    }

    /** {@code PyMutex_Unlock}'s fast path: a CAS of the byte from {@code LOCKED} to 0, keeping the neighbours. */
    static void rawUnlockCas(long word) {
        int v = (int) INT.getVolatile(SEGMENT, word);
        while (!INT.compareAndSet(SEGMENT, word, v, v & ~MUTEX_MASK)) v = (int) INT.getVolatile(SEGMENT, word);
    }

    /** A spin lock's unlock: a release store of the mutex byte alone. */
    static void rawUnlockStore(long word) {
        BYTE.setRelease(SEGMENT, word + MUTEX_BYTE, (byte) 0);
    }

    // ---- one thread ----

    @Benchmark
    @Group("uncontended_perObjectLocks")
    @GroupThreads(1)
    public void uncontended_perObjectLocks(Shared s, Caller c) {
        s.locks.lock(s.object, c.thread);
        s.locks.unlock(s.object, c.thread);
    }

    @Benchmark
    @Group("uncontended_wordMutex")
    @GroupThreads(1)
    public void uncontended_wordMutex(Shared s, Caller c) {
        s.mutex.lock(c.thread);
        s.mutex.unlock(c.thread);
    }

    @Benchmark
    @Group("uncontended_rawPyMutex")
    @GroupThreads(1)
    public void uncontended_rawPyMutex(Shared s) {
        rawLock(s.word);
        rawUnlockCas(s.word);
    }

    @Benchmark
    @Group("uncontended_rawCasStore")
    @GroupThreads(1)
    public void uncontended_rawCasStore(Shared s) {
        rawLock(s.word);
        rawUnlockStore(s.word);
    }

    // ---- two threads, one lock ----

    @Benchmark
    @Group("contended_perObjectLocks")
    @GroupThreads(2)
    public void contended_perObjectLocks(Shared s, Caller c) {
        s.locks.lock(s.object, c.thread);
        s.locks.unlock(s.object, c.thread);
    }

    @Benchmark
    @Group("contended_wordMutex")
    @GroupThreads(2)
    public void contended_wordMutex(Shared s, Caller c) {
        s.mutex.lock(c.thread);
        s.mutex.unlock(c.thread);
    }

    @Benchmark
    @Group("contended_rawPyMutex")
    @GroupThreads(2)
    public void contended_rawPyMutex(Shared s) {
        rawLock(s.word);
        rawUnlockCas(s.word);
    }

    @Benchmark
    @Group("contended_rawCasStore")
    @GroupThreads(2)
    public void contended_rawCasStore(Shared s) {
        rawLock(s.word);
        rawUnlockStore(s.word);
    }
}
