package org.pxlab.allocator;

import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.memory.SimulatedOutOfMemoryError;
import org.pxlab.runtime.spi.Allocator;
import org.pxlab.runtime.spi.AllocatorStatistics;
import org.pxlab.runtime.spi.BlockVisitor;
import org.pxlab.runtime.spi.SyncStatistics;
import org.pxlab.runtime.stats.PerThreadCounters;

/**
 * One lock around a free-list allocator ({@code locked-global}): the "conventional approach" to
 * removing the GIL applied to the allocator, as in Greg Stein's free-threading patch for Python
 * 1.4 and as in any C program that shares one {@code malloc} arena among its threads.
 *
 * <p><b>Design.</b> The allocator under the lock is pymalloc itself, {@link SizeClassPool}
 * (16-byte size classes up to 512 bytes in 4 KiB pools of 256 KiB arenas, larger blocks from
 * the C library), unchanged: every {@link #allocate} and {@link #free} takes the lock, runs
 * pymalloc's code and releases it. The only difference from {@code size-class-pool} is
 * therefore the lock and what it costs, which is the point of the comparison with
 * {@code thread-sharded}: same size classes ({@link SizeClasses}), same free lists, one lock.
 * A free from another thread than the allocating one is no different from any other free.
 *
 * <p><b>The lock</b> is a {@link WordMutex}: CPython's {@code PyMutex} (CAS fast path, spin by
 * yielding up to 40 times, then park, hand-off after 1 ms) on a word of simulated memory. It is
 * a real contended lock: its word's cache line moves between the cores of every thread that
 * allocates, and threads that find it held spin and then sleep. See {@link WordMutex} for why
 * it models a C mutex better than a {@code ReentrantLock}. The spin count is an option:
 * {@code spin-count: 0} parks at once, as glibc's {@code lll_lock} does. The critical section is
 * exactly pymalloc's work; this class's own statistics are updated after the lock is released.
 *
 * <p><b>Statistics.</b> {@code allocations}, {@code frees} and {@code inUse} are kept per thread
 * ({@link PerThreadCounters}) and summed on read, so reading them never takes the lock and never
 * adds a shared counter to the critical section. {@code inUse} counts small blocks at their class
 * size and large ones at their requested size, as pymalloc does. {@code reserved} and
 * {@code peakInUse} are pymalloc's own figures, kept under the lock as part of its bookkeeping
 * (so the peak is the exact maximum), plus the lock's line once used; they are read without the
 * lock, so while threads run they are a recent, not atomic, snapshot. {@link #lockStatistics()}
 * reports the lock's contention.
 *
 * <p><b>Walk.</b> Walks pymalloc's pools and large blocks; the caller stops the world, so the
 * lock is not taken.
 */
public final class LockedGlobalAllocator implements Allocator {
    static final int ALLOCATIONS = 0, FREES = 1, IN_USE = 2;

    private final SizeClassPool pool;
    private final WordMutex mutex;
    private final PerThreadCounters counters = new PerThreadCounters(3);
    /** Highest peak reported, so that a snapshot taken while threads run never reports a fall. */
    private long peakReported;

    /**
     * @param limit     bytes pymalloc may reserve (arenas and large blocks); beyond it allocation fails
     * @param spinCount yields before a waiting thread parks ({@link WordMutex#DEFAULT_SPIN_COUNT} as in CPython)
     */
    public LockedGlobalAllocator(long limit, int spinCount) {
        this.pool = new SizeClassPool(limit);
        this.mutex = new WordMutex(spinCount);
    }

    /** An allocator bounded by {@code limit}, with {@code PyMutex}'s spin count. */
    public LockedGlobalAllocator(long limit) {
        this(limit, WordMutex.DEFAULT_SPIN_COUNT);
    }

    @Override
    public long allocate(long size, ThreadContext thread) {
        long block;
        mutex.lock(thread);
        try {
            block = pool.allocate(size, thread);
        } catch (SimulatedOutOfMemoryError e) {
            throw new SimulatedOutOfMemoryError("locked-global: " + e.getMessage());
        } finally {
            mutex.unlock(thread);
        }
        counters.add(thread, ALLOCATIONS, 1);
        counters.add(thread, IN_USE, SizeClasses.charged(size));
        return block;
    }

    @Override
    public void free(long address, long size, ThreadContext thread) {
        mutex.lock(thread);
        try {
            pool.free(address, size, thread);
        } finally {
            mutex.unlock(thread);
        }
        counters.add(thread, FREES, 1);
        counters.add(thread, IN_USE, -SizeClasses.charged(size));
    }

    @Override
    public boolean isThreadSafe() {
        return true;
    }

    @Override
    public void walk(BlockVisitor visitor) {
        pool.walk(visitor);
    }

    @Override
    public synchronized AllocatorStatistics statistics() {
        AllocatorStatistics p = pool.statistics();
        long inUse = counters.sum(IN_USE);
        peakReported = Math.max(peakReported, Math.max(p.peakInUse(), inUse));
        return new AllocatorStatistics(p.reserved() + mutex.reservedBytes(), inUse, peakReported,
                counters.sum(ALLOCATIONS), counters.sum(FREES));
    }

    /** How contended the lock has been: acquisitions, those that found it held, hand-offs, time waited. */
    public SyncStatistics lockStatistics() {
        return mutex.statistics();
    }

    @Override
    public void release() {
        pool.release();
        mutex.release();
    }

    // ---- inspection, for tests in this package ----

    WordMutex mutex() {
        return mutex;
    }

    /** One thread's share of {@code allocations}, {@code frees} ({@code counter} 0, 1) or {@code inUse} (2). */
    long counter(int threadId, int counter) {
        return counters.get(threadId, counter);
    }

    /** pymalloc's own figures, kept under the lock. */
    AllocatorStatistics poolStatistics() {
        return pool.statistics();
    }
}
