package org.pxlab.runtime.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.layout.HeaderField;
import org.pxlab.runtime.layout.Ranks;
import org.pxlab.runtime.layout.StructLayout;
import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.memory.SystemMalloc;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.object.Space;
import org.pxlab.runtime.spi.Allocator;
import org.pxlab.runtime.spi.RefCountStrategy;

/**
 * The {@link RefCountStrategy} contract as a test kit: every test a refcount strategy must
 * pass, written once, run against each strategy by a small subclass (in the manner of JCTools'
 * {@code MpqSanityTest}).
 *
 * <p><b>What it checks.</b>
 * <ul>
 *   <li><em>Header fields</em>: declared with distinct names and sizes of 1, 2, 4 or 8 bytes,
 *       none of the runtime's own ({@code ob_type}, {@code ob_space}), the same from every
 *       instance; composed into the header {@link Heap#composeHeader} builds at their declared
 *       sizes and natural alignment.</li>
 *   <li><em>Binding</em>: bound to a header where foreign fields precede, follow and
 *       surround its own, the strategy reads and writes only its own fields, at the offsets
 *       it was bound to (every other byte of the header, and the bytes around it, keep a
 *       canary through initialise, increments, decrements and immortalisation).</li>
 *   <li><em>Counting</em>: a fresh object counts 1 and is mortal; {@code n} increments and
 *       then {@code n} decrements return it to 1, with {@code referenceCount} agreeing after
 *       every step; {@code decref} reports zero exactly once per object, at its last
 *       reference, whatever the interleaving over many objects (seeded).</li>
 *   <li><em>Immortality</em>: after {@code makeImmortal} an object reports immortal and a
 *       count of at least 2^30; thousands of increments and more decrements leave its header
 *       bytes unchanged and never report zero.</li>
 *   <li><em>Release of children</em>: on a real {@link Heap} (one space: this strategy,
 *       {@link #heapAllocator()}, a {@link NoOpCollector}), a list holding fresh objects,
 *       among them a nested list, is dropped with {@code heap.decref}: everything it alone
 *       referenced is freed (the allocator's {@code inUse} is back where it was), while a
 *       child that had another reference survives, intact, with its count reduced by one.</li>
 *   <li><em>Two threads</em>, when {@link RefCountStrategy#isThreadSafe()}: two threads with
 *       distinct {@link ThreadContext}s each increment one shared object
 *       {@link #stressIncrements()} times and then decrement it as often, while the test
 *       thread holds the first reference; they meet at a spinning barrier before each
 *       twentieth of the work, so that their updates really overlap. No decrement may report zero
 *       and the count must end at exactly 1. A strategy that loses updates fails within
 *       {@link #stressRounds()} rounds; a correct one runs them all. Strategies that are not
 *       thread safe skip it (reported as skipped).</li>
 * </ul>
 *
 * <p><b>Using it for a new strategy.</b> Put a subclass whose name ends in {@code Test} in the
 * strategy's module; the module's tests need the runtime's test jar and, for
 * {@link #heapAllocator()}, an allocator at test scope (the {@code allocator} module's
 * {@code MallocAllocator} is the usual choice: thread safe, exact statistics).
 * <pre>{@code
 * class InterlockedRefCountContractTest extends RefCountContract {
 *     @Override protected RefCountStrategy create() { return new InterlockedRefCount(); }
 *     @Override protected Allocator heapAllocator() { return new MallocAllocator(Long.MAX_VALUE); }
 * }
 * }</pre>
 * {@link #create()} must return a new, unbound instance on every call (the kit binds several
 * per test, to different headers). {@link #heapAllocator()} must return a new allocator; the
 * kit releases it after the test.
 *
 * <p><b>Assumptions about the strategy.</b> The single-thread tests read counts right after
 * each call, as the owner of every object: they expect {@code decref} to report zero at the
 * decrement that removes the last reference. A strategy that defers a decrement made by
 * another thread (a queued biased merge) reports {@code false} there and frees later through
 * its {@link org.pxlab.runtime.spi.RefCountSite}. The kit binds it a site that records what
 * is released, registers its threads ({@code threadStarted}), and <em>settles</em> with the
 * SPI's own hooks ({@link #settle}: {@code processPending} on each kit thread, then
 * {@code processAllPending}), which is what the runtime calls at eval-breaker checks and in a
 * stop-the-world pause. {@link #objectsDroppedByOwnerAndOthersAreFreedExactlyOnce} checks
 * that, once settled, every object was freed exactly once and never while referenced.
 */
public abstract class RefCountContract {
    /** All randomness derives from this, so a failure reproduces. */
    protected static final long SEED = 0x70786C61_62_7263L;

    /** The runtime thread of single-threaded tests (id 0; the stress test's workers are 1 and 2). */
    protected final ThreadContext main = new ThreadContext(0, "kit-main", Placement.MAIN);

    /** A second kit thread (id 3), for decrements made by a thread that does not own the object. */
    protected final ThreadContext other = new ThreadContext(3, "kit-other", Placement.MAIN);

    /** Objects the strategy released through the kit's site (a merge that reached zero), in order. */
    protected final List<Long> released = new ArrayList<>();

    /** The strategy under test, bound to {@link #header}. */
    protected RefCountStrategy strategy;
    /** The header a one-space configuration of this strategy composes. */
    protected StructLayout header;

    private final List<Long> blocks = new ArrayList<>();
    private final List<Allocator> allocators = new ArrayList<>();

    /** A new, unbound strategy. */
    protected abstract RefCountStrategy create();

    /** A new allocator for the kit's real heap; released after the test. */
    protected abstract Allocator heapAllocator();

    /**
     * Whether the strategy counts references at all. PyParallel's {@code elided} does not: its
     * objects die with their context, so the kit's counting and freeing tests do not apply to
     * it, and only the header, fresh-object and foreign-field tests run.
     */
    protected boolean countsReferences() {
        return true;
    }

    /** Increments (and then decrements) per thread and round in the two-thread stress test. */
    protected int stressIncrements() {
        return 1_000_000;
    }

    /**
     * Rounds of the two-thread stress test. Lost updates need the two threads' updates to
     * overlap in time, which no one round guarantees (a compiled loop may keep the count in a
     * register and store it once per chunk, leaving a short window, and a busy machine may not
     * run both threads at once); a broken strategy is usually caught in the first round, and
     * twenty make a miss vanishingly unlikely. A correct strategy pays for all of them.
     */
    protected int stressRounds() {
        return 20;
    }

    @BeforeEach
    public final void bindTheStrategy() {
        strategy = create();
        assertThat(strategy).as("create()").isNotNull();
        header = Heap.composeHeader(List.of(strategy), List.of());
        strategy.bind(header);
        strategy.bindSite(new org.pxlab.runtime.spi.RefCountSite() {
            @Override
            public int breakerBit() {
                return 1 << 30;
            }

            @Override
            public void schedule(ThreadContext owner) {
                owner.signal(1 << 30);
            }

            @Override
            public void release(long object, ThreadContext thread) {
                released.add(object);
            }
        });
        strategy.threadStarted(main);
        strategy.threadStarted(other);
    }

    /**
     * Runs the strategy's deferred work as the runtime would: each kit thread's eval-breaker
     * work ({@code processPending}), then a stop-the-world merge ({@code processAllPending}).
     * Strategies that defer nothing do nothing here.
     */
    protected void settle() {
        strategy.processPending(main);
        strategy.processPending(other);
        strategy.processAllPending(main);
    }

    @AfterEach
    public final void freeTheObjects() {
        blocks.forEach(SystemMalloc::free);
        blocks.clear();
        allocators.forEach(Allocator::release);
        allocators.clear();
    }

    /**
     * A new object of {@link #header}'s layout, set up as {@link Heap#allocate} does it (every
     * header word zero, then {@code initialize}); freed after the test.
     */
    protected final long newObject() {
        long o = SystemMalloc.malloc(header.size());
        blocks.add(o);
        for (int offset = 0; offset < header.size(); offset += 8) Memory.putLong(o + offset, 0L);
        strategy.initialize(o, main);
        return o;
    }

    // ---- header ----

    @Test
    public void headerFieldsAreDeclaredWithSizesAndComposeAsDeclared() {
        List<HeaderField> fields = strategy.headerFields();
        assertThat(fields).as("headerFields()").isNotNull().doesNotContainNull();
        assertThat(fields).extracting(HeaderField::name).as("names of the header fields")
                .doesNotHaveDuplicates().doesNotContain("ob_type", "ob_space");
        assertThat(create().headerFields()).as("headerFields() of another instance: headers are composed from one"
                + " instance and bound by others").isEqualTo(fields);
        for (HeaderField f : fields) {
            assertThat(f.size()).as("size of %s", f.name()).isIn(1, 2, 4, 8);
            assertThat(f.owner()).as("owner of %s", f.name()).isNotBlank();
            assertThat(header.has(f.name())).as("the composed header has %s", f.name()).isTrue();
            StructLayout.Slot slot = header.slots().stream()
                    .filter(s -> !s.isPadding() && s.field().name().equals(f.name())).findFirst().orElseThrow();
            assertThat(slot.size()).as("size of %s in the composed header", f.name()).isEqualTo(f.size());
            assertThat(slot.offset() % f.size()).as("alignment of %s in the composed header", f.name()).isZero();
        }
    }

    @Test
    public void strategyUsesOnlyItsOwnFieldsAtTheOffsetsItWasBoundTo() {
        RefCountStrategy s = create();
        // Foreign fields before (the lowest rank), after, and just before ob_type: the strategy's
        // fields move away from where a one-space header puts them.
        StructLayout layout = Heap.composeHeader(List.of(s), List.of(
                new HeaderField("kit_before", 8, Integer.MIN_VALUE, "kit"),
                new HeaderField("kit_flag", 1, Ranks.REFCOUNT + 1, "kit"),
                new HeaderField("kit_after", 8, Ranks.TYPE - 1, "kit")));
        s.bind(layout);

        boolean[] own = new boolean[layout.size()];
        for (HeaderField f : s.headerFields()) {
            int at = layout.offsetOf(f.name());
            for (int i = 0; i < f.size(); i++) own[at + i] = true;
        }
        final int guard = 16;
        final byte canary = (byte) 0xA5;
        long block = SystemMalloc.malloc(guard + layout.size() + guard);
        blocks.add(block);
        long o = block + guard;
        for (int i = -guard; i < layout.size() + guard; i++) {
            boolean mine = i >= 0 && i < layout.size() && own[i];
            Memory.putByte(o + i, mine ? 0 : canary);
        }

        s.initialize(o, main);
        for (int i = 0; i < 3; i++) s.incref(o, main);
        for (int i = 0; i < 2; i++) assertThat(s.decref(o, main)).as("decref from 4 or 3 references").isFalse();
        if (countsReferences()) {
            assertThat(s.referenceCount(o)).as("count after initialize, 3 increfs, 2 decrefs").isEqualTo(2);
            s.makeImmortal(o);
            s.incref(o, main);
            assertThat(s.decref(o, main)).as("decref of an immortal").isFalse();
            assertThat(s.isImmortal(o)).as("isImmortal after makeImmortal").isTrue();
        }

        for (int i = -guard; i < layout.size() + guard; i++) {
            if (i >= 0 && i < layout.size() && own[i]) continue;
            assertThat(Memory.getByte(o + i)).as("byte %d of a header laid out as %s, which is not the strategy's",
                    i, layout.slots()).isEqualTo(canary);
        }
    }

    // ---- counting ----

    @Test
    public void freshObjectCountsOneAndIsMortal() {
        long o = newObject();
        assertThat(strategy.referenceCount(o)).as("count of a fresh object").isEqualTo(1);
        assertThat(strategy.isImmortal(o)).as("a fresh object is immortal").isFalse();
    }

    @Test
    public void increfsThenAsManyDecrefsReturnToOne() {
        assumeTrue(countsReferences(), "this strategy counts nothing (its objects die with their context)");
        long o = newObject();
        for (int n : new int[] {1, 2, 3, 10, 1_000, 100_000}) {
            for (int i = 1; i <= n; i++) {
                strategy.incref(o, main);
                if (n <= 1_000) assertThat(strategy.referenceCount(o)).as("count after %d of %d increfs", i, n).isEqualTo(1L + i);
            }
            assertThat(strategy.referenceCount(o)).as("count after %d increfs", n).isEqualTo(1L + n);
            for (int i = 1; i <= n; i++) {
                boolean zero = strategy.decref(o, main);
                if (zero) fail("decref %d of %d reported zero with %d references left", i, n, 1 + n - i);
                if (n <= 1_000) assertThat(strategy.referenceCount(o)).as("count after %d of %d decrefs", i, n).isEqualTo(1L + n - i);
            }
            assertThat(strategy.referenceCount(o)).as("count after %d increfs and as many decrefs", n).isEqualTo(1);
        }
        assertThat(strategy.isImmortal(o)).isFalse();
    }

    @Test
    public void decrefReportsZeroExactlyOnceAtTheLastReference() {
        assumeTrue(countsReferences(), "this strategy counts nothing (its objects die with their context)");
        Random random = new Random(SEED ^ 0x1);
        final int objects = 64;
        long[] object = new long[objects];
        long[] remaining = new long[objects];
        List<Integer> decrefs = new ArrayList<>();
        for (int k = 0; k < objects; k++) {
            object[k] = newObject();
            int extra = random.nextInt(21);
            for (int i = 0; i < extra; i++) strategy.incref(object[k], main);
            remaining[k] = 1 + extra;
            for (int i = 0; i <= extra; i++) decrefs.add(k);
        }
        // Interleave the decrements of all objects in a seeded order: each object must report
        // zero at its own last one, whatever happened to the others in between.
        Collections.shuffle(decrefs, random);
        for (int step = 0; step < decrefs.size(); step++) {
            int k = decrefs.get(step);
            remaining[k]--;
            boolean zero = strategy.decref(object[k], main);
            assertThat(zero).as("decref at step %d of object %d, leaving %d references (seed %x)", step, k, remaining[k], SEED ^ 0x1)
                    .isEqualTo(remaining[k] == 0);
            if (!zero) assertThat(strategy.referenceCount(object[k])).as("count of object %d", k).isEqualTo(remaining[k]);
        }
    }

    /**
     * Objects made by {@code main}, given extra references by either kit thread, and dropped in
     * a seeded order by either (one Java thread, so no race): each object must be freed exactly
     * once, by a {@code decref} that reports zero or by a release during {@link #settle}, and
     * never while a reference remains. A biased strategy that never merges what a non-owner
     * queued leaks here; one that frees when the shared count alone reaches zero frees early.
     */
    @Test
    public void objectsDroppedByOwnerAndOthersAreFreedExactlyOnce() {
        assumeTrue(countsReferences(), "this strategy counts nothing (its objects die with their context)");
        Random random = new Random(SEED ^ 0x2);
        final int objects = 64;
        long[] object = new long[objects];
        long[] remaining = new long[objects];
        int[] frees = new int[objects];
        java.util.Map<Long, Integer> index = new java.util.HashMap<>();
        List<Integer> decrefs = new ArrayList<>();
        for (int k = 0; k < objects; k++) {
            object[k] = newObject();
            index.put(object[k], k);
            int extra = random.nextInt(6);
            for (int i = 0; i < extra; i++) strategy.incref(object[k], random.nextBoolean() ? main : other);
            remaining[k] = 1 + extra;
            for (int i = 0; i <= extra; i++) decrefs.add(k);
        }
        Collections.shuffle(decrefs, random);
        for (int step = 0; step < decrefs.size(); step++) {
            int k = decrefs.get(step);
            remaining[k]--;
            ThreadContext by = random.nextBoolean() ? main : other;
            if (strategy.decref(object[k], by)) {
                assertThat(remaining[k]).as("object %d reported zero by %s at step %d with references left (seed %x)",
                        k, by, step, SEED ^ 0x2).isZero();
                frees[k]++;
            }
            for (Long o : released) {
                int j = index.get(o);
                assertThat(remaining[j]).as("object %d released by a merge with references left, step %d", j, step).isZero();
                frees[j]++;
            }
            released.clear();
        }
        settle();
        for (Long o : released) frees[index.get(o)]++;
        released.clear();
        for (int k = 0; k < objects; k++) {
            assertThat(frees[k]).as("times object %d was freed, once settled (seed %x)", k, SEED ^ 0x2).isEqualTo(1);
        }
    }

    @Test
    public void immortalObjectsNeverChangeAndNeverReportZero() {
        assumeTrue(countsReferences(), "this strategy counts nothing (its objects die with their context)");
        long atOne = newObject();
        long atFive = newObject();
        for (int i = 0; i < 4; i++) strategy.incref(atFive, main);
        for (long o : new long[] {atOne, atFive}) {
            strategy.makeImmortal(o);
            assertThat(strategy.isImmortal(o)).as("isImmortal after makeImmortal").isTrue();
            assertThat(strategy.referenceCount(o)).as("count of an immortal").isGreaterThanOrEqualTo(1L << 30);
            byte[] before = Memory.toArray(o, header.size());
            for (int i = 0; i < 1_000; i++) strategy.incref(o, main);
            // More decrements than any count the object ever had: none may reach zero.
            for (int i = 0; i < 2_000; i++) {
                if (strategy.decref(o, main)) fail("decref %d of an immortal object reported zero", i + 1);
            }
            assertThat(Memory.toArray(o, header.size())).as("header bytes of an immortal after 1000 increfs and 2000 decrefs")
                    .isEqualTo(before);
            assertThat(strategy.isImmortal(o)).as("still immortal").isTrue();
        }
    }

    // ---- on a real heap ----

    @Test
    public void droppingAListReleasesTheChildrenOnlyItReferenced() {
        assumeTrue(countsReferences(), "this strategy counts nothing (its objects die with their context)");
        Allocator allocator = heapAllocator();
        assertThat(allocator).as("heapAllocator()").isNotNull();
        allocators.add(allocator);
        NoOpCollector collector = new NoOpCollector();
        NoOpSync sync = new NoOpSync(true);
        Space space = new Space("main", 0, allocator, create(), collector, false, StructLayout.compose(collector.preHeaderFields()));
        Heap heap = new Heap(List.of(space), sync.headerFields());
        heap.bootstrap(main);

        long baseline = allocator.statistics().inUse();
        long survivor = heap.numbers().newFloat(0.25, main);
        long withSurvivor = allocator.statistics().inUse();

        long list = heap.lists().newList(0, main);
        for (int i = 0; i < 8; i++) heap.lists().appendTake(list, heap.numbers().newFloat(i + 0.5, main), main);
        for (int i = 0; i < 2; i++) heap.lists().appendTake(list, heap.strings().newStr("child " + i, main), main);
        // A grandchild, released through a child that is itself released.
        long inner = heap.lists().newList(0, main);
        heap.lists().appendTake(inner, heap.numbers().newFloat(99.5, main), main);
        heap.lists().appendTake(list, inner, main);
        heap.lists().append(list, survivor, main); // a new reference: the survivor has two now
        assertThat(heap.referenceCount(survivor)).as("count of the survivor, held by the test and the list").isEqualTo(2);
        assertThat(heap.referenceCount(list)).as("count of the list").isEqualTo(1);
        assertThat(allocator.statistics().inUse()).as("inUse with the list built").isGreaterThan(withSurvivor);

        heap.decref(list, main);

        assertThat(allocator.statistics().inUse()).as("inUse after dropping the list: everything but the survivor freed; "
                + allocator.statistics()).isEqualTo(withSurvivor);
        assertThat(heap.referenceCount(survivor)).as("count of the survivor after the list let go").isEqualTo(1);
        assertThat(space.refcount().isImmortal(survivor)).as("isImmortal of the survivor").isFalse();
        assertThat(heap.numbers().floatValue(survivor)).as("value of the survivor (not freed, not poisoned)").isEqualTo(0.25);

        heap.decref(survivor, main);
        assertThat(allocator.statistics().inUse()).as("inUse after dropping the survivor").isEqualTo(baseline);
    }

    // ---- threads ----

    /**
     * The stress test's loops are cut into this many chunks per phase, each begun by both
     * threads at a spinning barrier. A thread spinning at the barrier is on a CPU, so when the
     * second arrives both are running and the chunk's updates really overlap, however the
     * scheduler time-slices an oversubscribed machine (one unbroken loop can run start to end
     * within one time slice while the other thread waits for a CPU). Each chunk is a chance to
     * lose an update, so a broken strategy is caught in the first round or two.
     */
    private static final int STRESS_CHUNKS = 20;

    /** Arrives at the barrier of {@code phase} (1, 2, ...) and spins until the other thread has too. */
    private static void meet(AtomicInteger arrivals, int phase, AtomicReference<Throwable> failure) {
        arrivals.incrementAndGet();
        while (arrivals.get() < 2 * phase) {
            if (failure.get() != null) throw new IllegalStateException("the other counting thread failed");
            Thread.onSpinWait();
        }
    }

    @Test
    public void twoThreadsCountingOneObjectLoseNoUpdates() throws InterruptedException {
        assumeTrue(strategy.isThreadSafe(), "this strategy is not thread safe: it needs a lock that serialises its users");
        assumeTrue(countsReferences(), "this strategy counts nothing (its objects die with their context)");
        long o = newObject();
        final int perChunk = Math.max(1, stressIncrements() / STRESS_CHUNKS);
        final int n = perChunk * STRESS_CHUNKS;
        final int rounds = stressRounds();
        for (int round = 1; round <= rounds; round++) {
            // The test thread holds the first reference throughout, so no decrement by the
            // workers may be the last one.
            AtomicInteger arrivals = new AtomicInteger();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            long[] zeros = new long[2];
            Thread[] threads = new Thread[2];
            for (int w = 0; w < 2; w++) {
                final int k = w;
                ThreadContext context = new ThreadContext(1 + w, "kit-counter-" + (1 + w), Placement.MAIN);
                threads[w] = new Thread(() -> {
                    try {
                        int phase = 0;
                        for (int c = 0; c < STRESS_CHUNKS; c++) {
                            meet(arrivals, ++phase, failure);
                            for (int i = 0; i < perChunk; i++) strategy.incref(o, context);
                        }
                        long z = 0;
                        for (int c = 0; c < STRESS_CHUNKS; c++) {
                            meet(arrivals, ++phase, failure);
                            for (int i = 0; i < perChunk; i++) {
                                if (strategy.decref(o, context)) z++;
                            }
                        }
                        zeros[k] = z;
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                }, context.name());
                threads[w].start();
            }
            for (Thread t : threads) t.join(120_000);
            assertThat(threads).as("stress threads still running after two minutes").noneMatch(Thread::isAlive);
            if (failure.get() != null) throw new AssertionError("a counting thread failed in round " + round, failure.get());

            long count = strategy.referenceCount(o);
            long earlyZeros = zeros[0] + zeros[1];
            if (count != 1 || earlyZeros != 0) {
                fail("round %d of %d: two threads each made %d increfs and then %d decrefs of one object at once; the count"
                        + " is %d, not 1, and decref reported zero %d times while the test still held a reference."
                        + " Updates were lost, though isThreadSafe() is true", round, rounds, n, n, count, earlyZeros);
            }
        }
        assertThat(strategy.decref(o, main)).as("the test's own decref, the last reference").isTrue();
    }
}
