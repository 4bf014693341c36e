package org.pxlab.runtime.spi;

import java.util.List;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.layout.HeaderField;
import org.pxlab.runtime.layout.StructLayout;

/**
 * What runtime threads contend on when they run simulated code: one global lock
 * ({@code gil}), a lock per object ({@code per-object-locks}), PyParallel's split between a
 * main thread and parallel contexts ({@code split-brain}), or separate heaps
 * ({@code isolated}).
 *
 * <p>A runtime thread {@link #attach attaches} before it runs simulated code and
 * {@link #detach detaches} before it blocks (waiting on a queue, I/O, or the end of its
 * work), exactly where CPython calls {@code PyEval_RestoreThread} and
 * {@code PyEval_SaveThread}. While attached it calls {@link #poll} at eval-breaker checks (function entry, after a call into C, a backward jump)
 * when its eval breaker has this discipline's bit set (a GIL drop request, a stop-the-world
 * request).
 *
 * <p>Container operations bracket their mutation with {@link #lock}/{@link #unlock} on the
 * container (CPython's {@code Py_BEGIN_CRITICAL_SECTION}); two-object operations use
 * {@link #lockPair}. Under a GIL these are empty and compile away.
 */
public interface SyncDiscipline {

    /** Header fields this discipline needs (e.g. {@code ob_mutex}); empty for the GIL. */
    List<HeaderField> headerFields();

    /** Learns its field offsets and the runtime's threads. Called once before any thread attaches. */
    void bind(StructLayout header, SyncSite site);

    /** The thread is about to run simulated code; may block (e.g. to take the GIL). */
    void attach(ThreadContext thread);

    /** The thread stops running simulated code (it will block, or it is done). */
    void detach(ThreadContext thread);

    /** An eval-breaker check with this discipline's bit set. */
    void poll(ThreadContext thread);

    /** Enters a critical section on one object. */
    void lock(long object, ThreadContext thread);

    /** Leaves the critical section entered by the matching {@link #lock}. */
    void unlock(long object, ThreadContext thread);

    /** Enters a critical section on two objects (lower address first, to avoid deadlock). */
    void lockPair(long a, long b, ThreadContext thread);

    /** Leaves a {@link #lockPair} section. */
    void unlockPair(long a, long b, ThreadContext thread);

    /**
     * Whether container item reads skip the container's critical section and use CPython
     * 3.13t's optimistic protocol instead (load the items, try-incref the item, re-check that
     * the slot and the items block still hold it, else read under the lock:
     * {@code listobject.c} {@code list_get_item_ref}, {@code dictobject.c}
     * {@code _Py_dict_lookup_threadsafe}). When {@code false} and {@link #serializesMutators()}
     * is {@code false}, reads take the lock. Default {@code false}.
     */
    default boolean readsOptimistically() {
        return false;
    }

    /**
     * Whether this discipline lets at most one thread run simulated code at a time, so that
     * components that are not thread safe may be shared.
     */
    boolean serializesMutators();

    /**
     * Whether at most one thread at a time allocates, frees and counts references in the
     * spaces whose objects threads share, so that those spaces may use components that are not
     * thread safe. Defaults to {@link #serializesMutators()}; PyParallel's split-brain says
     * yes without serialising mutators: only the GIL holder touches the main space, and
     * parallel threads count nothing and allocate in their own contexts.
     */
    default boolean serializesSharedSpaces() {
        return serializesMutators();
    }

    /**
     * The owner test every container store passes ({@link StoreBarrier#NONE} for disciplines
     * without one). Asked once, when the runtime starts.
     */
    default StoreBarrier storeBarrier() {
        return StoreBarrier.NONE;
    }

    /**
     * Where blobs over a size threshold live, shared by handles (Erlang's refc binaries), or
     * {@code null}: every blob in its heap. Asked once, when the runtime starts.
     */
    default OffHeapBinaries offHeapBinaries() {
        return null;
    }

    /**
     * Whether {@code thread} may run a collection now. PyParallel's split GC runs only on the
     * main thread; every other discipline lets any attached thread collect.
     */
    default boolean mayCollect(ThreadContext thread) {
        return true;
    }

    /**
     * Whether {@code thread} may run a collection of the space with index {@code space} now.
     * Defaults to {@link #mayCollect(ThreadContext)}; under isolated heaps only the thread that
     * owns a heap collects it, as each interpreter runs its own collector.
     */
    default boolean mayCollect(ThreadContext thread, int space) {
        return mayCollect(thread);
    }

    /**
     * The function a worker calls to serve a request of {@code handler} (a main object the
     * workload defined; borrowed): the handler itself, or under isolated heaps the worker's own
     * copy, made from the main heap at first need. Borrowed result. Called for every request:
     * allocates no Java object once the copy exists.
     */
    default long handlerFor(long handler, ThreadContext thread) {
        return handler;
    }

    /**
     * A request's argument, made on the server's side, reaches the code that serves it: the
     * argument itself, or under isolated heaps a copy in the worker's heap (the queue's
     * crossing; the original is released). Steals {@code argument}; returns a new reference.
     */
    default long receive(long argument, ThreadContext thread) {
        return argument;
    }

    /**
     * A response leaves the code that made it for the server's side: the response itself, or
     * under isolated heaps a copy made on the server's side (the original is released). Steals
     * {@code response}; returns a new reference.
     */
    default long reply(long response, ThreadContext thread) {
        return response;
    }

    /**
     * The calling thread starts serving a connection (the server harness calls this; a
     * discipline with parallel contexts gives the thread one, reused from earlier connections).
     */
    default void beginConnection(ThreadContext thread) {
    }

    /** The connection begun by {@link #beginConnection} is closed. */
    default void endConnection(ThreadContext thread) {
    }

    /**
     * A request of the current connection starts: everything the thread allocates until
     * {@link #endRequest} belongs to it (PyParallel: a snapshot of the context's heap).
     */
    default void beginRequest(ThreadContext thread) {
    }

    /** The request's response is done (PyParallel: the context's heap is rolled back). */
    default void endRequest(ThreadContext thread) {
    }

    /**
     * The calling thread acts as the main thread until {@link #exitMain}: it allocates in the
     * main heap and counts references as main does (PyParallel: it takes the GIL). Under
     * disciplines where every thread is already a full mutator this is nothing.
     */
    default void enterMain(ThreadContext thread) {
    }

    /** Ends {@link #enterMain}. */
    default void exitMain(ThreadContext thread) {
    }

    /**
     * {@code async.protect(obj)}: gives a main object a read/write lock, so that parallel code
     * may store into it (the store takes the lock and acts as main). Called on the main
     * thread. Disciplines where every object may already be stored into safely ignore it.
     */
    default void protect(long object, ThreadContext thread) {
    }

    /** Counters describing the contention seen so far (hand-offs, waits), for reports. */
    SyncStatistics statistics();
}
