package org.pxlab.gc;

import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.object.ReferenceVisitor;
import org.pxlab.runtime.object.Space;

/**
 * The core both cycle collectors share: how many references to each object of a collected
 * set come from outside it ({@code gc_refs}), and how a garbage object is broken free. It is
 * the same in CPython 3.12's {@code Modules/gcmodule.c} ({@code update_refs},
 * {@code subtract_refs}, {@code delete_garbage}) and 3.13t's {@code Python/gc_free_threading.c}
 * ({@code update_refs} with {@code visit_decref}, {@code delete_garbage}); what differs is
 * where {@code gc_refs} live ({@link GcRefs}), how the set is found (generation lists, or an
 * allocator walk) and how reachability is propagated (3.12's {@code move_unreachable} over
 * lists, 3.13t's {@code mark_reachable} with a stack), which each collector keeps.
 *
 * <p>Allocates nothing after construction.
 */
final class ExternalReferences {
    /**
     * Whether the assertions of a CPython debug build that cost extra loads are checked: on
     * with pxlab's debug hooks ({@code -Dpxlab.poison=true}, as in tests and stress runs),
     * off in measured runs, where a release build has none.
     */
    static final boolean CHECKS = Memory.POISON_ENABLED;

    /** What {@link #initialRefs} returns for an immortal object, which no collection may free. */
    static final long IMMORTAL = -1;

    private final Heap heap;
    private final String collector;
    private final ReferenceVisitor decref;

    /**
     * @param collector the collector's name, for error messages
     * @param refs      where {@code gc_refs} are decremented
     */
    ExternalReferences(Heap heap, String collector, GcRefs refs) {
        this.heap = heap;
        this.collector = collector;
        this.decref = refs::decrefIfCollected;
    }

    /**
     * The {@code gc_refs} an object starts from: its reference count ({@code gc_reset_refs}
     * in 3.12, {@code gc_add_refs(op, Py_REFCNT(op))} in 3.13t; less {@code _Py_REF_DEFERRED}
     * for a deferred object in 3.14t), or {@link #IMMORTAL} for an immortal object, which
     * every version excludes from the collection.
     *
     * @throws IllegalStateException if a tracked object's count is not positive (it should
     *         have been freed: a refcount bug)
     */
    long initialRefs(long object) {
        Space space = heap.spaceOf(object);
        if (space.refcount().isImmortal(object)) return IMMORTAL;
        long refs = space.refcount().referenceCount(object);
        // 3.14t's update_refs: a deferred object's count carries _Py_REF_DEFERRED, which no
        // reference stands for; its stack references are added from the frames instead.
        if (space.refcount().isDeferred(object)) refs -= space.refcount().deferredBias();
        if (refs < 0 || refs == 0 && !space.refcount().isDeferred(object)) {
            throw new IllegalStateException(collector + ": tracked object 0x" + Long.toHexString(object)
                    + " has reference count " + refs);
        }
        return refs;
    }

    /**
     * {@code subtract_refs} for one object: every reference it holds to a member of the set
     * is one the member's {@code gc_refs} must not count. After this has run for every
     * member, what is left counts references from outside the set.
     */
    void subtractInternal(long object) {
        heap.traverse(object, decref);
    }

    /**
     * {@code _PyObject_ASSERT_WITH_MSG(op, gc_get_refs(op) >= 0, "refcount is too small")}:
     * more references were found inside the set than the object's count holds. Checked only
     * with {@link #CHECKS}.
     *
     * @param gcRefs the object's {@code gc_refs} after {@link #subtractInternal}, as a signed value
     */
    void checkNotTooSmall(long object, long gcRefs) {
        if (CHECKS && (gcRefs < 0 || gcRefs > heap.referenceCount(object))) {
            throw new IllegalStateException(collector + ": refcount is too small for 0x" + Long.toHexString(object)
                    + " (" + heap.referenceCount(object) + ", more references found in the collected set)");
        }
    }

    /**
     * The body of {@code delete_garbage} for one object: {@code tp_clear} (kinds without one
     * do nothing, and are freed once a cleared neighbour lets go), then {@code Py_DECREF} of
     * the reference the collector took to keep the object valid meanwhile.
     */
    void clearAndRelease(long object, ThreadContext thread) {
        heap.clearReferences(object, thread);
        heap.decref(object, thread);
    }
}
