package org.pxlab.refcount;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pxlab.runtime.config.ComponentRegistry;
import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.layout.HeaderField;
import org.pxlab.runtime.layout.StructLayout;
import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.memory.SystemMalloc;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.spi.ComponentKind;
import org.pxlab.runtime.spi.RefCountStrategy;

/**
 * {@code interlocked}: the immortal encoding's corners, and the races the contract kit does
 * not stage. The release/acquire shape of {@code decref} cannot be observed on x86-64 (TSO
 * orders it anyway), so the tests check what it promises: no update is lost, the last
 * reference is reported exactly once, and the thread that reports it sees what the other
 * thread wrote to the object before letting go.
 */
class InterlockedRefCountTest {
    /** Bytes of simulated object body after the header, for the publication check. */
    private static final int BODY = 16;

    private InterlockedRefCount rc;
    private StructLayout header;
    private int refcntOffset;
    private long object;
    private final ThreadContext thread = new ThreadContext(0, "main", Placement.MAIN);

    @BeforeEach
    void allocateAnObject() {
        rc = new InterlockedRefCount();
        header = Heap.composeHeader(List.of(rc), List.of());
        rc.bind(header);
        refcntOffset = header.offsetOf("ob_refcnt");
        object = SystemMalloc.malloc(header.size() + BODY);
        for (int at = 0; at < header.size() + BODY; at += 8) Memory.putLong(object + at, 0L);
        rc.initialize(object, thread);
    }

    @AfterEach
    void freeIt() {
        SystemMalloc.free(object);
    }

    /** Writes {@code ob_refcnt} directly, as a corner case needs. */
    private void setRaw(long count) {
        Memory.putLongVolatile(object + refcntOffset, count);
    }

    private long raw() {
        return Memory.getLongVolatile(object + refcntOffset);
    }

    // ---- header and registration ----

    @Test
    void headerIsPlainsObRefcntSoTheLayoutsCompare() {
        List<HeaderField> fields = rc.headerFields();
        assertThat(fields).hasSize(1);
        HeaderField mine = fields.getFirst();
        HeaderField plains = new PlainRefCount().headerFields().getFirst();
        assertThat(mine.name()).isEqualTo(plains.name()).isEqualTo("ob_refcnt");
        assertThat(mine.size()).isEqualTo(plains.size()).isEqualTo(8);
        assertThat(mine.rank()).isEqualTo(plains.rank());
        assertThat(mine.owner()).isEqualTo("interlocked");

        // PyObject: ob_refcnt at 0, ob_type at 8, 16 bytes; the same as plain's header.
        StructLayout plainHeader = Heap.composeHeader(List.of(new PlainRefCount()), List.of());
        assertThat(refcntOffset).isZero().isEqualTo(plainHeader.offsetOf("ob_refcnt"));
        assertThat(header.offsetOf("ob_type")).isEqualTo(8).isEqualTo(plainHeader.offsetOf("ob_type"));
        assertThat(header.size()).isEqualTo(16).isEqualTo(plainHeader.size());

        // Spaces of both strategies in one configuration share the one word.
        StructLayout both = Heap.composeHeader(List.of(new PlainRefCount(), new InterlockedRefCount()), List.of());
        assertThat(both.slots()).filteredOn(s -> !s.isPadding() && s.field().name().equals("ob_refcnt")).hasSize(1);
    }

    @Test
    void isThreadSafe() {
        assertThat(rc.isThreadSafe()).isTrue();
    }

    @Test
    void isRegisteredAsInterlocked() {
        ComponentRegistry registry = ComponentRegistry.load();
        assertThat(registry.names(ComponentKind.REFCOUNT)).contains("interlocked", "plain");
        RefCountStrategy created = registry.create(ComponentKind.REFCOUNT, "interlocked", "refcount", Map.of(), RefCountStrategy.class);
        assertThat(created).isInstanceOf(InterlockedRefCount.class);
        assertThat(registry.components(ComponentKind.REFCOUNT)).filteredOn(p -> p.name().equals("interlocked")).singleElement()
                .satisfies(p -> assertThat(p.description()).contains("Arc", "Swift", "Stein"));
    }

    // ---- counting ----

    @Test
    void initializeSetsOneReference() {
        setRaw(0xDEAD_BEEFL);
        rc.initialize(object, thread);
        assertThat(raw()).isEqualTo(1);
        assertThat(rc.referenceCount(object)).isEqualTo(1);
        assertThat(rc.isImmortal(object)).isFalse();
    }

    @Test
    void increfAndDecrefCount() {
        for (int i = 0; i < 10; i++) rc.incref(object, thread);
        assertThat(rc.referenceCount(object)).isEqualTo(11);
        for (int i = 0; i < 4; i++) assertThat(rc.decref(object, thread)).isFalse();
        assertThat(rc.referenceCount(object)).isEqualTo(7);
    }

    /**
     * Zero is reported at the last reference and never again: a decrement past zero (a
     * runtime bug, an over-release) takes the count negative and reports nothing, so a
     * buggy caller cannot be told to free one object twice.
     */
    @Test
    void zeroIsReportedOnceAtTheLastReferenceAndNeverAgain() {
        rc.incref(object, thread);
        rc.incref(object, thread);
        assertThat(rc.decref(object, thread)).isFalse(); // 3 -> 2
        assertThat(rc.decref(object, thread)).isFalse(); // 2 -> 1
        assertThat(rc.decref(object, thread)).isTrue();  // 1 -> 0: the caller deallocates
        assertThat(raw()).isZero();
        assertThat(rc.decref(object, thread)).as("an over-release").isFalse();
        assertThat(raw()).isEqualTo(-1);
        assertThat(rc.isImmortal(object)).isFalse();
    }

    // ---- immortality ----

    @Test
    void theImmortalRangeHasHeadroomOnBothSidesOfTheStoredValue() {
        assertThat(InterlockedRefCount.IMMORTAL_THRESHOLD).isEqualTo(1L << 62);
        assertThat(InterlockedRefCount.IMMORTAL_REFCNT).isEqualTo(3L << 61);
        long headroom = 1L << 61;
        assertThat(InterlockedRefCount.IMMORTAL_REFCNT - InterlockedRefCount.IMMORTAL_THRESHOLD).isEqualTo(headroom);
        assertThat(Long.MAX_VALUE - InterlockedRefCount.IMMORTAL_REFCNT).isEqualTo(headroom - 1);
        assertThat(InterlockedRefCount.IMMORTAL_THRESHOLD).as("the SPI's floor for immortal counts").isGreaterThanOrEqualTo(1L << 30);
    }

    @Test
    void immortalIncrefsAndDecrefsNeverWriteTheWord() {
        rc.incref(object, thread);
        rc.makeImmortal(object);
        assertThat(raw()).isEqualTo(InterlockedRefCount.IMMORTAL_REFCNT);
        assertThat(rc.isImmortal(object)).isTrue();
        assertThat(rc.referenceCount(object)).isEqualTo(InterlockedRefCount.IMMORTAL_REFCNT).isGreaterThanOrEqualTo(1L << 30);
        // A canary just past the header: nothing beyond ob_refcnt is touched either.
        Memory.putLong(object + header.size(), 0x0123_4567_89AB_CDEFL);
        for (int i = 0; i < 1_000; i++) {
            rc.incref(object, thread);
            assertThat(raw()).as("word after incref %d of an immortal", i + 1).isEqualTo(InterlockedRefCount.IMMORTAL_REFCNT);
        }
        // More decrements than the object ever had references: none reaches zero.
        for (int i = 0; i < 3_000; i++) {
            assertThat(rc.decref(object, thread)).as("decref %d of an immortal", i + 1).isFalse();
            assertThat(raw()).as("word after decref %d of an immortal", i + 1).isEqualTo(InterlockedRefCount.IMMORTAL_REFCNT);
        }
        assertThat(Memory.getLong(object + header.size())).isEqualTo(0x0123_4567_89AB_CDEFL);
        assertThat(rc.isImmortal(object)).isTrue();
    }

    /** Every count of the range is immortal and left alone, its edges included. */
    @Test
    void everyCountFromTheThresholdUpIsImmortalAndNeverWritten() {
        long[] immortal = {InterlockedRefCount.IMMORTAL_THRESHOLD, InterlockedRefCount.IMMORTAL_THRESHOLD + 1,
                InterlockedRefCount.IMMORTAL_REFCNT - 2, InterlockedRefCount.IMMORTAL_REFCNT + 2, Long.MAX_VALUE};
        for (long count : immortal) {
            setRaw(count);
            assertThat(rc.isImmortal(object)).as("isImmortal at %x", count).isTrue();
            rc.incref(object, thread);
            assertThat(raw()).as("word after incref at %x (Long.MAX_VALUE must not wrap)", count).isEqualTo(count);
            assertThat(rc.decref(object, thread)).isFalse();
            assertThat(raw()).as("word after decref at %x", count).isEqualTo(count);
            assertThat(rc.referenceCount(object)).isEqualTo(count);
        }
    }

    /** Just below the threshold the count is mortal and counts (a value no counting can reach, shown for the edge). */
    @Test
    void justBelowTheThresholdIsMortal() {
        setRaw(InterlockedRefCount.IMMORTAL_THRESHOLD - 1);
        assertThat(rc.isImmortal(object)).isFalse();
        assertThat(rc.decref(object, thread)).isFalse();
        assertThat(raw()).isEqualTo(InterlockedRefCount.IMMORTAL_THRESHOLD - 2);
        rc.incref(object, thread);
        rc.incref(object, thread);
        assertThat(raw()).isEqualTo(InterlockedRefCount.IMMORTAL_THRESHOLD);
        assertThat(rc.isImmortal(object)).isTrue();
    }

    /**
     * The departure from 3.12: there, 2^31 references (or {@code 0xFFFFFFFF}, its immortal
     * value) freeze the count, which is safe only under the GIL. Here such counts are
     * ordinary and every update lands, so no skipped increment can later leave the count a
     * reference short.
     */
    @Test
    void countsThatFreezeIn312StayMortalAndExact() {
        setRaw(Integer.MAX_VALUE);
        rc.incref(object, thread);
        assertThat(raw()).isEqualTo(1L << 31);
        assertThat(rc.isImmortal(object)).isFalse();
        assertThat(rc.decref(object, thread)).isFalse();
        assertThat(raw()).isEqualTo(Integer.MAX_VALUE);

        setRaw(PlainRefCount.IMMORTAL_REFCNT);
        assertThat(rc.isImmortal(object)).as("plain's immortal value is an ordinary count here").isFalse();
        rc.incref(object, thread);
        assertThat(raw()).isEqualTo(1L << 32);
        assertThat(rc.decref(object, thread)).isFalse();
        assertThat(rc.decref(object, thread)).isFalse();
        assertThat(raw()).isEqualTo(PlainRefCount.IMMORTAL_REFCNT - 1);
    }

    /** A use-after-free reads the poison word, which is negative: mortal, as under {@code plain}. */
    @Test
    void thePoisonWordReadsAsMortal() {
        setRaw(Memory.POISON_WORD);
        assertThat(rc.isImmortal(object)).isFalse();
        assertThat(rc.decref(object, thread)).isFalse();
        assertThat(raw()).isEqualTo(Memory.POISON_WORD - 1);
    }

    // ---- threads ----

    /**
     * Arrives at the barrier of {@code phase} (1, 2, ...) and spins until {@code parties}
     * threads have. Spinning keeps both threads on a CPU, so their next updates overlap; a
     * yield after a while lets an oversubscribed machine (2 cores, builds beside the tests)
     * run the late thread.
     */
    private static void meet(AtomicInteger arrivals, int phase, int parties, AtomicReference<Throwable> failure) {
        arrivals.incrementAndGet();
        int spins = 0;
        while (arrivals.get() < parties * phase) {
            if (failure.get() != null) throw new IllegalStateException("another thread failed", failure.get());
            if (++spins % 4096 == 0) Thread.yield();
            else Thread.onSpinWait();
        }
    }

    private interface Worker {
        void run(int index, ThreadContext context) throws Exception;
    }

    /** Runs {@code body} on two threads with distinct contexts (ids 1 and 2), rethrowing what either throws. */
    private static void onTwoThreads(AtomicReference<Throwable> failure, Worker body) throws InterruptedException {
        Thread[] threads = new Thread[2];
        for (int w = 0; w < 2; w++) {
            final int k = w;
            ThreadContext context = new ThreadContext(1 + w, "interlocked-" + (1 + w), Placement.MAIN);
            threads[w] = new Thread(() -> {
                try {
                    body.run(k, context);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }, context.name());
            threads[w].start();
        }
        for (Thread t : threads) t.join(120_000);
        assertThat(threads).as("threads still running after two minutes").noneMatch(Thread::isAlive);
        if (failure.get() != null) throw new AssertionError("a worker failed", failure.get());
    }

    /**
     * Two threads each make 1,000,000 incref/decref pairs on one object whose count the test
     * holds at 3: the count ends at exactly 3 and no decrement reports zero. It catches a
     * strategy with a plain increment or a plain decrement (tried by mutation: both fail here
     * in the first round). One with both plain can pass, since the JIT may fold each
     * load-add-store pair into nothing; the kit's stress (increments, then decrements)
     * catches that one.
     */
    @Test
    void twoThreadsOfIncrefDecrefPairsEndAtTheInitialCount() throws InterruptedException {
        final int pairs = 1_000_000;
        final long initial = 3;
        for (int round = 0; round < 3; round++) {
            rc.initialize(object, thread);
            for (long i = 1; i < initial; i++) rc.incref(object, thread);
            AtomicInteger arrivals = new AtomicInteger();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            long[] zeros = new long[2];
            onTwoThreads(failure, (k, context) -> {
                meet(arrivals, 1, 2, failure);
                long z = 0;
                for (int i = 0; i < pairs; i++) {
                    rc.incref(object, context);
                    if (rc.decref(object, context)) z++;
                }
                zeros[k] = z;
            });
            assertThat(zeros).as("zeros reported in round %d", round).containsExactly(0, 0);
            assertThat(rc.referenceCount(object)).as("count after round %d of 2 x %d pairs", round, pairs).isEqualTo(initial);
        }
    }

    /**
     * The last two references dropped by two threads at once, over many rounds: exactly one
     * of the two decrements reports zero, and the thread that reports it sees the value the
     * other wrote into the object just before its decrement (what the release decrement and
     * the acquire fence are for). Before their final decrements the threads make a few
     * incref/decref pairs (0 to 7, varying by round), so the race meets the count at
     * different points.
     */
    @Test
    void racingLastDecrementsReportZeroExactlyOnce() throws InterruptedException {
        final int rounds = 50_000;
        final long body = object + header.size();
        AtomicInteger arrivals = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        boolean[][] zero = new boolean[2][rounds];
        boolean[][] sawOther = new boolean[2][rounds];
        // Round 0's object: two references, one for each worker.
        rc.initialize(object, thread);
        rc.incref(object, thread);
        onTwoThreads(failure, (k, context) -> {
            int phase = 0;
            for (int r = 0; r < rounds; r++) {
                meet(arrivals, ++phase, 2, failure);
                for (int i = 0; i < (r & 7); i++) {
                    rc.incref(object, context);
                    if (rc.decref(object, context)) throw new AssertionError("round " + r + ": a pair's decref reported zero");
                }
                Memory.putLong(body + 8L * k, r + 1); // a plain write, published by the decrement
                boolean z = rc.decref(object, context);
                zero[k][r] = z;
                if (z) sawOther[k][r] = Memory.getLong(body + 8L * (1 - k)) == r + 1;
                meet(arrivals, ++phase, 2, failure);
                // Both decrements are done: worker 0 sets up the next round's object before it
                // arrives at the next barrier, which publishes the set-up to worker 1.
                if (k == 0) {
                    rc.initialize(object, context);
                    rc.incref(object, context);
                }
            }
        });
        int[] wins = new int[2];
        for (int r = 0; r < rounds; r++) {
            int reports = (zero[0][r] ? 1 : 0) + (zero[1][r] ? 1 : 0);
            assertThat(reports).as("decrefs reporting zero in round %d", r).isEqualTo(1);
            int last = zero[0][r] ? 0 : 1;
            assertThat(sawOther[last][r]).as("round %d: worker %d reported zero and saw the other's write", r, last).isTrue();
            wins[last]++;
        }
        // Both workers dropping the last reference in some rounds shows that the decrements met.
        System.out.printf("interlocked: racing last decrements, %d rounds: worker 1 reported zero %d times, worker 2 %d%n",
                rounds, wins[0], wins[1]);
    }

    /**
     * {@code makeImmortal} racing two threads' incref/decref pairs, the one race the
     * unsynchronised pre-check allows: a check that read the old, mortal count lets one RMW
     * land on the immortal value. Each thread can do that at most once (the RMW reads the
     * newest value, and its later checks cannot see an older one), so the word ends within
     * two of {@link InterlockedRefCount#IMMORTAL_REFCNT}, never reports zero, and from then on
     * is never written.
     */
    @Test
    void makeImmortalRacingUpdatesMovesTheWordByAtMostOnePerThread() throws InterruptedException {
        final int rounds = 200;
        final int after = 2_000; // pairs each worker makes once it has seen the object immortal
        List<Long> drifts = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            rc.initialize(object, thread);
            AtomicInteger arrivals = new AtomicInteger();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicBoolean immortalized = new AtomicBoolean();
            AtomicLong zeros = new AtomicLong();
            final int delay = 1 + round % 50; // pairs the workers run before the test immortalises
            AtomicInteger started = new AtomicInteger();
            Thread immortaliser = new Thread(() -> {
                while (started.get() < 2 * delay) Thread.onSpinWait();
                rc.makeImmortal(object);
                immortalized.set(true);
            }, "immortaliser");
            immortaliser.start();
            onTwoThreads(failure, (k, context) -> {
                meet(arrivals, 1, 2, failure);
                long z = 0;
                int pairsAfter = 0;
                while (pairsAfter < after) {
                    if (immortalized.get()) pairsAfter++;
                    else started.incrementAndGet();
                    rc.incref(object, context);
                    if (rc.decref(object, context)) z++;
                }
                zeros.addAndGet(z);
            });
            immortaliser.join();
            long word = raw();
            drifts.add(word - InterlockedRefCount.IMMORTAL_REFCNT);
            assertThat(zeros.get()).as("zeros reported in round %d", round).isZero();
            assertThat(word - InterlockedRefCount.IMMORTAL_REFCNT).as("drift of the immortal word in round %d", round)
                    .isBetween(-2L, 2L);
            assertThat(rc.isImmortal(object)).isTrue();
            for (int i = 0; i < 100; i++) {
                rc.incref(object, thread);
                assertThat(rc.decref(object, thread)).isFalse();
            }
            assertThat(raw()).as("word after the race, once settled").isEqualTo(word);
        }
        System.out.printf("interlocked: makeImmortal racing pairs, drift of the immortal word over %d rounds: %s%n",
                rounds, drifts.stream().collect(java.util.stream.Collectors.groupingBy(d -> d, java.util.TreeMap::new,
                        java.util.stream.Collectors.counting())));
    }

    // ---- cost ----

    @Test
    void increfDecrefAllocateNoJavaObjects() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().threadId();
        mx.getThreadAllocatedBytes(id); // warm the measurement itself
        for (int i = 0; i < 5; i++) pairs(1_000_000);
        long before = mx.getThreadAllocatedBytes(id);
        long zeros = pairs(1_000_000);
        long allocated = mx.getThreadAllocatedBytes(id) - before;
        System.out.printf("interlocked: 1,000,000 incref/decref pairs allocated %d bytes%n", allocated);
        assertThat(zeros).isZero();
        assertThat(rc.referenceCount(object)).isEqualTo(1);
        assertThat(allocated).isLessThan(1024);
    }

    private long pairs(int n) {
        long zeros = 0;
        for (int i = 0; i < n; i++) {
            rc.incref(object, thread);
            if (rc.decref(object, thread)) zeros++;
        }
        return zeros;
    }
}
