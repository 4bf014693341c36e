package org.pxlab.runtime.spi;

import org.pxlab.runtime.exec.ThreadContext;

/**
 * Hands out and takes back blocks of simulated memory for one space.
 *
 * <p><b>Contract.</b> {@link #allocate} returns a non-zero address aligned to 16 bytes whose
 * {@code size} bytes overlap no other live block of this allocator; its content is
 * unspecified (the runtime initialises every field it uses). {@link #free} takes a block
 * this allocator returned and has not yet taken back, with the size it was requested with;
 * passing the size costs the caller nothing (the runtime knows every object's size) and
 * spares size prefixes in allocators that do not model one.
 *
 * <p><b>Threads.</b> An allocator that returns {@code false} from {@link #isThreadSafe()} may
 * be called by one thread at a time only; the configuration's sync discipline must guarantee
 * that (the registry refuses a configuration where it does not, unless declared unsafe). The
 * {@link ThreadContext} argument identifies the calling runtime thread without a
 * {@code ThreadLocal} lookup; thread-safe allocators use it to find their per-thread heaps.
 *
 * <p><b>Hot path.</b> {@code allocate} and {@code free} must not allocate Java objects in the
 * steady state: tests check this with the thread's allocated-bytes counter.
 *
 * <p><b>Lifetime.</b> Memory obtained from the system is kept until {@link #release()}, which
 * the runtime calls once, after every runtime thread has stopped.
 */
public interface Allocator {

    /**
     * Allocates a block.
     *
     * @param size   bytes requested, at least 1
     * @param thread the calling runtime thread
     * @return the block's address, 16-byte aligned, never 0
     * @throws org.pxlab.runtime.memory.SimulatedOutOfMemoryError if the request cannot be met;
     *         the message includes {@link #statistics()}
     */
    long allocate(long size, ThreadContext thread);

    /**
     * Takes back a block.
     *
     * @param address a live block from {@link #allocate}
     * @param size    the size it was allocated with
     * @param thread  the calling runtime thread (which may not be the one that allocated it)
     */
    void free(long address, long size, ThreadContext thread);

    /** Whether several threads may call this allocator at once. */
    boolean isThreadSafe();

    /**
     * Takes back a block that a thread reading without a lock may still be reading: a list's
     * items array or a dict's keys table replaced while optimistic readers run (CPython's
     * {@code _PyMem_FreeDelayed}, {@code Objects/obmalloc.c}, called by {@code listobject.c}
     * {@code free_list_items} and {@code dictobject.c} {@code free_keys_object} when the
     * container is shared). The block must stay readable, with its content unchanged, until
     * every attached thread has passed a {@linkplain #quiescent quiescent point}; then it is
     * freed as by {@link #free}. Until then it counts as in use.
     *
     * <p>The default frees at once, which is right for allocators whose configurations read
     * under locks or a GIL; {@code thread-sharded} queues the block behind a QSBR goal.
     *
     * @param address a live block from {@link #allocate}
     * @param size    the size it was allocated with
     * @param thread  the calling runtime thread
     */
    default void freeDelayed(long address, long size, ThreadContext thread) {
        free(address, size, thread);
    }

    /**
     * Frees at once every block that {@link #freeDelayed} still holds, whatever its goal,
     * every thread's and those handed over by threads that detached. A collector calls it
     * with the world stopped ({@link CollectorSite#stopTheWorld}), on the thread that stopped
     * it, before it walks the heap: then every other thread is suspended at an eval-breaker
     * check (a quiescent point) or detached (blocked, parked on a lock, waiting), so none can
     * be in the middle of an optimistic read, and no delayed block can still be read. CPython
     * 3.13t does the same in each collection's pause ({@code process_delayed_frees} in
     * {@code Python/gc_free_threading.c}: advance the QSBR write sequence, report the
     * collecting thread quiescent, then {@code _PyMem_ProcessDelayed} for every thread, which
     * also drains the interpreter's queue of abandoned requests, {@code Objects/obmalloc.c});
     * there the suspended and parked threads are QSBR-detached, so the poll frees everything.
     * The blocks freed are counted as freed by {@code thread}.
     *
     * <p>The default does nothing, which is right for allocators whose {@link #freeDelayed}
     * frees at once. Not a hot path; it should not allocate Java objects.
     *
     * @param thread the runtime thread that stopped the world
     */
    default void reclaimDelayed(ThreadContext thread) {
    }

    /**
     * Whether this allocator needs the runtime to report {@link #attach}, {@link #detach} and
     * {@link #quiescent} points. The runtime calls those hooks only if this returns
     * {@code true}, so that configurations whose allocators reclaim nothing by quiescence pay
     * nothing for them on the eval-breaker path. Default {@code false}.
     */
    default boolean needsQuiescentStates() {
        return false;
    }

    /**
     * The thread starts running simulated code ({@code _PyThreadState_Attach} calls
     * {@code _Py_qsbr_attach}, {@code Python/pystate.c}): from now on it holds back the reuse
     * of memory retired while it runs, until its next {@link #quiescent} point. Called by the
     * runtime after the sync discipline's attach; only if {@link #needsQuiescentStates()}.
     * Default: nothing.
     */
    default void attach(ThreadContext thread) {
    }

    /**
     * The thread stops running simulated code (it will block, wait or end;
     * {@code _Py_qsbr_detach}): it holds no pointer into this allocator's memory and no longer
     * holds back reuse. Called by the runtime before the sync discipline's detach; only if
     * {@link #needsQuiescentStates()}. Default: nothing.
     */
    default void detach(ThreadContext thread) {
    }

    /**
     * The thread is at a quiescent point: it holds no pointer into shared memory that is not
     * protected by a reference or a lock ({@code _Py_qsbr_quiescent_state}, which CPython
     * 3.13t reports at every eval-breaker check, {@code QSBR_QUIESCENT_STATE} in
     * {@code Python/ceval_macros.h}). The allocator may also free here what
     * {@link #freeDelayed} queued, once its goal is reached ({@code _PyMem_ProcessDelayed}).
     * Called by the runtime at every eval-breaker check of an attached thread; only if
     * {@link #needsQuiescentStates()}. Must not allocate Java objects. Default: nothing.
     */
    default void quiescent(ThreadContext thread) {
    }

    /**
     * Asks whether every block this allocator takes back keeps bytes {@code [8, bytes)} as they
     * were until it hands the block out again, or fills them with poison only
     * ({@link org.pxlab.runtime.memory.Memory#POISON_WORD}, in poisoned test runs), never
     * with its own links or sizes. Then a reader still holding a pointer to a freed object
     * reads its header where the object had it, and its reference count as zero (or as
     * poison, a negative count): dead, so a try-incref fails. CPython's free-threaded build
     * needs the same of mimalloc for its optimistic reads ({@code _Py_TryIncrefCompare}
     * relies on a freed object's count reading zero; mimalloc's free-list link sits in
     * {@code ob_tid}, before the counts). The first 8 bytes remain the allocator's (its
     * free-list link). The runtime asks once, before any allocation, when its sync discipline
     * {@linkplain SyncDiscipline#readsOptimistically reads optimistically}.
     *
     * @param bytes the end of the range, from the block's start
     * @return whether the allocator keeps the range; the default, {@code false}, makes the
     *         runtime refuse optimistic reads over this allocator's objects (the C library's
     *         {@code malloc} writes its links at bytes 0 and 8 of a freed chunk)
     */
    default boolean preserveOnFree(int bytes) {
        return false;
    }

    /**
     * Visits every live block, in no particular order, for collectors that find objects by
     * walking the heap (CPython 3.13t's stop-the-world GC). The caller guarantees that no
     * thread allocates or frees meanwhile. Not a hot path.
     */
    void walk(BlockVisitor visitor);

    /** A snapshot of the allocator's statistics, summed over threads where kept per thread. */
    AllocatorStatistics statistics();

    /** Returns all memory to the system. Called once, after every user of the space has stopped. */
    void release();
}
