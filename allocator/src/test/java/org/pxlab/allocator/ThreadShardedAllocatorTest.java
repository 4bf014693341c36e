package org.pxlab.allocator;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.spi.AllocatorStatistics;

/**
 * The mimalloc and QSBR behaviour of {@code thread-sharded}, step by step: delayed cross-thread
 * frees, full pages coming back, page retirement, QSBR-delayed reuse for another size class,
 * per-thread statistics, the walk and the allocation-free hot path. Each test drives one owner
 * thread deterministically; frees "by another thread" run on a real second Java thread.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ThreadShardedAllocatorTest {
    /** The 64-byte class: 1022 blocks a page, extended 64 at a time. */
    private static final int SIZE = 64;
    private static final int PER_PAGE = (MiPage.PAGE_SIZE - MiPage.HEADER) / SIZE;
    private static final int EXTEND = MiPage.MAX_EXTEND_SIZE / SIZE;

    private final ThreadContext t0 = new ThreadContext(0, "owner", Placement.MAIN);
    private final ThreadContext t1 = new ThreadContext(1, "other", Placement.MAIN);
    private final ThreadContext t2 = new ThreadContext(2, "third", Placement.MAIN);
    private final List<ThreadShardedAllocator> created = new ArrayList<>();

    private ThreadShardedAllocator allocator(int deferredLimit) {
        ThreadShardedAllocator a = new ThreadShardedAllocator(Long.MAX_VALUE, deferredLimit);
        created.add(a);
        return a;
    }

    @AfterEach
    void release() {
        for (ThreadShardedAllocator a : created) a.release();
    }

    /** Runs {@code body} on a fresh Java thread and waits for it (its effects are then visible here). */
    private static void onAnotherThread(Runnable body) throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.setDaemon(true);
        t.start();
        t.join();
        if (failure.get() != null) throw new AssertionError("the other thread failed", failure.get());
    }

    // ---- delayed cross-thread frees ----

    @Test
    void aBlockFreedByAnotherThreadWaitsOnTheOwnersListsAndIsReusedAfterCollection() throws InterruptedException {
        ThreadShardedAllocator a = allocator(1);
        long x = a.allocate(SIZE, t0);
        long y = a.allocate(SIZE, t0);
        long z = a.allocate(SIZE, t0);
        long page = MiPage.pageOf(x);
        assertThat(MiPage.pageOf(y)).isEqualTo(page);
        ThreadHeap owner = a.heap(0);
        assertThat(MiPage.delayedState(page)).isEqualTo(MiPage.USE_DELAYED_FREE);

        onAnotherThread(() -> a.free(x, SIZE, t1));
        // The first cross-thread free into the page notifies the owner: its heap's delayed list.
        assertThat(owner.delayedHead()).as("head of the owner's delayed list").isEqualTo(x);
        assertThat(MiPage.delayedState(page)).isEqualTo(MiPage.NO_DELAYED_FREE);
        assertThat(MiPage.threadFreeHead(page)).isZero();

        onAnotherThread(() -> a.free(y, SIZE, t1));
        // Later ones go on the page's thread_free list, with a CAS.
        assertThat(MiPage.threadFreeHead(page)).as("head of the page's thread_free list").isEqualTo(y);
        assertThat(owner.delayedHead()).isEqualTo(x);
        assertThat(a.counter(1, ThreadShardedAllocator.CROSS_THREAD_FREES)).isEqualTo(2);
        assertThat(a.counter(1, ThreadShardedAllocator.DELAYED_NOTIFICATIONS)).isEqualTo(1);

        // The owner's free list still holds the rest of the first extension: the freed blocks
        // are not handed out until it runs dry and the generic path collects.
        Set<Long> handedOut = new HashSet<>();
        for (int i = 3; i < EXTEND; i++) handedOut.add(a.allocate(SIZE, t0));
        assertThat(handedOut).doesNotContain(x, y);
        assertThat(owner.delayedHead()).as("not collected while the free list has blocks").isEqualTo(x);
        assertThat(MiPage.threadFreeHead(page)).isEqualTo(y);

        assertThat(Set.of(a.allocate(SIZE, t0), a.allocate(SIZE, t0))).as("the two allocations after the free list ran dry")
                .containsExactlyInAnyOrder(x, y);
        assertThat(owner.delayedHead()).isZero();
        assertThat(MiPage.threadFreeHead(page)).isZero();
        assertThat(MiPage.delayedState(page)).as("re-armed for the next cross-thread free").isEqualTo(MiPage.USE_DELAYED_FREE);

        AllocatorStatistics s = a.statistics();
        assertThat(s.liveBlocks()).isEqualTo(EXTEND + 2 - 2);
        assertThat(s.inUse()).isEqualTo((long) SIZE * s.liveBlocks());
        handedOut.add(x);
        handedOut.add(y);
        handedOut.add(z);
        for (long b : handedOut) a.free(b, SIZE, t0);
        assertThat(a.statistics().inUse()).isZero();
    }

    /** A full page is not scanned again; a cross-thread free into it reaches the owner through the delayed list. */
    @Test
    void aFullPageReturnsToUseWhenAnotherThreadFreesIntoIt() throws InterruptedException {
        ThreadShardedAllocator a = allocator(1);
        List<Long> firstPage = new ArrayList<>();
        for (int i = 0; i < PER_PAGE; i++) firstPage.add(a.allocate(SIZE, t0));
        long page = MiPage.pageOf(firstPage.get(0));
        long next = a.allocate(SIZE, t0);
        assertThat(MiPage.pageOf(next)).as("the first page is full").isNotEqualTo(page);
        assertThat(Memory.getInt(page + MiPage.IN_FULL)).as("in the full queue").isEqualTo(1);

        long x = firstPage.get(PER_PAGE / 2);
        onAnotherThread(() -> a.free(x, SIZE, t1));
        ThreadHeap owner = a.heap(0);
        assertThat(owner.delayedHead()).isEqualTo(x);

        List<Long> more = new ArrayList<>();
        boolean reused = false;
        while (!reused && more.size() <= PER_PAGE) {
            long b = a.allocate(SIZE, t0);
            more.add(b);
            if (owner.delayedHead() == 0) assertThat(Memory.getInt(page + MiPage.IN_FULL)).as("back from the full queue").isZero();
            reused = b == x;
        }
        assertThat(reused).as("the block freed into the full page was handed out again").isTrue();
        for (long b : firstPage) if (b != x) a.free(b, SIZE, t0);
        for (long b : more) a.free(b, SIZE, t0);
        a.free(next, SIZE, t0);
        assertThat(a.statistics().liveBlocks()).isZero();
    }

    // ---- retirement and QSBR ----

    /** Fills a page of the 64-byte class, starts a second, frees the first entirely: it is retired. */
    private long retireAPage(ThreadShardedAllocator a, List<Long> keep) {
        List<Long> blocks = new ArrayList<>();
        for (int i = 0; i < PER_PAGE; i++) blocks.add(a.allocate(SIZE, t0));
        keep.add(a.allocate(SIZE, t0));
        long page = MiPage.pageOf(blocks.get(0));
        for (long b : blocks) a.free(b, SIZE, t0);
        assertThat(MiPage.allFree(page)).isTrue();
        return page;
    }

    @Test
    void anEmptiedPageIsReusedForAnotherClassOnlyOnceEveryAttachedThreadPassedAQuiescentPoint() {
        ThreadShardedAllocator a = allocator(1);
        a.attach(t1); // a thread that reads shared objects and never allocates here
        List<Long> keep = new ArrayList<>();
        long page = retireAPage(a, keep);
        Qsbr qsbr = a.qsbrDomain();
        assertThat(a.heap(0).qsbrListLength()).as("pages waiting for QSBR").isEqualTo(1);
        assertThat(a.counter(ThreadShardedAllocator.PAGES_DEFERRED)).isEqualTo(1);
        long goal = Memory.getLong(page + MiPage.QSBR_GOAL);
        assertThat(goal).as("goal: the write sequence after one advance").isEqualTo(Qsbr.INITIAL + Qsbr.INCR)
                .isEqualTo(qsbr.current());

        // Neither thread has passed a quiescent point: a fresh page for another class is a new one.
        long b128 = a.allocate(128, t0);
        assertThat(MiPage.pageOf(b128)).isNotEqualTo(page);

        // Only the owner has: still not.
        a.quiescent(t0);
        long b256 = a.allocate(256, t0);
        assertThat(MiPage.pageOf(b256)).isNotEqualTo(page);
        assertThat(a.counter(ThreadShardedAllocator.PAGES_FREED)).isZero();
        assertThat(qsbr.sharedReadSequence()).isEqualTo(Qsbr.INITIAL);

        // Every attached thread has: the page goes back to the segment and is the next fresh page.
        a.quiescent(t1);
        long b512 = a.allocate(512, t0);
        assertThat(MiPage.pageOf(b512)).as("the emptied page, now of the 512-byte class").isEqualTo(page);
        assertThat(MiPage.blockSize(page)).isEqualTo(512);
        assertThat(a.counter(ThreadShardedAllocator.PAGES_FREED)).isEqualTo(1);
        assertThat(a.counter(ThreadShardedAllocator.PAGES_REUSED)).isEqualTo(1);
        assertThat(a.heap(0).qsbrListLength()).isZero();
        assertThat(qsbr.sharedReadSequence()).isEqualTo(goal);

        a.free(b128, 128, t0);
        a.free(b256, 256, t0);
        a.free(b512, 512, t0);
        for (long b : keep) a.free(b, SIZE, t0);
    }

    @Test
    void aDetachedThreadDoesNotHoldBackReuse() {
        ThreadShardedAllocator a = allocator(1);
        a.attach(t1);
        List<Long> keep = new ArrayList<>();
        long page = retireAPage(a, keep);
        a.detach(t1);
        a.quiescent(t0);
        long b = a.allocate(256, t0);
        assertThat(MiPage.pageOf(b)).isEqualTo(page);
        a.free(b, 256, t0);
        for (long k : keep) a.free(k, SIZE, t0);
    }

    @Test
    void aThreadThatAllocatesIsAttachedImplicitlyAndHoldsBackReuse() throws InterruptedException {
        ThreadShardedAllocator a = allocator(1);
        long[] other = new long[1];
        onAnotherThread(() -> other[0] = a.allocate(SIZE, t1));
        assertThat(a.qsbrDomain().readSequence(1)).isEqualTo(Qsbr.INITIAL);
        List<Long> keep = new ArrayList<>();
        long page = retireAPage(a, keep);
        a.quiescent(t0);
        long b = a.allocate(256, t0);
        assertThat(MiPage.pageOf(b)).as("thread 1 has not passed a quiescent point").isNotEqualTo(page);
        a.quiescent(t1);
        long c = a.allocate(512, t0);
        assertThat(MiPage.pageOf(c)).isEqualTo(page);
        a.free(b, 256, t0);
        a.free(c, 512, t0);
        a.free(other[0], SIZE, t1);
        for (long k : keep) a.free(k, SIZE, t0);
    }

    /** While it waits, the page serves its own class, which ends the wait: the goal was for the old frees. */
    @Test
    void aPageWaitingForQsbrStillServesItsOwnClassAndThatCancelsItsReclamation() {
        ThreadShardedAllocator a = allocator(1);
        List<Long> keep = new ArrayList<>();
        long page = retireAPage(a, keep);
        assertThat(a.heap(0).directPage(SizeClasses.index(SIZE))).as("the waiting page is not the fast path's").isNotEqualTo(page);
        List<Long> blocks = new ArrayList<>();
        long b;
        do {
            b = a.allocate(SIZE, t0);
            blocks.add(b);
        } while (MiPage.pageOf(b) != page && blocks.size() <= PER_PAGE);
        assertThat(MiPage.pageOf(b)).as("64-byte blocks come from the waiting page again").isEqualTo(page);
        assertThat(a.heap(0).qsbrListLength()).isZero();
        assertThat(Memory.getLong(page + MiPage.QSBR_GOAL)).isZero();
        a.quiescent(t0);
        long other = a.allocate(256, t0);
        assertThat(MiPage.pageOf(other)).isNotEqualTo(page);
        assertThat(a.counter(ThreadShardedAllocator.PAGES_FREED)).isZero();
        a.free(other, 256, t0);
        for (long x : blocks) a.free(x, SIZE, t0);
        for (long x : keep) a.free(x, SIZE, t0);
    }

    /** With CPython's deferred advance, a goal is one advance ahead; quiescent points alone do not reach it. */
    @Test
    void withDeferredAdvanceAGoalIsReachedOnlyAfterTheWriteSequenceMoves() {
        ThreadShardedAllocator a = allocator(Qsbr.DEFAULT_DEFERRED_LIMIT);
        List<Long> keep = new ArrayList<>();
        long page = retireAPage(a, keep);
        Qsbr qsbr = a.qsbrDomain();
        assertThat(qsbr.current()).as("not advanced for the first deferral").isEqualTo(Qsbr.INITIAL);
        a.quiescent(t0);
        long b = a.allocate(256, t0);
        assertThat(MiPage.pageOf(b)).isNotEqualTo(page);
        qsbr.advance();
        a.quiescent(t0);
        long c = a.allocate(512, t0);
        assertThat(MiPage.pageOf(c)).isEqualTo(page);
        a.free(b, 256, t0);
        a.free(c, 512, t0);
        for (long x : keep) a.free(x, SIZE, t0);
    }

    /**
     * The only page of a class is kept when it empties (mimalloc's retire_expire), so a loop that
     * allocates and frees one object neither retires its page nor touches the shared write
     * sequence; it is handed to QSBR after 17 requests for fresh pages.
     */
    @Test
    void theOnlyPageOfAClassIsKeptForAWhileWhenItEmpties() {
        ThreadShardedAllocator a = allocator(1);
        for (int i = 0; i < 10_000; i++) a.free(a.allocate(SIZE, t0), SIZE, t0);
        assertThat(a.counter(ThreadShardedAllocator.PAGES_DEFERRED)).isZero();
        assertThat(a.qsbrDomain().current()).isEqualTo(Qsbr.INITIAL);
        List<long[]> others = new ArrayList<>();
        for (int sizeIndex = 4; sizeIndex < 4 + ThreadHeap.RETIRE_CYCLES; sizeIndex++) {
            assertThat(a.counter(ThreadShardedAllocator.PAGES_DEFERRED)).as("before fresh page %d", sizeIndex - 3).isZero();
            long size = SizeClasses.classSize(sizeIndex);
            others.add(new long[] {a.allocate(size, t0), size});
        }
        assertThat(a.counter(ThreadShardedAllocator.PAGES_DEFERRED)).isEqualTo(1);
        for (long[] o : others) a.free(o[0], o[1], t0);
    }

    // ---- statistics, walk, hot path ----

    @Test
    void statisticsAreKeptPerThreadAndSummed() throws InterruptedException {
        ThreadShardedAllocator a = allocator(1);
        ThreadContext t3 = new ThreadContext(3, "large", Placement.MAIN);
        List<Long> small = new ArrayList<>();
        List<Long> large = new ArrayList<>();
        onAnotherThread(() -> {
            for (int i = 0; i < 1000; i++) small.add(a.allocate(SIZE, t1));
        });
        onAnotherThread(() -> {
            for (int i = 0; i < 500; i++) large.add(a.allocate(600, t3));
            for (int i = 0; i < 200; i++) a.free(large.get(i), 600, t3);
        });
        onAnotherThread(() -> {
            for (long b : small) a.free(b, SIZE, t2);
        });
        onAnotherThread(() -> {
            for (int i = 200; i < 500; i++) a.free(large.get(i), 600, t1);
        });
        assertThat(a.counter(1, ThreadShardedAllocator.ALLOCATIONS)).isEqualTo(1000);
        assertThat(a.counter(3, ThreadShardedAllocator.ALLOCATIONS)).isEqualTo(500);
        assertThat(a.counter(2, ThreadShardedAllocator.FREES)).isEqualTo(1000);
        assertThat(a.counter(2, ThreadShardedAllocator.CROSS_THREAD_FREES)).isEqualTo(1000);
        assertThat(a.counter(3, ThreadShardedAllocator.FREES)).isEqualTo(200);
        assertThat(a.counter(1, ThreadShardedAllocator.FREES)).isEqualTo(300);
        assertThat(a.counter(1, ThreadShardedAllocator.IN_USE)).isEqualTo(1000L * SIZE - 300L * 600);
        assertThat(a.counter(2, ThreadShardedAllocator.IN_USE)).isEqualTo(-1000L * SIZE);
        assertThat(a.counter(3, ThreadShardedAllocator.IN_USE)).isEqualTo(300L * 600);
        assertThat(a.counter(1, ThreadShardedAllocator.RESERVED)).as("thread 1's heap line and segment, minus the large blocks it freed")
                .isEqualTo(ThreadHeap.LINE + ThreadHeap.SEGMENT_SIZE - 300L * 600);
        AllocatorStatistics s = a.statistics();
        assertThat(s.allocations()).isEqualTo(1500);
        assertThat(s.frees()).isEqualTo(1500);
        assertThat(s.inUse()).isZero();
        assertThat(s.peakInUse()).isGreaterThanOrEqualTo(0);
        assertThat(s.reserved()).isEqualTo(Qsbr.BYTES + WordMutex.LINE + ThreadHeap.LINE + ThreadHeap.SEGMENT_SIZE);
    }

    /** Blocks another thread freed and the owner has not collected (on thread_free or the delayed list) are not live. */
    @Test
    void theWalkLeavesOutUncollectedCrossThreadFrees() throws InterruptedException {
        ThreadShardedAllocator a = allocator(1);
        List<Long> blocks = new ArrayList<>();
        for (int i = 0; i < 300; i++) blocks.add(a.allocate(48, t0));
        long big = a.allocate(5000, t0);
        onAnotherThread(() -> {
            for (int i = 0; i < 300; i += 2) a.free(blocks.get(i), 48, t1);
        });
        assertThat(a.heap(0).delayedHead()).isNotZero();
        assertThat(MiPage.threadFreeHead(MiPage.pageOf(blocks.get(0)))).isNotZero();
        Map<Long, Long> visited = new HashMap<>();
        a.walk((address, size) -> assertThat(visited.put(address, size)).isNull());
        Map<Long, Long> expected = new HashMap<>();
        for (int i = 1; i < 300; i += 2) expected.put(blocks.get(i), 48L);
        expected.put(big, 5000L);
        assertThat(visited).isEqualTo(expected);
        for (int i = 1; i < 300; i += 2) a.free(blocks.get(i), 48, t0);
        a.free(big, 5000, t0);
    }

    @Test
    void allocateAndFreeAllocateNoJavaObjects() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().threadId();
        ThreadShardedAllocator a = allocator(Qsbr.DEFAULT_DEFERRED_LIMIT);
        long neighbour = a.allocate(32, t0);
        long sink = 0;
        for (int round = 0; round < 5; round++) sink += pairs(a, 1_000_000);
        long before = threads.getThreadAllocatedBytes(self);
        sink += pairs(a, 1_000_000);
        long allocated = threads.getThreadAllocatedBytes(self) - before;
        assertThat(allocated).as("Java bytes allocated by 1,000,000 allocate+free pairs").isLessThan(1024);
        assertThat(sink).isNotZero();
        assertThat(a.statistics().allocations()).isEqualTo(1 + 6_000_000L);
        a.free(neighbour, 32, t0);
    }

    private long pairs(ThreadShardedAllocator a, int n) {
        long sink = 0;
        for (int i = 0; i < n; i++) {
            long block = a.allocate(32, t0);
            sink += block;
            a.free(block, 32, t0);
        }
        return sink;
    }
}
