package org.pxlab.allocator;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.memory.SimulatedOutOfMemoryError;
import org.pxlab.runtime.memory.SystemMalloc;
import org.pxlab.runtime.spi.Allocator;
import org.pxlab.runtime.spi.AllocatorStatistics;
import org.pxlab.runtime.spi.BlockVisitor;
import org.pxlab.runtime.stats.PerThreadCounters;

/**
 * A mimalloc-like allocator with per-thread heaps ({@code thread-sharded}), as CPython's
 * free-threaded build uses it: mimalloc 2.1 as vendored in CPython 3.13
 * ({@code Objects/mimalloc/}), with the QSBR-delayed page reuse CPython adds in
 * <a href="https://github.com/python/cpython/blob/3.13/Objects/obmalloc.c">{@code Objects/obmalloc.c}</a>
 * ({@code _PyMem_mi_page_maybe_free}, {@code _PyMem_mi_heap_collect_qsbr}) on top of
 * <a href="https://github.com/python/cpython/blob/3.13/Python/qsbr.c">{@code Python/qsbr.c}</a>.
 * The design follows Leijen, Zorn and de Moura, "Mimalloc: Free List Sharding in Action"
 * (APLAS 2019).
 *
 * <p><b>Heaps and pages.</b> Each runtime thread has a heap ({@link ThreadHeap}), found by
 * {@link ThreadContext#id()} in an array, without a {@code ThreadLocal}, and created on the
 * thread's first allocation. A heap owns 1 MiB segments cut into 64 KiB pages
 * ({@link MiPage}); a page holds blocks of one size class. Size classes are pymalloc's
 * ({@link SizeClasses}: 16-byte steps up to 512 bytes) rather than mimalloc's bins, so that this
 * allocator, {@code size-class-pool} and {@code locked-global} round every request alike and
 * differ only in how they share memory between threads.
 *
 * <p><b>Allocation</b> pops the {@code free} list of the class's current page with plain loads
 * and stores: no lock, no atomic operation, no shared cache line. <b>A free by the owning
 * thread</b> pushes on the page's {@code local_free} list, also plain. <b>A free by another
 * thread</b> pushes on the page's {@code thread_free} list with one CAS; the first such free
 * after the owner last heard of the page goes instead to the owner heap's delayed list (mimalloc's
 * delayed free), which is what brings a full page back into use. The owner collects both lists
 * when the page's {@code free} list runs dry. See {@link MiPage} and {@link ThreadHeap}.
 *
 * <p><b>Page reuse and QSBR.</b> A page whose blocks are all free stays in its class's queue and
 * can be reused for that class at once; it is returned to its segment, where it may become a page
 * of another class, only once every attached thread has passed a quiescent point since it emptied
 * ({@link Qsbr}: the global write sequence is advanced by 2, deferred as CPython does; each thread
 * records the sequence it observed at its last {@link #quiescent}; the page is reused when its goal
 * is at most the minimum over attached threads). This is what lets CPython read list and dict
 * items without locks: a reader holding a stale pointer finds an object header at the same
 * offsets until it passes a quiescent point.
 *
 * <p><b>The hooks the runtime must call.</b> The allocator cannot see quiescent points itself:
 * it is called in the middle of operations. {@link #quiescent} is CPython's
 * {@code _Py_qsbr_quiescent_state}, which the runtime should call at the safepoints where a thread
 * holds no unprotected pointer into shared objects (operation boundaries, the eval-breaker check);
 * {@link #detach} ({@code _Py_qsbr_detach}) when a thread detaches (blocks, waits, exits) and
 * {@link #attach} ({@code _Py_qsbr_attach}) when it attaches again or starts. Until the runtime
 * calls them, a thread attaches implicitly on its first allocation and never reports a quiescent
 * state, so empty pages are reused only for their own size class: safe, at the cost of memory.
 * Tests call the hooks directly.
 *
 * <p><b>Large blocks</b> (over 512 bytes) come from the C library, as pymalloc's do, recorded in a
 * table under a {@link WordMutex} so that any thread may free them and {@link #walk} can list them;
 * glibc's own arena locks are in the same place in a real process.
 *
 * <p><b>Statistics</b> are kept per thread ({@link PerThreadCounters}) and summed on read:
 * allocations, frees and {@code inUse} are counted by the calling thread (a cross-thread free is
 * counted by the freeing thread, so one thread's {@code inUse} share may be negative while the sum
 * is exact), {@code reserved} by the thread that obtained the memory (segments, large blocks, its
 * heap's line), plus the QSBR lines and the large-block lock's line once they exist. {@code peakInUse} is the highest {@code inUse} that {@link #statistics()} has
 * seen, not a continuous maximum, which would need a shared counter on every call. Package-private
 * counters record cross-thread frees, delayed-free notifications and pages held for, freed after
 * and reused after QSBR.
 *
 * <p><b>Walk.</b> With the world stopped, {@link #walk} visits every live block of every heap:
 * blocks below each page's capacity that are on none of its free lists nor on a delayed list, and
 * the large blocks. It changes nothing.
 *
 * <p><b>Threads and ids.</b> A heap belongs to a thread id, not a Java thread: if the runtime gives
 * a finished thread's id to a new thread, the new one adopts the heap with its pages, as mimalloc
 * gives an abandoned segment to a live heap. The runtime must order the old thread's last call
 * before the new thread's first one (thread start and join do).
 */
public final class ThreadShardedAllocator implements Allocator {
    static final int ALLOCATIONS = 0;
    static final int FREES = 1;
    static final int IN_USE = 2;
    static final int RESERVED = 3;
    static final int CROSS_THREAD_FREES = 4;
    static final int DELAYED_NOTIFICATIONS = 5;
    static final int PAGES_DEFERRED = 6;
    static final int PAGES_FREED = 7;
    static final int PAGES_REUSED = 8;
    private static final int COUNTERS = 9;

    private static final VarHandle HEAPS = MethodHandles.arrayElementVarHandle(ThreadHeap[].class);
    private static final VarHandle QSBR;
    static {
        try {
            QSBR = MethodHandles.lookup().findVarHandle(ThreadShardedAllocator.class, "qsbr", Qsbr.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long limit;
    private final int deferredLimit;
    private final PerThreadCounters counters = new PerThreadCounters(COUNTERS);
    /** Heaps by thread id; each written once by its thread, read elsewhere only with the world stopped. */
    private final ThreadHeap[] heaps = new ThreadHeap[ThreadContext.MAX_THREADS];
    /** Created on first use: a fresh allocator holds no simulated memory. */
    private volatile Qsbr qsbr;
    private final WordMutex largeLock = new WordMutex();
    private final LargeBlockTable largeBlocks = new LargeBlockTable();
    private long peakReported;

    /**
     * @param limit         bytes {@code reserved} may reach; beyond it allocation fails
     * @param deferredLimit QSBR's {@code QSBR_DEFERRED_LIMIT}: the write sequence advances on every
     *                      this-many-th retired page of a thread (1: on each)
     */
    public ThreadShardedAllocator(long limit, int deferredLimit) {
        if (deferredLimit < 1) throw new IllegalArgumentException("deferred limit " + deferredLimit);
        this.limit = limit;
        this.deferredLimit = deferredLimit;
    }

    /** An allocator bounded by {@code limit}, with CPython's deferred-advance limit (10). */
    public ThreadShardedAllocator(long limit) {
        this(limit, Qsbr.DEFAULT_DEFERRED_LIMIT);
    }

    @Override
    public long allocate(long size, ThreadContext thread) {
        if (!SizeClasses.isSmall(size)) return allocateLarge(size, thread);
        int sizeIndex = SizeClasses.index(size);
        ThreadHeap heap = heaps[thread.id()];
        if (heap == null) heap = createHeap(thread);
        long block = heap.allocate(sizeIndex, thread);
        counters.add(thread, ALLOCATIONS, 1);
        counters.add(thread, IN_USE, SizeClasses.classSize(sizeIndex));
        return block;
    }

    @Override
    public void free(long address, long size, ThreadContext thread) {
        if (!SizeClasses.isSmall(size)) {
            freeLarge(address, size, thread);
            return;
        }
        int sizeIndex = SizeClasses.index(size);
        int blockSize = SizeClasses.classSize(sizeIndex);
        long page = MiPage.pageOf(address);
        assert MiPage.isBlockOf(page, sizeIndex, address)
                : "thread-sharded: free of 0x" + Long.toHexString(address) + " with size " + size + " in " + MiPage.describe(page);
        // Poison first: the list link must survive in the block's first word.
        Memory.poison(address, blockSize);
        if (Memory.getInt(page + MiPage.OWNER) == thread.id()) {
            heaps[thread.id()].freeLocal(page, address, thread);
        } else {
            long heapWord = MiPage.pushThreadFree(page, address);
            if (heapWord != 0) {
                MiPage.pushDelayed(heapWord, address);
                counters.add(thread, DELAYED_NOTIFICATIONS, 1);
            }
            counters.add(thread, CROSS_THREAD_FREES, 1);
        }
        counters.add(thread, FREES, 1);
        counters.add(thread, IN_USE, -blockSize);
    }

    private ThreadHeap createHeap(ThreadContext thread) {
        Qsbr q = qsbr();
        ThreadHeap heap = new ThreadHeap(this, q, thread);
        q.attach(thread.id());
        HEAPS.setRelease(heaps, thread.id(), heap);
        return heap;
    }

    private Qsbr qsbr() {
        Qsbr q = qsbr;
        return q != null ? q : createQsbr();
    }

    private synchronized Qsbr createQsbr() {
        Qsbr q = qsbr;
        if (q == null) {
            q = new Qsbr(deferredLimit);
            QSBR.setVolatile(this, q);
        }
        return q;
    }

    // ---- the QSBR hooks ----

    /**
     * Reports that {@code thread} is at a quiescent point: it holds no pointer into this
     * allocator's memory that is not protected by a reference or a lock
     * ({@code _Py_qsbr_quiescent_state}). The runtime calls it at safepoints.
     */
    public void quiescent(ThreadContext thread) {
        qsbr().quiescent(thread.id());
    }

    /** {@code thread} starts to hold back page reuse until its next quiescent point ({@code _Py_qsbr_attach}). */
    public void attach(ThreadContext thread) {
        qsbr().attach(thread.id());
    }

    /** {@code thread} no longer holds back page reuse, until it attaches again ({@code _Py_qsbr_detach}). */
    public void detach(ThreadContext thread) {
        qsbr().detach(thread.id());
    }

    // ---- large blocks ----

    private long allocateLarge(long size, ThreadContext thread) {
        if (size <= 0) throw new IllegalArgumentException("thread-sharded: cannot allocate " + size + " bytes");
        reserve(size, size, thread);
        long block = systemMalloc(size, thread);
        assert (block & (SizeClasses.ALIGNMENT - 1)) == 0 : "malloc returned 0x" + Long.toHexString(block);
        largeLock.lock(thread);
        try {
            largeBlocks.put(block, size);
        } finally {
            largeLock.unlock(thread);
        }
        counters.add(thread, ALLOCATIONS, 1);
        counters.add(thread, IN_USE, size);
        return block;
    }

    private void freeLarge(long address, long size, ThreadContext thread) {
        long recorded;
        largeLock.lock(thread);
        try {
            recorded = largeBlocks.sizeOf(address);
            if (recorded == size) largeBlocks.remove(address);
        } finally {
            largeLock.unlock(thread);
        }
        if (recorded != size) {
            throw new IllegalStateException("thread-sharded: free of 0x" + Long.toHexString(address) + " with size " + size
                    + (recorded < 0 ? ", which is not a live large block" : ", but it was allocated with " + recorded));
        }
        Memory.poison(address, size);
        SystemMalloc.free(address);
        counters.add(thread, RESERVED, -size);
        counters.add(thread, FREES, 1);
        counters.add(thread, IN_USE, -size);
    }

    // ---- memory from the system, for the heaps too ----

    /** Counts {@code bytes} as reserved by {@code thread}, or fails if that would pass the limit. */
    void reserve(long bytes, long request, ThreadContext thread) {
        if (limit != Long.MAX_VALUE && reservedNow() + bytes > limit) {
            throw new SimulatedOutOfMemoryError("thread-sharded: reserving " + bytes + " bytes for a " + request
                    + "-byte request would exceed max-bytes " + limit + "; " + statistics());
        }
        counters.add(thread, RESERVED, bytes);
    }

    long systemMalloc(long bytes, ThreadContext thread) {
        try {
            return SystemMalloc.malloc(bytes);
        } catch (SimulatedOutOfMemoryError e) {
            throw new SimulatedOutOfMemoryError("thread-sharded: " + e.getMessage() + "; " + statistics());
        }
    }

    void count(ThreadContext thread, int counter) {
        counters.add(thread, counter, 1);
    }

    private long reservedNow() {
        return (qsbr != null ? Qsbr.BYTES : 0) + largeLock.reservedBytes() + counters.sum(RESERVED);
    }

    // ---- the rest of the SPI ----

    @Override
    public boolean isThreadSafe() {
        return true;
    }

    @Override
    public void walk(BlockVisitor visitor) {
        // Blocks on the delayed lists are free but still counted in their pages' `used`.
        long[] delayed = new long[16];
        int n = 0;
        for (int t = 0; t < heaps.length; t++) {
            ThreadHeap heap = heap(t);
            if (heap == null) continue;
            for (long b = heap.delayedHead(); b != 0; b = Memory.getLong(b)) {
                if (n == delayed.length) delayed = Arrays.copyOf(delayed, 2 * n);
                delayed[n++] = b;
            }
        }
        Arrays.sort(delayed, 0, n);
        long[] freeMap = new long[(MiPage.MAX_BLOCKS + 63) / 64];
        for (int t = 0; t < heaps.length; t++) {
            ThreadHeap heap = heap(t);
            if (heap != null) heap.walk(visitor, delayed, n, freeMap);
        }
        largeBlocks.forEach(visitor);
    }

    @Override
    public synchronized AllocatorStatistics statistics() {
        long inUse = counters.sum(IN_USE);
        peakReported = Math.max(peakReported, inUse);
        return new AllocatorStatistics(reservedNow(), inUse, peakReported, counters.sum(ALLOCATIONS), counters.sum(FREES));
    }

    @Override
    public void release() {
        for (int t = 0; t < heaps.length; t++) {
            ThreadHeap heap = heap(t);
            if (heap != null) heap.release();
            HEAPS.setRelease(heaps, t, (ThreadHeap) null);
        }
        largeBlocks.forEach((address, size) -> SystemMalloc.free(address));
        largeBlocks.clear();
        Qsbr q = qsbr;
        if (q != null) q.release();
        QSBR.setVolatile(this, (Qsbr) null);
        largeLock.release();
    }

    // ---- inspection, for tests and experiments in this package ----

    ThreadHeap heap(int threadId) {
        return (ThreadHeap) HEAPS.getAcquire(heaps, threadId);
    }

    Qsbr qsbrDomain() {
        return qsbr();
    }

    /** A counter summed over threads. */
    long counter(int counter) {
        return counters.sum(counter);
    }

    /** One thread's share of a counter. */
    long counter(int threadId, int counter) {
        return counters.get(threadId, counter);
    }
}
