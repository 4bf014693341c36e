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
 * <p><b>The hooks the runtime calls.</b> The allocator cannot see quiescent points itself: it is
 * called in the middle of operations. The runtime reports them through the SPI
 * ({@link #needsQuiescentStates()} is true): {@link #quiescent} ({@code _Py_qsbr_quiescent_state})
 * at every eval-breaker check, where a thread holds no unprotected pointer into shared objects;
 * {@link #detach} ({@code _Py_qsbr_detach}) when a thread detaches (blocks, waits, exits) and
 * {@link #attach} ({@code _Py_qsbr_attach}) when it attaches. A thread that allocates before it
 * ever attached (component tests) attaches implicitly on its first allocation.
 *
 * <p><b>Delayed frees.</b> {@link #freeDelayed} ({@code _PyMem_FreeDelayed}) holds a block that
 * lock-free readers may still read (a list's replaced items array, a dict's replaced keys table)
 * in the freeing thread's queue behind a QSBR goal ({@link QsbrDelayedFrees}); the block stays
 * allocated and untouched until every attached thread has passed a quiescent point, and is
 * freed at the owner's next quiescent point or attach after that. A detaching thread hands its
 * queue to a shared one that every thread drains ({@code _PyMem_AbandonDelayed}). A
 * stop-the-world collection frees every queue at once ({@link #reclaimDelayed}).
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
    /** Blocks queued by {@link #freeDelayed}, and those of them freed since. */
    static final int BLOCKS_DELAYED = 9;
    static final int DELAYED_BLOCKS_FREED = 10;
    private static final int COUNTERS = 11;

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
    /** Delayed frees handed over by threads that detached; guarded by its monitor. */
    private final QsbrDelayedFrees abandoned = new QsbrDelayedFrees();
    /** How many entries {@link #abandoned} holds, read without the monitor on the quiescent path. */
    private volatile int abandonedCount;
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

    /** {@code true}: page reuse and {@link #freeDelayed} wait for quiescent points. */
    @Override
    public boolean needsQuiescentStates() {
        return true;
    }

    /**
     * Reports that {@code thread} is at a quiescent point: it holds no pointer into this
     * allocator's memory that is not protected by a reference or a lock
     * ({@code _Py_qsbr_quiescent_state}). The runtime calls it at every eval-breaker check.
     * Then frees the thread's delayed blocks whose goals are reached, and the abandoned ones
     * ({@code _PyMem_ProcessDelayed}).
     */
    @Override
    public void quiescent(ThreadContext thread) {
        Qsbr q = qsbr();
        q.quiescent(thread.id());
        processDelayed(q, thread);
    }

    /**
     * {@code thread} starts to hold back reuse until its next quiescent point
     * ({@code _Py_qsbr_attach}); having held no pointer while detached, it then processes its
     * delayed frees as at a quiescent point.
     */
    @Override
    public void attach(ThreadContext thread) {
        Qsbr q = qsbr();
        q.attach(thread.id());
        processDelayed(q, thread);
    }

    /**
     * {@code thread} no longer holds back reuse, until it attaches again
     * ({@code _Py_qsbr_detach}). Its delayed frees are handed to the shared queue that every
     * thread drains ({@code _PyMem_AbandonDelayed}), after advancing the write sequence if
     * their goals are ahead of it, so that they cannot wait for an advance nobody makes.
     */
    @Override
    public void detach(ThreadContext thread) {
        Qsbr q = qsbr();
        ThreadHeap heap = heaps[thread.id()];
        if (heap != null && !heap.delayedFrees.isEmpty()) {
            if (Qsbr.lessThan(q.current(), heap.delayedFrees.newestGoal(0))) q.advance();
            synchronized (abandoned) {
                heap.delayedFrees.moveTo(abandoned);
                abandonedCount = abandoned.size();
            }
        }
        q.detach(thread.id());
    }

    /**
     * Queues the block behind a QSBR goal ({@code _PyMem_FreeDelayed}): it stays allocated,
     * untouched and counted in use until every attached thread has passed a quiescent point
     * after this call; then the owner's next quiescent point frees it.
     */
    @Override
    public void freeDelayed(long address, long size, ThreadContext thread) {
        ThreadHeap heap = heaps[thread.id()];
        if (heap == null) heap = createHeap(thread);
        heap.delayedFrees.add(address, size, qsbr().deferredAdvance(thread.id()));
        counters.add(thread, BLOCKS_DELAYED, 1);
    }

    /**
     * Frees every delayed block now, each thread's queue and the abandoned one, whatever their
     * goals: the collector calls this with the world stopped, when no thread can be in the
     * middle of an optimistic read ({@code process_delayed_frees} in
     * {@code Python/gc_free_threading.c}). As there, the write sequence is advanced first and
     * the calling thread, if it counts, reports a quiescent state, so that pages retired
     * before the pause wait for one more quiescent point of each thread and no more. Blocks in
     * other threads' pages go back through the cross-thread free path, which any thread may
     * take at any time; the owners' queues are touched here only because their owners are
     * suspended or detached, which orders their last change before this call and this call
     * before their next one.
     */
    @Override
    public void reclaimDelayed(ThreadContext thread) {
        Qsbr q = qsbr;
        if (q == null) return; // no heap yet: nothing was ever queued
        q.advance();
        if (q.readSequence(thread.id()) != Qsbr.OFFLINE) q.quiescent(thread.id());
        for (int t = 0; t < heaps.length; t++) {
            ThreadHeap heap = heap(t);
            if (heap != null && !heap.delayedFrees.isEmpty()) heap.delayedFrees.freeAll(this, thread);
        }
        if (abandonedCount != 0) {
            synchronized (abandoned) {
                abandoned.freeAll(this, thread);
                abandonedCount = 0;
            }
        }
    }

    /**
     * {@code true} for any range: a freed block's first word holds the free-list link, and
     * the rest is left as it was or, in poisoned runs, poisoned; pages return to their segment
     * (and may be cut into another class) only after QSBR.
     */
    @Override
    public boolean preserveOnFree(int bytes) {
        return true;
    }

    private void processDelayed(Qsbr q, ThreadContext thread) {
        ThreadHeap heap = heaps[thread.id()];
        if (heap != null && !heap.delayedFrees.isEmpty()) heap.delayedFrees.process(q, this, thread);
        if (abandonedCount != 0) {
            synchronized (abandoned) {
                abandoned.processUnordered(q, this, thread);
                abandonedCount = abandoned.size();
            }
        }
    }

    /** Frees a block whose delay is over. */
    void freeDelayedNow(long address, long size, ThreadContext thread) {
        free(address, size, thread);
        counters.add(thread, DELAYED_BLOCKS_FREED, 1);
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
        // Blocks waiting for QSBR are free too, though still counted in their pages' `used`.
        int[] count = {n};
        for (int t = 0; t < heaps.length; t++) {
            ThreadHeap heap = heap(t);
            if (heap != null) delayed = heap.delayedFrees.appendBlocks(delayed, count);
        }
        synchronized (abandoned) {
            delayed = abandoned.appendBlocks(delayed, count);
        }
        n = count[0];
        Arrays.sort(delayed, 0, n);
        long[] freeMap = new long[(MiPage.MAX_BLOCKS + 63) / 64];
        for (int t = 0; t < heaps.length; t++) {
            ThreadHeap heap = heap(t);
            if (heap != null) heap.walk(visitor, delayed, n, freeMap);
        }
        long[] waiting = delayed;
        int waitingCount = n;
        largeBlocks.forEach((address, size) -> {
            if (Arrays.binarySearch(waiting, 0, waitingCount, address) < 0) visitor.visit(address, size);
        });
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
