package org.pxlab.gc;

import java.util.List;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.layout.HeaderField;
import org.pxlab.runtime.layout.Ranks;
import org.pxlab.runtime.layout.StructLayout;
import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.memory.SystemMalloc;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.object.ReferenceVisitor;
import org.pxlab.runtime.object.Space;
import org.pxlab.runtime.object.TypeKind;
import org.pxlab.runtime.object.TypeObjects;
import org.pxlab.runtime.object.Tuples;
import org.pxlab.runtime.spi.Collector;
import org.pxlab.runtime.spi.CollectorSite;
import org.pxlab.runtime.spi.CollectorStatistics;

/**
 * CPython 3.12's generational cycle collector ({@code Modules/gcmodule.c}, {@code cycle}),
 * run over pxlab's simulated heap.
 *
 * <h2>Layout</h2>
 * Every tracked container carries a {@code PyGC_Head} pre-header of two words directly in
 * front of its {@code PyObject} header ({@code Include/internal/pycore_gc.h}):
 * <pre>
 *   gc_next  (offset 0)  next node; bit 0 = NEXT_MASK_UNREACHABLE during a collection
 *   gc_prev  (offset 8)  previous node, low 2 bits are flags:
 *                         bit 0 = _PyGC_PREV_MASK_FINALIZED (never set: pxlab has no tp_finalize)
 *                         bit 1 = _PyGC_PREV_MASK_COLLECTING
 * </pre>
 * Addresses in this class that name a pre-header ("gc") are {@code object - 16}, as
 * {@code AS_GC}/{@code FROM_GC} convert. An untracked object has {@code gc_next == 0}
 * ({@code _PyObject_GC_IS_TRACKED}).
 *
 * <p>Three generations plus the permanent generation (where 3.12's {@code update_refs} moves
 * objects that became immortal, such as the dicts of built-in types) are circular
 * doubly-linked lists through those words, each with a 16-byte head node in simulated memory
 * (taken from {@link SystemMalloc} at {@link #bind}), so that head and element links are the
 * same code, as in C. Three further heads are the stack-allocated {@code unreachable},
 * {@code final_unreachable} and a survivors list of {@code gc_collect_main}.
 *
 * <h2>gc_refs</h2>
 * Exactly as 3.12 stores it: while an object is in the set being collected, {@code gc_prev}
 * holds {@code gc_refs << _PyGC_PREV_SHIFT (2) | COLLECTING} instead of a pointer
 * ({@code gc_reset_refs}, {@code gc_decref}); {@code move_unreachable} writes the pointers
 * back. So a collection needs no memory besides the headers it already has.
 *
 * <h2>Scheduling</h2>
 * {@link #track} is {@code _PyObject_GC_TRACK} plus the counting of {@code _PyObject_GC_Link}
 * (pxlab tracks every container right after allocating it, so "allocated" and "tracked" are
 * the same event); when {@code generations[0].count} exceeds {@code threshold0} it calls
 * {@link CollectorSite#scheduleOnAllThreads()} as {@code _Py_ScheduleGC} sets
 * {@code gc_scheduled} and the eval breaker. The collection runs in {@link #poll}
 * ({@code _Py_HandlePending} → {@code _Py_RunGC} → {@code gc_collect_generations}).
 * {@link #untrack} is {@code _PyObject_GC_UNTRACK} plus the {@code count} decrement of
 * {@code PyObject_GC_Del}: the runtime calls it only when it frees the object.
 *
 * <h2>Deviations, each because pxlab lacks the feature</h2>
 * <ul>
 * <li>No finalizers, legacy or PEP 442, and no weak references: {@code move_legacy_finalizers},
 *     {@code handle_weakrefs} and {@code finalize_garbage} have nothing to do. What remains of
 *     them is kept: the clearing of {@code NEXT_MASK_UNREACHABLE} and the second
 *     {@code deduce_unreachable} pass of {@code handle_resurrected_objects}, which 3.12 runs
 *     over the unreachable set in every collection (its cost is part of the model).</li>
 * <li>The "refcount is too small" assertion of debug builds is checked only when pxlab's
 *     debug hooks are on ({@link #CHECKS}).</li>
 * <li>{@code untrack_dicts} is not done: pxlab's dicts are tracked from creation and never
 *     re-tracked on insert ({@code MAINTAIN_TRACKING}), so untracking one would hide any
 *     cycle later made through it. {@code untrack_tuples} is done.</li>
 * <li>No {@code DEBUG_SAVEALL}, callbacks, {@code gc.garbage} or free-list clearing.</li>
 * </ul>
 *
 * <h2>Threads</h2>
 * Like {@code gcmodule.c} this class is not thread safe: every call must be serialised by
 * the configuration (the GIL), and only the thread holding it polls. A collection does not
 * re-enter itself: a collection requested during one (from a track, an explicit
 * {@link #collect} or a poll) is ignored, as 3.12's {@code gcstate->collecting} makes it.
 *
 * <p>Neither {@link #track}, {@link #untrack} nor a collection allocates Java objects: the
 * traversal visitors are allocated once, with the collector.
 */
public final class CycleCollector implements Collector {
    /** {@code NUM_GENERATIONS}. */
    public static final int GENERATIONS = 3;
    /** Default thresholds of 3.12 ({@code gc.get_threshold()} = 700, 10, 10). */
    public static final long DEFAULT_THRESHOLD0 = 700, DEFAULT_THRESHOLD1 = 10, DEFAULT_THRESHOLD2 = 10;

    /** Size of {@code PyGC_Head}: two machine words. */
    static final int GC_HEAD = 16;
    /** Offsets of the words within the pre-header (and within a list head). */
    static final int NEXT = 0, PREV = 8;
    /** {@code _PyGC_PREV_MASK_FINALIZED}: kept when untracking, as CPython does; pxlab never sets it. */
    static final long PREV_MASK_FINALIZED = 1;
    /** {@code _PyGC_PREV_MASK_COLLECTING}: the object is in the set being collected. */
    static final long PREV_MASK_COLLECTING = 2;
    /** {@code _PyGC_PREV_SHIFT}: gc_refs sit above the two flag bits. */
    static final int PREV_SHIFT = 2;
    /** {@code _PyGC_PREV_MASK}: the pointer (or gc_refs) part of {@code gc_prev}. */
    static final long PREV_MASK = -1L << PREV_SHIFT;
    /** {@code NEXT_MASK_UNREACHABLE}: set in {@code gc_next} of objects on the unreachable list. */
    static final long NEXT_MASK_UNREACHABLE = 1;

    /** Whether CPython's debug-build assertions are checked ({@link ExternalReferences#CHECKS}). */
    static final boolean CHECKS = ExternalReferences.CHECKS;

    private static final List<HeaderField> PRE_HEADER = List.of(
            new HeaderField("gc_next", 8, Ranks.GC_LINKS, "cycle"),
            new HeaderField("gc_prev", 8, Ranks.GC_LINKS, "cycle"));

    /** Head nodes, in order, in one block of {@link #HEADS} × 16 bytes. */
    private static final int PERMANENT = GENERATIONS, UNREACHABLE = GENERATIONS + 1, FINAL_UNREACHABLE = GENERATIONS + 2,
            SURVIVORS = GENERATIONS + 3, HEADS = GENERATIONS + 4;

    private final long[] threshold = new long[GENERATIONS];
    /** {@code generations[i].count}: allocations minus frees for gen 0, collections of the next younger gen otherwise. */
    private final long[] count = new long[GENERATIONS];
    /** Address of each head node, indexed as above; 0 until {@link #bind}. */
    private final long[] head = new long[HEADS];
    private long gen0;

    private Heap heap;
    private CollectorSite site;
    private int bodyOffset;

    /** {@code gcstate->long_lived_total}: survivors of the last full collection. */
    private long longLivedTotal;
    /** {@code gcstate->long_lived_pending}: objects that reached gen 2 since then. */
    private long longLivedPending;
    /** {@code gcstate->collecting}. */
    private boolean collecting;
    /** {@code interp->ceval.gc_scheduled}. */
    private boolean scheduled;

    private long collections, objectsVisited, objectsFreed, tracked, pauseNanos;

    /** update_refs, subtract_refs and delete_garbage's step, shared with the stop-the-world collector; set by {@link #bind}. */
    private ExternalReferences externalRefs;
    private final ReachableVisitor reachableVisitor = new ReachableVisitor();

    /** A collector with 3.12's default thresholds (700, 10, 10). */
    public CycleCollector() {
        this(DEFAULT_THRESHOLD0, DEFAULT_THRESHOLD1, DEFAULT_THRESHOLD2);
    }

    /**
     * A collector with the given thresholds ({@code gc.set_threshold}).
     *
     * @param threshold0 gen-0 count (tracked allocations minus frees) above which a collection
     *                   is scheduled; 0 disables automatic collection, as in CPython
     * @param threshold1 gen-0 collections after which gen 1 is collected too
     * @param threshold2 gen-1 collections after which gen 2 is collected too (subject to the
     *                   {@code long_lived_pending} rule)
     */
    public CycleCollector(long threshold0, long threshold1, long threshold2) {
        if (threshold0 < 0 || threshold1 < 0 || threshold2 < 0) {
            throw new IllegalArgumentException("thresholds must not be negative: " + threshold0 + ", " + threshold1
                    + ", " + threshold2);
        }
        threshold[0] = threshold0;
        threshold[1] = threshold1;
        threshold[2] = threshold2;
    }

    // ---------------------------------------------------------------- SPI

    /** {@code PyGC_Head}: {@code gc_next} and {@code gc_prev}, 8 bytes each, in that order. */
    @Override
    public List<HeaderField> preHeaderFields() {
        return PRE_HEADER;
    }

    /**
     * Allocates the list heads ({@code _PyGC_InitState}) and checks that every space this
     * collector serves puts {@code gc_next}/{@code gc_prev} where this class reads them.
     */
    @Override
    public void bind(Heap heap, CollectorSite site) {
        if (this.heap != null) throw new IllegalStateException("cycle collector already bound");
        for (int i = 0; i < heap.spaceCount(); i++) {
            Space s = heap.space(i);
            if (s.collector() != this) continue;
            StructLayout pre = s.preHeader();
            if (pre.size() != GC_HEAD || !pre.has("gc_next") || !pre.has("gc_prev")
                    || pre.offsetOf("gc_next") != NEXT || pre.offsetOf("gc_prev") != PREV) {
                throw new IllegalStateException("space " + s.name() + ": the cycle collector needs the pre-header "
                        + "{gc_next @0, gc_prev @8} of 16 bytes; got " + pre.slots());
            }
        }
        this.heap = heap;
        this.site = site;
        this.bodyOffset = heap.bodyOffset();
        this.externalRefs = new ExternalReferences(heap, "cycle collector", new CollectingRefs());
        long block = SystemMalloc.calloc((long) HEADS * GC_HEAD);
        for (int i = 0; i < HEADS; i++) {
            head[i] = block + (long) i * GC_HEAD;
            listInit(head[i]);
        }
        gen0 = head[0];
    }

    /**
     * {@code _PyObject_GC_TRACK} (append to generation 0) and the accounting of
     * {@code _PyObject_GC_Link}: {@code generations[0].count++}, and a collection scheduled
     * when it exceeds {@code threshold0} unless one is running or already scheduled.
     *
     * @throws IllegalStateException if the object is already tracked or the collector unbound
     */
    @Override
    public void track(long object, ThreadContext thread) {
        long gc = object - GC_HEAD;
        long g0 = gen0;
        if (g0 == 0) throw new IllegalStateException("cycle collector used before bind");
        if (Memory.getLong(gc + NEXT) != 0) {
            throw new IllegalStateException("object 0x" + Long.toHexString(object) + " already tracked by the garbage collector");
        }
        long last = Memory.getLong(g0 + PREV);
        Memory.putLong(last + NEXT, gc);
        Memory.putLong(gc + PREV, (Memory.getLong(gc + PREV) & ~PREV_MASK) | last);
        Memory.putLong(gc + NEXT, g0);
        Memory.putLong(g0 + PREV, gc);
        tracked++;
        long c = ++count[0];
        if (c > threshold[0] && threshold[0] != 0 && !collecting && !scheduled) {
            // _Py_ScheduleGC: once per pending collection, so this stays off the hot path.
            scheduled = true;
            site.scheduleOnAllThreads();
        }
    }

    /**
     * {@code _PyObject_GC_UNTRACK} (if tracked) followed by the {@code count} decrement of
     * {@code PyObject_GC_Del}. Unlinking works on whichever list the object is on, including
     * the collector's own unreachable list while {@code delete_garbage} runs: the neighbours'
     * {@code gc_prev} flags are preserved ({@code _PyGCHead_SET_PREV}).
     */
    @Override
    public void untrack(long object, ThreadContext thread) {
        long gc = object - GC_HEAD;
        if (Memory.getLong(gc + NEXT) != 0) unlinkUntracked(gc);
        // PyObject_GC_Del: "if (gcstate->generations[0].count > 0) count--", for every GC
        // object freed (also those untrack_tuples untracked earlier).
        if (count[0] > 0) count[0]--;
    }

    /**
     * {@code _Py_HandlePending} for {@code gc_scheduled}: clears this thread's bit and, if
     * the collection is still pending (another thread may have run it), runs
     * {@code gc_collect_generations}.
     */
    @Override
    public void poll(ThreadContext thread) {
        thread.clear(site.breakerBit());
        if (!scheduled) return;
        scheduled = false;
        if (collecting) return;
        collecting = true;
        try {
            collectGenerations(thread);
        } finally {
            collecting = false;
        }
    }

    /**
     * {@code gc.collect(generation)}: collects that generation and all younger ones now.
     * Does nothing (returns 0) while a collection is running, as {@code gc_collect_impl}.
     *
     * @return objects of the garbage set actually freed ({@code collected} minus those
     *         {@code delete_garbage} could not break free)
     * @throws IllegalArgumentException if {@code generation} is not 0, 1 or 2
     */
    @Override
    public long collect(int generation, ThreadContext thread) {
        if (generation < 0 || generation >= GENERATIONS) throw new IllegalArgumentException("invalid generation " + generation);
        if (heap == null) throw new IllegalStateException("cycle collector used before bind");
        if (collecting) return 0;
        collecting = true;
        try {
            return collectMain(generation, thread);
        } finally {
            collecting = false;
        }
    }

    /**
     * Work so far. {@code objectsVisited} counts objects whose {@code gc_refs} a collection
     * computed ({@code update_refs}), in each of 3.12's {@code deduce_unreachable} passes;
     * {@code objectsFreed} counts freed members of the garbage sets; {@code tracked} includes
     * the permanent generation.
     */
    @Override
    public CollectorStatistics statistics() {
        return new CollectorStatistics(collections, objectsVisited, objectsFreed, tracked, pauseNanos);
    }

    // ---------------------------------------------------------------- collection

    /** {@code gc_collect_generations}. */
    private long collectGenerations(ThreadContext thread) {
        // The oldest generation whose count exceeds its threshold is collected with all
        // younger ones.
        for (int i = GENERATIONS - 1; i >= 0; i--) {
            if (count[i] > threshold[i]) {
                // Issue #4074: a full collection only when the objects that reached gen 2
                // since the last one are at least 25% of those that survived it.
                if (i == GENERATIONS - 1 && longLivedPending < longLivedTotal / 4) continue;
                return collectMain(i, thread);
            }
        }
        return 0;
    }

    /** {@code gc_collect_main} without finalizers, weakrefs and callbacks. */
    private long collectMain(int generation, ThreadContext thread) {
        long start = System.nanoTime();
        // update collection and allocation counters
        if (generation + 1 < GENERATIONS) count[generation + 1]++;
        for (int i = 0; i <= generation; i++) count[i] = 0;
        // merge younger generations with the one we are currently collecting
        for (int i = 0; i < generation; i++) listMerge(head[i], head[generation]);

        long young = head[generation];
        long old = generation < GENERATIONS - 1 ? head[generation + 1] : young;
        long unreachable = head[UNREACHABLE];

        deduceUnreachable(young, unreachable);
        untrackTuples(young);
        // Move reachable objects to the next generation.
        if (young != old) {
            if (generation == GENERATIONS - 2) longLivedPending += listSize(young);
            listMerge(young, old);
        } else {
            // untrack_dicts(young) is not modelled: see the class comment.
            longLivedPending = 0;
            longLivedTotal = listSize(young);
        }

        // move_legacy_finalizers: no legacy finalizers, but it is where 3.12 clears
        // NEXT_MASK_UNREACHABLE, after which 'unreachable' is a normal list.
        clearUnreachableMask(unreachable);
        // handle_weakrefs, finalize_garbage: nothing to do in pxlab.
        // handle_resurrected_objects: nothing can have been resurrected, but 3.12 does not
        // know that and computes the unreachable set again.
        long finalUnreachable = head[FINAL_UNREACHABLE];
        listClearCollecting(unreachable);
        deduceUnreachable(unreachable, finalUnreachable);
        clearUnreachableMask(finalUnreachable);
        listMerge(unreachable, old); // the resurrected (none) go to the older generation

        long garbage = listSize(finalUnreachable);
        long survivors = deleteGarbage(finalUnreachable, old, thread);
        long freed = garbage - survivors;

        collections++;
        objectsFreed += freed;
        pauseNanos += System.nanoTime() - start;
        return freed;
    }

    /** {@code deduce_unreachable}: splits {@code base} into reachable (stays) and {@code unreachable}. */
    private void deduceUnreachable(long base, long unreachable) {
        updateRefs(base); // gc_prev is used for gc_refs
        subtractRefs(base);
        listInit(unreachable);
        moveUnreachable(base, unreachable); // gc_prev is a pointer again
    }

    /**
     * {@code update_refs}: {@code gc_refs = ob_refcnt} with the COLLECTING flag, for each
     * object; objects that became immortal leave for the permanent generation, since their
     * count no longer says how many references they have.
     */
    private void updateRefs(long containers) {
        long permanent = head[PERMANENT];
        long visited = 0;
        long gc = Memory.getLong(containers + NEXT);
        while (gc != containers) {
            long next = Memory.getLong(gc + NEXT);
            long op = gc + GC_HEAD;
            long refs = externalRefs.initialRefs(op);
            if (refs == ExternalReferences.IMMORTAL) {
                listMove(gc, permanent);
                gc = next;
                continue;
            }
            // gc_reset_refs
            Memory.putLong(gc + PREV, (Memory.getLong(gc + PREV) & PREV_MASK_FINALIZED) | PREV_MASK_COLLECTING
                    | (refs << PREV_SHIFT));
            visited++;
            gc = next;
        }
        objectsVisited += visited;
    }

    /**
     * {@code subtract_refs}: for each reference from one object of the set to another, one
     * less {@code gc_refs} for the target. What is left counts references from outside.
     */
    private void subtractRefs(long containers) {
        for (long gc = Memory.getLong(containers + NEXT); gc != containers; gc = Memory.getLong(gc + NEXT)) {
            externalRefs.subtractInternal(gc + GC_HEAD);
        }
    }

    /**
     * {@code move_unreachable}. Walks {@code young} once. An object with {@code gc_refs > 0}
     * is reachable from outside: it is traversed, and whatever it references that sits on
     * the unreachable list (tentatively, with {@code gc_refs == 0}) comes back to the end of
     * {@code young} with {@code gc_refs = 1}, to be traversed in turn. The others move to
     * {@code unreachable} with {@code NEXT_MASK_UNREACHABLE} set. During the walk
     * {@code young} is singly linked (its {@code gc_prev} words still hold gc_refs), and the
     * pointers are restored behind the cursor.
     */
    private void moveUnreachable(long young, long unreachable) {
        // previous elem in the young list, used to restore gc_prev
        long prev = young;
        long gc = Memory.getLong(young + NEXT);
        reachableVisitor.young = young;
        while (gc != young) {
            long prevWord = Memory.getLong(gc + PREV);
            if ((prevWord & PREV_MASK) != 0) {
                long op = gc + GC_HEAD;
                // _PyObject_ASSERT_WITH_MSG(op, gc_get_refs(gc) > 0, "refcount is too small"):
                // a gc_decref below zero leaves a negative gc_refs in the word.
                externalRefs.checkNotTooSmall(op, prevWord >> PREV_SHIFT);
                // NOTE (as in CPython): visit_reachable may change gc's gc_next when gc is the
                // last element; read prev's next only after the traversal.
                heap.traverse(op, reachableVisitor);
                // relink gc_prev to prev element; gc is not COLLECTING any more
                Memory.putLong(gc + PREV, (Memory.getLong(gc + PREV) & PREV_MASK_FINALIZED) | prev);
                prev = gc;
            } else {
                // Move gc to unreachable. No need to gc->next->prev = prev: young is singly
                // linked for now.
                Memory.putLong(prev + NEXT, Memory.getLong(gc + NEXT));
                long last = Memory.getLong(unreachable + PREV);
                // Every element of 'unreachable' has NEXT_MASK_UNREACHABLE, so it is set
                // unconditionally, polluting the head's next too; repaired at the end.
                Memory.putLong(last + NEXT, NEXT_MASK_UNREACHABLE | gc);
                setPrev(gc, last);
                Memory.putLong(gc + NEXT, NEXT_MASK_UNREACHABLE | unreachable);
                Memory.putLong(unreachable + PREV, gc);
            }
            gc = Memory.getLong(prev + NEXT);
        }
        // young's gc_prev must be the last element remaining in the list
        Memory.putLong(young + PREV, prev);
        // don't let the pollution of the list head's next pointer leak
        Memory.putLong(unreachable + NEXT, Memory.getLong(unreachable + NEXT) & ~NEXT_MASK_UNREACHABLE);
        reachableVisitor.young = 0;
    }

    /**
     * {@code untrack_tuples}: a tuple whose items are all atomic or untracked tuples can never
     * be part of a cycle (tuples are immutable), so it leaves the collector's lists
     * ({@code _PyTuple_MaybeUntrack}).
     */
    private void untrackTuples(long headNode) {
        long gc = Memory.getLong(headNode + NEXT);
        while (gc != headNode) {
            long next = Memory.getLong(gc + NEXT);
            long op = gc + GC_HEAD;
            if (heap.kindOf(op) == TypeKind.TUPLE && tupleMayBeUntracked(op)) unlinkUntracked(gc);
            gc = next;
        }
    }

    private boolean tupleMayBeUntracked(long tuple) {
        long body = tuple + bodyOffset;
        long n = Memory.getLong(body + Tuples.SIZE);
        for (long i = 0; i < n; i++) {
            long item = Memory.getLong(body + Tuples.ITEMS + 8 * i);
            // Tuples with NULL elements aren't fully constructed: leave them tracked.
            if (item == 0 || mayBeTracked(item)) return false;
        }
        return true;
    }

    /** {@code _PyObject_GC_MAY_BE_TRACKED}. */
    private boolean mayBeTracked(long object) {
        TypeKind kind = heap.kindOf(object);
        if (!isGcKind(object, kind)) return false;
        if (kind == TypeKind.TUPLE) {
            // Another collector's object may have no pre-header to read: assume tracked.
            return heap.spaceOf(object).collector() != this || Memory.getLong(object - GC_HEAD + NEXT) != 0;
        }
        return true;
    }

    /**
     * {@code delete_garbage}: {@code tp_clear} on the first object of {@code collectable},
     * under a temporary reference, until the list is empty. Clearing one object may free
     * any number of others on the same list: each freed object is untracked by the runtime
     * through {@link #untrack}, which unlinks it, so the list stays consistent and the loop
     * never holds a pointer to a freed node; it always re-reads the first element. If the
     * first element is still there after its clear it is alive for now (a kind without
     * {@code tp_clear}, e.g. a tuple, waiting for a neighbour to let go) and moves on, as
     * CPython moves it to {@code old}: here first to a survivors list, merged into
     * {@code old} at the end in the same order, so that those still alive can be counted.
     *
     * @return objects of {@code collectable} still alive at the end
     */
    private long deleteGarbage(long collectable, long old, ThreadContext thread) {
        long survivors = head[SURVIVORS];
        listInit(survivors);
        while (!listIsEmpty(collectable)) {
            long gc = Memory.getLong(collectable + NEXT);
            long op = gc + GC_HEAD;
            // Py_INCREF/Py_DECREF around tp_clear keep op valid while its own clear runs.
            // Kinds without tp_clear get the pair too (a no-op clear cannot free anything).
            heap.incref(op, thread);
            externalRefs.clearAndRelease(op, thread);
            if (Memory.getLong(collectable + NEXT) == gc) {
                // object is still alive, move it, it may die later
                Memory.putLong(gc + PREV, Memory.getLong(gc + PREV) & ~PREV_MASK_COLLECTING);
                listMove(gc, survivors);
            }
        }
        long alive = listSize(survivors);
        listMerge(survivors, old);
        return alive;
    }

    /** The NEXT_MASK_UNREACHABLE clearing loop of {@code move_legacy_finalizers}. */
    private static void clearUnreachableMask(long list) {
        long gc = Memory.getLong(list + NEXT);
        while (gc != list) {
            long next = Memory.getLong(gc + NEXT) & ~NEXT_MASK_UNREACHABLE;
            Memory.putLong(gc + NEXT, next);
            gc = next;
        }
    }

    /** {@code gc_list_clear_collecting}. */
    private static void listClearCollecting(long list) {
        for (long gc = Memory.getLong(list + NEXT); gc != list; gc = Memory.getLong(gc + NEXT)) {
            Memory.putLong(gc + PREV, Memory.getLong(gc + PREV) & ~PREV_MASK_COLLECTING);
        }
    }

    /**
     * {@code _PyObject_IS_GC}: the kind is a container and, for type objects,
     * {@code type_is_gc} (only heap types). pxlab adds the space test: only objects of a
     * space this collector serves have a pre-header this collector may read.
     */
    private boolean isGcHere(long object) {
        TypeKind kind = heap.kindOf(object);
        return isGcKind(object, kind) && heap.spaceOf(object).collector() == this;
    }

    private boolean isGcKind(long object, TypeKind kind) {
        if (!kind.container()) return false;
        return kind != TypeKind.TYPE || (Memory.getInt(object + bodyOffset + TypeObjects.FLAGS) & TypeObjects.HEAPTYPE) != 0;
    }

    /** {@code gc_refs} in {@code gc_prev}: {@code visit_decref}, one less for a referent in the collected set. */
    private final class CollectingRefs implements GcRefs {
        @Override
        public void decrefIfCollected(long referent) {
            if (!isGcHere(referent)) return;
            long at = referent - GC_HEAD + PREV;
            long prev = Memory.getLong(at);
            // Only objects of the set being collected have COLLECTING; the others' gc_prev
            // is a pointer and must not be touched.
            if ((prev & PREV_MASK_COLLECTING) != 0) Memory.putLong(at, prev - (1L << PREV_SHIFT));
        }
    }

    /** {@code visit_reachable}: see {@link #moveUnreachable}. */
    private final class ReachableVisitor implements ReferenceVisitor {
        /** The young list of the running {@code move_unreachable}. */
        long young;

        @Override
        public void visit(long referent) {
            if (!isGcHere(referent)) return;
            long gc = referent - GC_HEAD;
            long prevWord = Memory.getLong(gc + PREV);
            // Ignore objects in other generations, and those "to the left" of the cursor in
            // young, already traversed, which no longer have COLLECTING.
            if ((prevWord & PREV_MASK_COLLECTING) == 0) return;
            long nextWord = Memory.getLong(gc + NEXT);
            if ((nextWord & NEXT_MASK_UNREACHABLE) != 0) {
                // It had gc_refs == 0 when move_unreachable got to it, but it is reachable
                // after all: unlink it by hand from 'unreachable' (the list functions don't
                // understand the flag) and append it to young for move_unreachable to see again.
                long prev = prevWord & PREV_MASK;
                long next = nextWord & ~NEXT_MASK_UNREACHABLE;
                Memory.putLong(prev + NEXT, nextWord); // copies NEXT_MASK_UNREACHABLE
                setPrev(next, prev);
                long last = Memory.getLong(young + PREV);
                setPrev(gc, last);
                Memory.putLong(last + NEXT, gc);
                Memory.putLong(gc + NEXT, young);
                Memory.putLong(young + PREV, gc);
                setRefs(gc, 1);
            } else if ((prevWord & PREV_MASK) == 0) {
                // In young but not reached by the cursor yet: tell move_unreachable it is
                // reachable.
                setRefs(gc, 1);
            }
            // Else gc_refs > 0: move_unreachable will get to it.
        }
    }

    // ---------------------------------------------------------------- lists

    /** {@code _PyGCHead_SET_PREV}: replaces the pointer, keeps the flags. */
    private static void setPrev(long gc, long prev) {
        Memory.putLong(gc + PREV, (Memory.getLong(gc + PREV) & ~PREV_MASK) | prev);
    }

    /** {@code gc_set_refs}: replaces the pointer part with gc_refs, keeps the flags. */
    private static void setRefs(long gc, long refs) {
        Memory.putLong(gc + PREV, (Memory.getLong(gc + PREV) & ~PREV_MASK) | (refs << PREV_SHIFT));
    }

    /** {@code _PyObject_GC_UNTRACK} on a tracked object: unlink, {@code gc_next = 0}, keep only FINALIZED. */
    private void unlinkUntracked(long gc) {
        long prev = Memory.getLong(gc + PREV) & PREV_MASK;
        long next = Memory.getLong(gc + NEXT);
        Memory.putLong(prev + NEXT, next);
        setPrev(next, prev);
        Memory.putLong(gc + NEXT, 0L);
        Memory.putLong(gc + PREV, Memory.getLong(gc + PREV) & PREV_MASK_FINALIZED);
        tracked--;
    }

    /** {@code gc_list_init}. */
    private static void listInit(long list) {
        Memory.putLong(list + NEXT, list);
        Memory.putLong(list + PREV, list);
    }

    /** {@code gc_list_is_empty}. */
    private static boolean listIsEmpty(long list) {
        return Memory.getLong(list + NEXT) == list;
    }

    /** {@code gc_list_move}: unlink from the current list, append to {@code list}. */
    private static void listMove(long node, long list) {
        long fromPrev = Memory.getLong(node + PREV) & PREV_MASK;
        long fromNext = Memory.getLong(node + NEXT);
        Memory.putLong(fromPrev + NEXT, fromNext);
        setPrev(fromNext, fromPrev);
        // list heads carry no flags
        long toPrev = Memory.getLong(list + PREV);
        setPrev(node, toPrev);
        Memory.putLong(toPrev + NEXT, node);
        Memory.putLong(list + PREV, node);
        Memory.putLong(node + NEXT, list);
    }

    /** {@code gc_list_merge}: append all of {@code from} to {@code to}; {@code from} ends empty. */
    private static void listMerge(long from, long to) {
        if (!listIsEmpty(from)) {
            long toTail = Memory.getLong(to + PREV) & PREV_MASK;
            long fromHead = Memory.getLong(from + NEXT);
            long fromTail = Memory.getLong(from + PREV) & PREV_MASK;
            Memory.putLong(toTail + NEXT, fromHead);
            setPrev(fromHead, toTail);
            Memory.putLong(fromTail + NEXT, to);
            setPrev(to, fromTail);
        }
        listInit(from);
    }

    /** {@code gc_list_size}. */
    private static long listSize(long list) {
        long n = 0;
        for (long gc = Memory.getLong(list + NEXT); gc != list; gc = Memory.getLong(gc + NEXT)) n++;
        return n;
    }

    // ---------------------------------------------------------------- inspection (tests, reports)

    /** {@code generations[i].count}. */
    long generationCount(int generation) {
        return count[generation];
    }

    /** Objects on generation {@code i}'s list (walks it). */
    long generationSize(int generation) {
        return listSize(head[generation]);
    }

    /** Objects moved to the permanent generation (immortal ones). */
    long permanentSize() {
        return listSize(head[PERMANENT]);
    }

    /** Thresholds as configured. */
    long threshold(int generation) {
        return threshold[generation];
    }

    /** Whether a collection is scheduled and not yet run ({@code gc_scheduled}). */
    boolean isScheduled() {
        return scheduled;
    }

    /** {@code long_lived_total} and {@code long_lived_pending}. */
    long longLivedTotal() {
        return longLivedTotal;
    }

    long longLivedPending() {
        return longLivedPending;
    }

    /** The objects on generation {@code i}'s list (3 = permanent), in list order. Allocates; not for hot paths. */
    long[] members(int generation) {
        long h = head[generation];
        long[] out = new long[(int) listSize(h)];
        int i = 0;
        for (long gc = Memory.getLong(h + NEXT); gc != h; gc = Memory.getLong(gc + NEXT)) out[i++] = gc + GC_HEAD;
        return out;
    }

    /** {@code _PyObject_GC_IS_TRACKED}. */
    static boolean isTracked(long object) {
        return Memory.getLong(object - GC_HEAD + NEXT) != 0;
    }

    /** The generation list (0..2, 3 = permanent) holding {@code object}, or -1 if it is on none. */
    int generationOf(long object) {
        long gc = object - GC_HEAD;
        for (int g = 0; g <= PERMANENT; g++) {
            for (long n = Memory.getLong(head[g] + NEXT); n != head[g]; n = Memory.getLong(n + NEXT)) {
                if (n == gc) return g;
            }
        }
        return -1;
    }

    /**
     * {@code validate_list} over every generation, outside a collection: links agree both
     * ways, no flags are left set, and the lists hold {@link CollectorStatistics#tracked}
     * objects in all.
     *
     * @throws IllegalStateException describing the first inconsistency
     */
    void validate() {
        long total = 0;
        for (int g = 0; g <= PERMANENT; g++) {
            long h = head[g];
            long prev = h;
            long gc = Memory.getLong(h + NEXT);
            long steps = 0;
            while (gc != h) {
                long prevWord = Memory.getLong(gc + PREV);
                long nextWord = Memory.getLong(gc + NEXT);
                if ((prevWord & ~PREV_MASK) != 0 || (nextWord & NEXT_MASK_UNREACHABLE) != 0) {
                    throw new IllegalStateException("generation " + g + ": flags left on 0x" + Long.toHexString(gc));
                }
                if (prevWord != prev) {
                    throw new IllegalStateException("generation " + g + ": gc_prev of 0x" + Long.toHexString(gc)
                            + " is 0x" + Long.toHexString(prevWord) + ", expected 0x" + Long.toHexString(prev));
                }
                if (++steps > tracked + 1) throw new IllegalStateException("generation " + g + ": list does not end");
                prev = gc;
                gc = nextWord;
            }
            if (Memory.getLong(h + PREV) != prev) throw new IllegalStateException("generation " + g + ": head's gc_prev is stale");
            total += steps;
        }
        if (total != tracked) throw new IllegalStateException("lists hold " + total + " objects but " + tracked + " are tracked");
    }
}
