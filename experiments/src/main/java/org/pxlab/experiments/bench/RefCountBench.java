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
import org.pxlab.runtime.config.ComponentRegistry;
import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.layout.StructLayout;
import org.pxlab.runtime.memory.SystemMalloc;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.spi.ComponentKind;
import org.pxlab.runtime.spi.RefCountStrategy;

/**
 * What an atomic reference count costs, the question the seeds turn on: "use interlocked ops
 * for ref counts" is what they say can never perform. Each pxlab strategy, through its SPI as
 * a runtime calls it, beside a raw twin on the same word in the same run:
 *
 * <ul>
 * <li>{@code uncontended}: one thread, one object, an incref and a decref per operation.
 *     {@code strategy=plain} is CPython 3.12's count, {@code strategy=interlocked} the atomic
 *     one (Rust's {@code Arc} orderings). The twin {@code rawAtomic} is a bare relaxed
 *     {@code getAndAdd(+1)} and release {@code getAndAdd(-1)} on the word.</li>
 * <li>{@code contended}: two threads (JMH group, one per core here) on <em>one</em> object,
 *     the case of a shared type, function or global that every request touches; its raw twin
 *     {@code contendedRaw}. Only thread-safe strategies take part (parameter
 *     {@code atomicStrategy}; {@code plain} would lose updates, which the tear-down would report).</li>
 * </ul>
 *
 * Read each pxlab score against its twin for the simulator's tax, and {@code contended}
 * against {@code uncontended} for what sharing one cache line costs; ANCHORS.md's x86 figures
 * (an uncontended {@code lock xadd} about 18-21 cycles, about 115-130 with another core
 * writing the line) are what the raw pairs should echo. The tear-down checks that every
 * increment was matched.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class RefCountBench {
    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    private static final VarHandle WORD = ValueLayout.JAVA_LONG.varHandle();

    /** One object with a strategy's composed header and one reference, shared by the group's threads. */
    abstract static class CountedObject {
        RefCountStrategy refcount;
        long object;
        int countOffset;

        void open(String strategy) {
            refcount = ComponentRegistry.load().create(ComponentKind.REFCOUNT, strategy, "refcount", Map.of(),
                    RefCountStrategy.class);
            StructLayout header = Heap.composeHeader(List.of(refcount), List.of());
            refcount.bind(header);
            countOffset = header.offsetOf("ob_refcnt");
            object = SystemMalloc.calloc(header.size());
            refcount.initialize(object, new ThreadContext(0, "bench-init", Placement.MAIN));
        }

        void close(String strategy) {
            long count = refcount.referenceCount(object);
            SystemMalloc.free(object);
            if (count != 1) {
                throw new IllegalStateException(strategy + ": the count ended at " + count + ", not 1: updates were lost");
            }
        }
    }

    /** The single-thread pairs: every strategy. */
    @State(Scope.Group)
    public static class SharedObject extends CountedObject {
        @Param({"plain", "interlocked"})
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

    /** The two-thread pairs: only strategies that claim thread safety ({@code plain} would lose updates). */
    @State(Scope.Group)
    public static class ContendedObject extends CountedObject {
        @Param({"interlocked"})
        public String atomicStrategy;

        @Setup(Level.Trial)
        public void setUp() {
            open(atomicStrategy);
            if (!refcount.isThreadSafe()) throw new IllegalArgumentException(atomicStrategy + " is not thread safe");
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            close(atomicStrategy);
        }
    }

    /** Each benchmark thread's own runtime thread context (ids 1 and 2 in a group). */
    @State(Scope.Thread)
    public static class Caller {
        private static final java.util.concurrent.atomic.AtomicInteger IDS = new java.util.concurrent.atomic.AtomicInteger(1);
        ThreadContext thread;

        @Setup(Level.Trial)
        public void setUp() {
            thread = new ThreadContext(IDS.getAndIncrement() % ThreadContext.MAX_THREADS, "bench", Placement.WORKER);
        }
    }

    @Benchmark
    @Group("uncontended")
    @GroupThreads(1)
    public boolean uncontended(SharedObject s, Caller c) {
        s.refcount.incref(s.object, c.thread);
        return s.refcount.decref(s.object, c.thread);
    }

    @Benchmark
    @Group("rawAtomic")
    @GroupThreads(1)
    public long rawAtomic(SharedObject s) {
        long at = s.object + s.countOffset;
        WORD.getAndAddAcquire(ALL, at, 1L);
        return (long) WORD.getAndAddRelease(ALL, at, -1L);
    }

    @Benchmark
    @Group("contended")
    @GroupThreads(2)
    public boolean contended(ContendedObject s, Caller c) {
        s.refcount.incref(s.object, c.thread);
        return s.refcount.decref(s.object, c.thread);
    }

    @Benchmark
    @Group("contendedRaw")
    @GroupThreads(2)
    public long contendedRaw(ContendedObject s) {
        long at = s.object + s.countOffset;
        WORD.getAndAddAcquire(ALL, at, 1L);
        return (long) WORD.getAndAddRelease(ALL, at, -1L);
    }

}
