package org.pxlab.experiments.bench;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
import org.pxlab.refcount.SignBitRefCount;
import org.pxlab.runtime.config.ComponentRegistry;
import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.layout.StructLayout;
import org.pxlab.runtime.memory.SystemMalloc;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.object.TypeKind;
import org.pxlab.runtime.object.TypeObjects;
import org.pxlab.runtime.spi.ComponentKind;
import org.pxlab.runtime.spi.RefCountStrategy;

/**
 * What an atomic reference count costs, the question the seeds turn on: "use interlocked ops
 * for ref counts" is what they say can never perform. Each pxlab strategy, through its SPI as
 * a runtime calls it, one incref and one decref per operation, beside a raw atomic twin in the
 * same run:
 *
 * <ul>
 * <li>{@code owner}: one thread, one object it made. {@code plain} is CPython 3.12's count,
 *     {@code interlocked} the atomic one (Rust's {@code Arc} orderings), {@code biased} the
 *     owner's plain {@code ob_ref_local} (3.13t), {@code biased-slots} an instance's reference to
 *     its heap type through 3.14t's per-thread slot ({@code _Py_INCREF_TYPE}), {@code sign-bit-local}
 *     Lean's single-threaded (positive) count, {@code sign-bit-shared} its shared (negative),
 *     atomic one.</li>
 * <li>{@code nonOwner}: one thread, one object another thread made: {@code biased} takes the
 *     atomic {@code ob_ref_shared} path (an add, then a CAS loop), {@code biased-slots} still its
 *     own slot; the others have no owner and repeat {@code owner}.</li>
 * <li>{@code contended}: two threads (JMH group, one per core here) on <em>one</em> object made
 *     by a third, the case of a shared type, function or global that every request touches.
 *     Only strategies safe there take part (parameter {@code atomicStrategy}).</li>
 * <li>{@code rawAtomic} and {@code contendedRaw}: a bare relaxed {@code getAndAdd(+1)} and release
 *     {@code getAndAdd(-1)} on one word, on one thread and on two.</li>
 * </ul>
 *
 * Read each score against the raw pairs for the simulator's tax, and {@code contended} against
 * {@code owner} for what sharing one cache line costs; the published x86 figures
 * (F. Giesen's atomic_ops_test: a plain add about 2 cycles, an uncontended {@code lock xadd} about 18-21, about 115-130 with another core
 * writing the line) and BRC's (each RC operation more than 2x faster than atomic) are what the
 * pairs should echo. The tear-down checks that every increment was matched.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class RefCountBench {
    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    private static final VarHandle WORD = ValueLayout.JAVA_LONG.varHandle();
    /** The thread that makes every benchmark object (runtime thread id 0): the owner. */
    private static final ThreadContext CREATOR = new ThreadContext(0, "bench-creator", Placement.MAIN);

    /** One object with a strategy's composed header (and room for a type's body) and one reference. */
    abstract static class CountedObject {
        RefCountStrategy refcount;
        long object;
        /** {@code biased-slots}: counted as an instance's reference to its type. */
        boolean typeSlots;

        void open(String strategy) {
            String component = strategy.startsWith("sign-bit") ? "sign-bit" : strategy.startsWith("biased") ? "biased" : strategy;
            Map<String, String> options = strategy.equals("biased-slots") ? Map.of("per-thread-slots", "types") : Map.of();
            refcount = ComponentRegistry.load().create(ComponentKind.REFCOUNT, component, "refcount", options,
                    RefCountStrategy.class);
            StructLayout header = Heap.composeHeader(List.of(refcount), List.of());
            refcount.bind(header);
            object = SystemMalloc.calloc(header.size() + TypeObjects.BODY);
            refcount.initialize(object, CREATOR);
            typeSlots = strategy.equals("biased-slots");
            if (typeSlots) refcount.objectCreated(object, TypeKind.TYPE, CREATOR); // a unique id, deferred
            if (strategy.equals("sign-bit-shared")) ((SignBitRefCount) refcount).markLeafShared(object);
        }

        void increment(ThreadContext thread) {
            if (typeSlots) refcount.increfType(object, thread);
            else refcount.incref(object, thread);
        }

        boolean decrement(ThreadContext thread) {
            return typeSlots ? refcount.decrefType(object, thread) : refcount.decref(object, thread);
        }

        void close(String strategy) {
            refcount.processAllPending(CREATOR); // per-thread slots are merged as a collection merges them
            long count = refcount.referenceCount(object) - (refcount.isDeferred(object) ? refcount.deferredBias() : 0);
            SystemMalloc.free(object);
            if (count != 1) {
                throw new IllegalStateException(strategy + ": the count ended at " + count + ", not 1: updates were lost");
            }
        }
    }

    /** The single-thread pairs: every strategy. */
    @State(Scope.Group)
    public static class SharedObject extends CountedObject {
        @Param({"plain", "interlocked", "biased", "biased-slots", "sign-bit-local", "sign-bit-shared"})
        public String strategy;

        @Setup(Level.Trial)
        public void setUp() {
            open(strategy);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            close(strategy);
        }
    }

    /** The two-thread pairs: strategies that are safe on an object two threads share ({@code plain} and {@code sign-bit-local} lose updates). */
    @State(Scope.Group)
    public static class ContendedObject extends CountedObject {
        @Param({"interlocked", "biased", "biased-slots", "sign-bit-shared"})
        public String atomicStrategy;

        @Setup(Level.Trial)
        public void setUp() {
            open(atomicStrategy);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            close(atomicStrategy);
        }
    }

    /** One bare word for the raw twins. */
    @State(Scope.Group)
    public static class RawWord {
        long word;

        @Setup(Level.Trial)
        public void setUp() {
            word = SystemMalloc.calloc(64);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            SystemMalloc.free(word);
        }
    }

    /** Each benchmark thread's own runtime thread context (ids from 1: never the creator). */
    @State(Scope.Thread)
    public static class Caller {
        private static final java.util.concurrent.atomic.AtomicInteger IDS = new java.util.concurrent.atomic.AtomicInteger(1);
        ThreadContext thread;

        @Setup(Level.Trial)
        public void setUp() {
            thread = new ThreadContext(1 + IDS.getAndIncrement() % (ThreadContext.MAX_THREADS - 1), "bench", Placement.WORKER);
        }
    }

    @Benchmark
    @Group("owner")
    @GroupThreads(1)
    public boolean owner(SharedObject s) {
        s.increment(CREATOR);
        return s.decrement(CREATOR);
    }

    @Benchmark
    @Group("nonOwner")
    @GroupThreads(1)
    public boolean nonOwner(SharedObject s, Caller c) {
        s.increment(c.thread);
        return s.decrement(c.thread);
    }

    @Benchmark
    @Group("rawAtomic")
    @GroupThreads(1)
    public long rawAtomic(RawWord w) {
        return rawPair(w.word);
    }

    @Benchmark
    @Group("contended")
    @GroupThreads(2)
    public boolean contended(ContendedObject s, Caller c) {
        s.increment(c.thread);
        return s.decrement(c.thread);
    }

    @Benchmark
    @Group("contendedRaw")
    @GroupThreads(2)
    public long contendedRaw(RawWord w) {
        return rawPair(w.word);
    }

    /** The raw twin's incref and decref: a relaxed-enough atomic add and a release atomic subtract. */
    private static long rawPair(long word) {
        WORD.getAndAddAcquire(ALL, word, 1L);
        return (long) WORD.getAndAddRelease(ALL, word, -1L);
    }
}
