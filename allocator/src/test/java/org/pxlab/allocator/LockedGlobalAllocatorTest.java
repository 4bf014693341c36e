package org.pxlab.allocator;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.spi.AllocatorStatistics;

/** What {@code locked-global} adds to pymalloc: one lock that every call takes, and per-thread statistics. */
@Timeout(value = 2, unit = TimeUnit.MINUTES) // a broken lock must fail the test, not hang the build
class LockedGlobalAllocatorTest {
    private final ThreadContext t0 = new ThreadContext(0, "t0", Placement.MAIN);
    private final ThreadContext t1 = new ThreadContext(1, "t1", Placement.MAIN);
    private final LockedGlobalAllocator allocator = new LockedGlobalAllocator(Long.MAX_VALUE);

    @AfterEach
    void release() {
        allocator.release();
    }

    /** While another thread holds the lock, an allocation and a free by this one wait for it. */
    @Test
    void everyAllocationAndFreeTakesTheLock() throws InterruptedException {
        long block = allocator.allocate(48, t1);
        allocator.mutex().lock(t0);
        AtomicLong allocated = new AtomicLong();
        CountDownLatch done = new CountDownLatch(1);
        Thread other = new Thread(() -> {
            allocated.set(allocator.allocate(48, t1));
            allocator.free(block, 48, t1);
            done.countDown();
        });
        other.setDaemon(true);
        other.start();
        awaitBlocked(other);
        assertThat(allocated.get()).as("allocated while another thread held the lock").isZero();
        assertThat(allocator.lockStatistics().contended()).isEqualTo(1);
        allocator.mutex().unlock(t0);
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(allocated.get()).isNotZero();

        // And the free: hold the lock again, the other thread's free waits.
        allocator.mutex().lock(t0);
        CountDownLatch freed = new CountDownLatch(1);
        Thread freer = new Thread(() -> {
            allocator.free(allocated.get(), 48, t1);
            freed.countDown();
        });
        freer.setDaemon(true);
        freer.start();
        awaitBlocked(freer);
        assertThat(freed.getCount()).as("freed while another thread held the lock").isEqualTo(1);
        allocator.mutex().unlock(t0);
        assertThat(freed.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(allocator.statistics().liveBlocks()).isZero();
        assertThat(allocator.mutex().isLocked()).isFalse();
    }

    /**
     * Counts are kept in each calling thread's slots (a cross-thread free lands in the freeing
     * thread's), and their sums agree with pymalloc's own counts kept under the lock.
     */
    @Test
    void statisticsArePerThreadAndSumToPymallocsCounts() throws InterruptedException {
        ThreadContext[] contexts = {new ThreadContext(1, "a", Placement.MAIN), new ThreadContext(2, "b", Placement.MAIN),
            new ThreadContext(3, "c", Placement.MAIN)};
        int[] allocations = {300, 500, 700};
        List<List<long[]>> made = new ArrayList<>();
        for (int i = 0; i < 3; i++) made.add(new ArrayList<>());
        Thread[] threads = new Thread[3];
        for (int i = 0; i < 3; i++) {
            int me = i;
            threads[i] = new Thread(() -> {
                for (int k = 0; k < allocations[me]; k++) {
                    long size = 1 + (k * 37L + me) % 700; // small and large
                    made.get(me).add(new long[] {allocator.allocate(size, contexts[me]), size});
                }
            });
            threads[i].setDaemon(true);
            threads[i].start();
        }
        for (Thread t : threads) t.join();
        // Thread c frees everything thread a made (cross-thread), thread a frees half of b's.
        Thread freers = new Thread(() -> {
            for (long[] b : made.get(0)) allocator.free(b[0], b[1], contexts[2]);
        });
        freers.setDaemon(true);
        freers.start();
        freers.join();
        List<long[]> ofB = made.get(1);
        for (int k = 0; k < ofB.size() / 2; k++) allocator.free(ofB.get(k)[0], ofB.get(k)[1], contexts[0]);

        assertThat(allocator.counter(1, LockedGlobalAllocator.ALLOCATIONS)).isEqualTo(300);
        assertThat(allocator.counter(2, LockedGlobalAllocator.ALLOCATIONS)).isEqualTo(500);
        assertThat(allocator.counter(3, LockedGlobalAllocator.ALLOCATIONS)).isEqualTo(700);
        assertThat(allocator.counter(1, LockedGlobalAllocator.FREES)).isEqualTo(250);
        assertThat(allocator.counter(3, LockedGlobalAllocator.FREES)).isEqualTo(300);
        assertThat(allocator.counter(2, LockedGlobalAllocator.FREES)).isZero();

        long expectedInUse = 0;
        for (int k = ofB.size() / 2; k < ofB.size(); k++) expectedInUse += SizeClasses.charged(ofB.get(k)[1]);
        for (long[] b : made.get(2)) expectedInUse += SizeClasses.charged(b[1]);
        AllocatorStatistics s = allocator.statistics();
        AllocatorStatistics pool = allocator.poolStatistics();
        assertThat(s.allocations()).isEqualTo(1500).isEqualTo(pool.allocations());
        assertThat(s.frees()).isEqualTo(550).isEqualTo(pool.frees());
        assertThat(s.inUse()).isEqualTo(expectedInUse).isEqualTo(pool.inUse());
        long perThreadInUse = 0;
        for (int id = 1; id <= 3; id++) perThreadInUse += allocator.counter(id, LockedGlobalAllocator.IN_USE);
        assertThat(perThreadInUse).isEqualTo(expectedInUse);
        assertThat(allocator.counter(3, LockedGlobalAllocator.IN_USE)).as("thread c freed more than it allocated")
                .isLessThan(allocator.counter(2, LockedGlobalAllocator.IN_USE));
        assertThat(s.peakInUse()).isGreaterThanOrEqualTo(s.inUse());
        assertThat(s.reserved()).as("pymalloc's arenas and large blocks, plus the lock's line")
                .isEqualTo(pool.reserved() + WordMutex.LINE);
        for (int k = ofB.size() / 2; k < ofB.size(); k++) allocator.free(ofB.get(k)[0], ofB.get(k)[1], t0);
        for (long[] b : made.get(2)) allocator.free(b[0], b[1], t0);
        assertThat(allocator.statistics().inUse()).isZero();
    }

    /** The uncontended allocate/free pair allocates no Java object once compiled (the Allocator contract). */
    @Test
    void allocateAndFreeAllocateNoJavaObjects() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().threadId();
        long neighbour = allocator.allocate(32, t0);
        long sink = 0;
        for (int round = 0; round < 5; round++) sink += pairs(1_000_000);
        long before = threads.getThreadAllocatedBytes(self);
        sink += pairs(1_000_000);
        long allocated = threads.getThreadAllocatedBytes(self) - before;
        assertThat(allocated).as("Java bytes allocated by 1,000,000 allocate+free pairs").isLessThan(1024);
        assertThat(sink).isNotZero();
        assertThat(allocator.lockStatistics().acquisitions()).isEqualTo(1 + 2 * 6_000_000L);
        allocator.free(neighbour, 32, t0);
    }

    private long pairs(int n) {
        long sink = 0;
        for (int i = 0; i < n; i++) {
            long block = allocator.allocate(32, t0);
            sink += block;
            allocator.free(block, 32, t0);
        }
        return sink;
    }

    private static void awaitBlocked(Thread t) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (t.getState() != Thread.State.WAITING) {
            if (System.nanoTime() > deadline) throw new AssertionError("the thread never waited for the lock: " + t.getState());
            Thread.sleep(1);
        }
    }
}
