package org.pxlab.runtime.spi;

import java.util.List;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.layout.HeaderField;
import org.pxlab.runtime.layout.StructLayout;
import org.pxlab.runtime.object.TypeKind;

/**
 * How the objects of a space count their references: the header words it needs and what an
 * increment and a decrement do to them.
 *
 * <p>The runtime emits exactly the {@code Py_INCREF}/{@code Py_DECREF} calls that the
 * modelled CPython version emits for each operation (see the reference-discipline table in
 * the README) and routes each one to the strategy of the object's space. The strategy decides
 * what that costs: a plain add ({@code plain}), an atomic read-modify-write
 * ({@code interlocked}), nothing ({@code elided}), an owner/shared split ({@code biased}).
 *
 * <p><b>Immortality</b> is part of the strategy, because where the sentinel lives depends on
 * the header words (CPython 3.12 keeps it in the low 32 bits of {@code ob_refcnt}; the
 * free-threaded build in {@code ob_ref_local}). An immortal object's increments and
 * decrements change nothing, but the check runs, as it does in CPython.
 *
 * <p><b>Freeing</b> stays with the runtime: {@link #decref} only reports that the count
 * reached zero; the runtime then untracks the object, releases what it references and frees
 * its block. A strategy that cannot know at the decrement (a queued biased merge, a deferred
 * count) reports {@code false} and arranges for the object to be freed later through the
 * runtime.
 *
 * <p><b>Pending work.</b> A strategy that queues decrements for another thread (a biased
 * count's merge queue) is bound to a {@link RefCountSite} and is called back at the points
 * where CPython 3.13t drains its queues: {@link #threadStarted} ({@code _Py_brc_init_thread}),
 * {@link #processPending} at an eval-breaker check whose {@linkplain RefCountSite#breakerBit
 * bit} it set ({@code _Py_brc_merge_refcounts}), {@link #threadExiting} before a runtime thread
 * retires ({@code _Py_brc_remove_thread}) and {@link #processAllPending} from a collector with
 * the world stopped ({@code merge_all_queued_objects} in {@code gc_free_threading.c}). Each
 * hook frees what reaches zero through {@link RefCountSite#release}. Strategies that finish
 * every decrement at once ignore them (the defaults do nothing).
 *
 * <p>Instances are created per configuration and {@link #bind bound} to its header layout
 * before use. Hot-path methods must not allocate Java objects.
 */
public interface RefCountStrategy {

    /** The header fields this strategy needs, e.g. {@code ob_refcnt} (8 bytes). */
    List<HeaderField> headerFields();

    /** Learns the offsets of its fields in the composed header. Called once, before any object exists. */
    void bind(StructLayout header);

    /** Sets up the count of a newly allocated object: one reference, owned by {@code thread}. */
    void initialize(long object, ThreadContext thread);

    /** {@code Py_INCREF}. */
    void incref(long object, ThreadContext thread);

    /**
     * Adds a reference to an object that the caller reached without holding one (a list or
     * dict slot read without the container's lock), unless the object is already dead:
     * CPython 3.13t's {@code _Py_TryIncrefCompare} without its re-check, which the caller
     * makes ({@code Include/internal/pycore_object.h}). Succeeds, changing nothing, on an
     * immortal object; fails, changing nothing, when the count is zero, which is what a freed
     * object's header reads (the allocator keeps it, see
     * {@link org.pxlab.runtime.spi.Allocator#preserveOnFree}).
     *
     * <p>The default reads the count and increments it if it is not zero, which is correct
     * only while one thread at a time runs (a GIL); thread-safe strategies override it with
     * one atomic step. Must not allocate Java objects.
     *
     * @return whether a reference was added (or the object is immortal)
     */
    default boolean tryIncref(long object, ThreadContext thread) {
        if (isImmortal(object)) return true;
        if (referenceCount(object) <= 0) return false;
        incref(object, thread);
        return true;
    }

    /**
     * {@code Py_DECREF}.
     *
     * @return {@code true} if this removed the last reference and the caller must deallocate
     *         the object now; {@code false} otherwise (including immortal objects)
     */
    boolean decref(long object, ThreadContext thread);

    /**
     * The object's logical reference count (the sum of its parts, for split counts), as a
     * collector or a test reads it. Immortal objects report a value of at least 2^30.
     */
    long referenceCount(long object);

    /** Makes the object immortal: from now on increments and decrements change nothing. */
    void makeImmortal(long object);

    /** Whether the object is immortal. */
    boolean isImmortal(long object);

    /**
     * Whether two threads may update the same object's count at once without losing an
     * update. The registry refuses a configuration whose sync discipline lets threads share
     * objects of a space whose strategy is not thread safe, unless declared unsafe.
     */
    boolean isThreadSafe();

    /**
     * Whether a thread that allocates in this strategy's space counts nothing at all, whatever
     * the object's space: PyParallel's elision, where {@code Py_INCREF} returns at once in a
     * parallel thread for parallel and main objects alike. The runtime then tests the thread
     * ("am I parallel?") before it dispatches on the object. Default {@code false}.
     */
    default boolean elidesForItsThreads() {
        return false;
    }

    /**
     * Receives the runtime's site for deferred work. Called once, after {@link #bind} and
     * before any runtime thread runs. Default: ignores it.
     */
    default void bindSite(RefCountSite site) {
    }

    /**
     * A runtime thread has been created and may now own objects ({@code _Py_brc_init_thread}:
     * it joins its bucket so non-owners can queue to it). Called on any thread, before
     * {@code thread} first runs simulated code. Default: nothing.
     */
    default void threadStarted(ThreadContext thread) {
    }

    /**
     * Runs {@code thread}'s pending refcount work at an eval-breaker check, on {@code thread},
     * attached, when the site's breaker bit is set ({@code _Py_brc_merge_refcounts}). Clears
     * the bit; frees through {@link RefCountSite#release} what reaches zero. Default: nothing.
     */
    default void processPending(ThreadContext thread) {
    }

    /**
     * {@code thread} is about to end: runs its pending work until none is left and stops
     * accepting more, so later decrements of objects it owns are merged by whoever makes them
     * ({@code _Py_brc_remove_thread}; the objects are "abandoned"). Called on {@code thread},
     * attached, after its last simulated operation. Default: nothing.
     */
    default void threadExiting(ThreadContext thread) {
    }

    /**
     * Runs every thread's pending work, on {@code thread}, while it holds the world stopped
     * (the free-threaded collector's {@code merge_all_queued_objects}), so that the counts a
     * collector reads afterwards are complete. Frees through {@link RefCountSite#release}
     * what reaches zero, which may queue and then merge more. Default: nothing.
     */
    default void processAllPending(ThreadContext thread) {
    }

    /**
     * Whether objects of this kind are made immortal when allocated (the {@code immortal}
     * modifier: CPython 3.13t immortalizes functions, code, modules and heap types once a
     * second thread starts, {@code _PyGC_ImmortalizeDeferredObjects}). The heap asks once per
     * kind when it is built and calls {@link #makeImmortal} on each such object right after
     * {@link #initialize}. Default: none.
     */
    default boolean immortalAtCreation(TypeKind kind) {
        return false;
    }

    /**
     * A new object of {@code kind} exists (allocated after bootstrap, its count just
     * {@linkplain #initialize initialized}, its body not yet filled): CPython 3.14t's
     * {@code _PyObject_SetDeferredRefcount} for the kinds whose stack references go uncounted,
     * and {@code _PyObject_AssignUniqueId} for heap types and code objects, whose id word (at
     * {@link org.pxlab.runtime.object.TypeObjects#UNIQUE_ID} or
     * {@link org.pxlab.runtime.object.Functions#CODE_UNIQUE_ID} in the body, 0 = none) the
     * strategy may write. Default: nothing.
     */
    default void objectCreated(long object, TypeKind kind, ThreadContext thread) {
    }

    /**
     * Whether stack references to the object go uncounted ({@code _PyObject_HasDeferredRefcount}):
     * only a stop-the-world collection, which counts the frames' references itself, may free
     * it. Default {@code false}.
     */
    default boolean isDeferred(long object) {
        return false;
    }

    /** Whether this strategy defers any kind (the heap then tags stack references). Default {@code false}. */
    default boolean defersAny() {
        return false;
    }

    /**
     * The bias a deferred object's {@link #referenceCount} carries ({@code _Py_REF_DEFERRED}),
     * which a collector subtracts before it counts references. Default 0.
     */
    default long deferredBias() {
        return 0;
    }

    /**
     * Turns a deferred object into an ordinary one: removes the bias, folds the count into one
     * word and gives back its unique id ({@code disable_deferred_refcounting} in
     * {@code gc_free_threading.c}). Called by a collector, with the world stopped, on an
     * object it found unreachable, before it clears it. Default: nothing.
     */
    default void disableDeferred(long object) {
    }

    /**
     * {@code _Py_INCREF_TYPE}: the reference an instance holds to its heap type, which CPython
     * 3.14t counts in the creating thread's per-thread slot. Default: {@link #incref}.
     */
    default void increfType(long type, ThreadContext thread) {
        incref(type, thread);
    }

    /** {@code _Py_DECREF_TYPE}, when an instance is freed. Default: {@link #decref}. */
    default boolean decrefType(long type, ThreadContext thread) {
        return decref(type, thread);
    }

    /** {@code _Py_INCREF_CODE}: a function's reference to its code object. Default: {@link #incref}. */
    default void increfCode(long code, ThreadContext thread) {
        incref(code, thread);
    }

    /** {@code _Py_DECREF_CODE}, when a function is freed. Default: {@link #decref}. */
    default boolean decrefCode(long code, ThreadContext thread) {
        return decref(code, thread);
    }

    /**
     * Whether {@link #tryIncref} relies on this field of a freed object still holding what
     * the strategy last wrote there. Optimistic reads are refused when such a field sits where
     * an allocator writes its free-list link (the first 8 bytes). A biased count's
     * {@code ob_tid} does not need to survive: a link there names no thread, so the owner test
     * fails and the decision falls to {@code ob_ref_shared}, as with mimalloc in 3.13t.
     * Default: every field.
     */
    default boolean readAfterFree(HeaderField field) {
        return true;
    }
}
