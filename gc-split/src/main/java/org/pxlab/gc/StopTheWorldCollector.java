package org.pxlab.gc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.layout.HeaderField;
import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.object.ReferenceVisitor;
import org.pxlab.runtime.object.Space;
import org.pxlab.runtime.object.TypeKind;
import org.pxlab.runtime.object.TypeObjects;
import org.pxlab.runtime.spi.Allocator;
import org.pxlab.runtime.spi.BlockVisitor;
import org.pxlab.runtime.spi.Collector;
import org.pxlab.runtime.spi.CollectorSite;
import org.pxlab.runtime.spi.CollectorStatistics;
import org.pxlab.runtime.stats.PerThreadCounters;

/**
 * CPython 3.13t's non-generational, stop-the-world cycle collector ({@code stop-the-world}),
 * after <a href="https://github.com/python/cpython/blob/3.13/Python/gc_free_threading.c">{@code Python/gc_free_threading.c}</a>,
 * with the world stopped by the runtime's implementation of {@code _PyEval_StopTheWorld} /
 * {@code _PyEval_StartTheWorld} ({@code Python/pystate.c}; {@link CollectorSite#stopTheWorld}).
 *
 * <h2>No pre-header, no lists</h2>
 * As in 3.13t there is no {@code PyGC_Head}: {@link #track} sets {@code _PyGC_BITS_TRACKED} in
 * the header's {@code ob_gc_bits} ({@code _PyObject_GC_TRACK}) and links the object nowhere. A
 * collection finds the objects by walking the space's allocator ({@link Allocator#walk}), as
 * 3.13t walks the mimalloc heaps that hold GC objects ({@code gc_visit_heaps}). Its scratch
 * state lives in a {@link BlockTable} beside the heap: 3.13t keeps {@code gc_refs} in
 * {@code ob_tid} and its marks in {@code ob_gc_bits}, but pxlab's headers may lack
 * {@code ob_tid}, and the walk also finds blocks that are no objects (below).
 *
 * <h2>A collection ({@code gc_collect_main}, {@code gc_collect_internal})</h2>
 * <ol>
 * <li>Stop the world. The pause starts at the request, so the wait for the other threads to
 *     reach a safepoint is part of it.</li>
 * <li>{@code merge_all_queued_objects}: every space's refcount strategy merges every thread's
 *     queued objects ({@link org.pxlab.runtime.spi.RefCountStrategy#processAllPending}; biased
 *     counts), so each count read below is whole; an object whose merged count is zero is
 *     freed in the pause (3.13t defers their decrefs to after it, {@code objs_to_decref}).</li>
 * <li>{@code process_delayed_frees}: the allocator frees every block it holds back for
 *     optimistic readers, every thread's ({@link Allocator#reclaimDelayed}): with the world
 *     stopped none of them can be read. So the pause returns replaced list items and dict
 *     keys tables however long the threads have gone without a quiescent point, and the walk
 *     below never meets them.</li>
 * <li>Walk the allocator. Which blocks are objects ({@code op_from_block}): the block has
 *     {@code _PyGC_BITS_TRACKED}, its {@code ob_type} names a block of the walk that is a type
 *     object (its own type is {@code type}), that type is a container kind, and the block is
 *     large enough for the kind's fixed body. 3.13t needs no more, because list items and dict
 *     keys come from another mimalloc heap ({@code _Py_MIMALLOC_HEAP_MEM}) that it does not
 *     walk. pxlab's allocators hand those blocks out beside the objects, and their contents
 *     (pointers, hashes) could pass the checks above; so every block a candidate owns
 *     ({@link Heap#auxiliaryBlock}) is struck off. Each such block is owned by a real, tracked
 *     list or dict, so none survives; a block wrongly struck off is a real object left out of
 *     this collection, which only keeps more alive.</li>
 * <li>{@code update_refs}: {@code gc_refs = ob_refcnt} for each object (immortal ones are left
 *     out; a deferred object's {@code _Py_REF_DEFERRED} bias taken off, as 3.14t does), then
 *     {@code visit_decref} over its references: what remains counts references from outside the
 *     set (frames, Java locals of suspended threads, other spaces). This step is
 *     {@link ExternalReferences}, shared with {@link CycleCollector}. Then 3.14t's
 *     {@code gc_visit_thread_stacks}: each deferred (tagged, uncounted) reference a frame holds
 *     adds one ({@link CollectorSite#visitDeferredStackReferences}).</li>
 * <li>{@code mark_heap_visitor} / {@code mark_reachable}: from every object with
 *     {@code gc_refs > 0}, mark what it reaches, with an explicit stack.</li>
 * <li>{@code scan_heap_visitor}: each unmarked object is garbage; a deferred one is made
 *     ordinary first ({@code disable_deferred_refcounting}: bias off, count merged, unique id
 *     released; {@link org.pxlab.runtime.spi.RefCountStrategy#disableDeferred}); it gets one more reference
 *     (3.13t's {@code merge_refcount(op, 1)}), so that it stays valid until its own turn below
 *     however the others fall apart, and goes on the worklist. The marked ones are counted as
 *     {@code long_lived_total}.</li>
 * <li>Start the world; record the pause.</li>
 * <li>{@code delete_garbage}, with the world running as in 3.13t: {@code tp_clear} on each
 *     garbage object, then drop the reference taken above. Nothing else can reach garbage,
 *     so the other threads do not notice.</li>
 * </ol>
 * Deviations: 3.13t stops the world a second time after finalizers run, for
 * {@code handle_resurrected_objects} and to clear free lists; pxlab has no finalizers, weak
 * references or free lists, so nothing can be resurrected and one pause per collection
 * remains. There are no biased-refcount queues to merge in the pause (a refcount strategy
 * that has them merges them itself). The collector serves configurations of one space
 * (all of pxlab's free-threaded ones): with several, type objects could lie outside the
 * walked allocator and the test of step 2 could not be made.
 *
 * <h2>Triggering</h2>
 * {@code record_allocation} and {@code record_deallocation}: each thread counts tracked
 * allocations minus frees of containers locally ({@link PerThreadCounters}) and adds them to
 * the shared young count in batches of {@code countBatch} (3.13t's
 * {@code LOCAL_ALLOC_COUNT_THRESHOLD}, 512), so the shared line is written once per batch.
 * When a batch of allocations leaves the young count above the threshold (2000 in 3.13t) and
 * above a quarter of the objects that survived the last collection ({@code gc_should_collect}),
 * a collection is scheduled on every attached thread's eval breaker; the first thread to reach
 * an eval-breaker check runs it, if it is still due. {@link #collect} runs one at once.
 * Only one collection runs at a time ({@code gcstate->collecting}); a request meanwhile
 * returns 0.
 *
 * <h2>Pauses</h2>
 * Each pause, in nanoseconds from the stop request to the restart, is recorded in an
 * HdrHistogram {@link Histogram} ({@link #pauses()}); {@link CollectorStatistics#pauseNanos}
 * is their exact sum.
 *
 * <p>{@link #track}, {@link #untrack} and {@link #poll} without a due collection allocate no
 * Java objects; a collection allocates only when its scratch table or stacks must grow.
 */
public final class StopTheWorldCollector implements Collector {
    /** 3.13t's {@code gcstate->young.threshold}. */
    public static final long DEFAULT_THRESHOLD = 2000;
    /** 3.13t's {@code LOCAL_ALLOC_COUNT_THRESHOLD}. */
    public static final int DEFAULT_COUNT_BATCH = 512;
    /** {@code _PyGC_BITS_TRACKED}. */
    static final int TRACKED = 1;

    // Bits of a block in the scratch table.
    private static final int CANDIDATE = 1, OWNED = 2, REACHABLE = 4;
    // Per-thread counters.
    private static final int LOCAL_COUNT = 0, TRACKS = 1, UNTRACKS = 2, FREED = 3;

    private static final VarHandle COLLECTING, SCHEDULED, YOUNG_COUNT;
    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            COLLECTING = l.findVarHandle(StopTheWorldCollector.class, "collecting", int.class);
            SCHEDULED = l.findVarHandle(StopTheWorldCollector.class, "scheduled", int.class);
            YOUNG_COUNT = l.findVarHandle(StopTheWorldCollector.class, "youngCount", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long threshold;
    private final int countBatch;
    private final PerThreadCounters counters = new PerThreadCounters(4);
    /** Per thread id: the thread is running {@code delete_garbage}. Each thread reads and writes only its own. */
    private final boolean[] deleting = new boolean[ThreadContext.MAX_THREADS];

    @SuppressWarnings("unused") // through COLLECTING
    private volatile int collecting;
    @SuppressWarnings("unused") // through SCHEDULED
    private volatile int scheduled;
    @SuppressWarnings("unused") // through YOUNG_COUNT
    private volatile long youngCount;
    private volatile long longLivedTotal;

    private Heap heap;
    private CollectorSite site;
    private Allocator allocator;
    private GcBitsField gcBits;
    private ExternalReferences externalRefs;

    // Scratch state of the running collection: used only by the thread that holds `collecting`.
    private final BlockTable table = new BlockTable();
    private int[] markStack = new int[256];
    private int markTop;
    private long[] garbage = new long[256];
    private int garbageCount;
    private final BlockVisitor walkVisitor = table::add;
    private final GcRefs tableRefs = this::decrefIfCandidate;
    private final ReferenceVisitor markVisitor = this::markIfCandidate;
    private final ReferenceVisitor stackRefVisitor = this::addStackRef;

    // Statistics: written by the collecting thread only.
    private volatile long collections, objectsVisited, objectsFreed, pauseNanos;
    private final Histogram pauses = new Histogram(3);

    /** 3.13t's defaults: threshold 2000, counts added in batches of 512. */
    public StopTheWorldCollector() {
        this(DEFAULT_THRESHOLD, DEFAULT_COUNT_BATCH);
    }

    /**
     * @param threshold  young count (tracked allocations minus frees since the last
     *                   collection) above which a collection is scheduled; 0 disables
     *                   automatic collection, as in CPython
     * @param countBatch how many allocations (or frees) a thread counts locally before it adds
     *                   them to the shared young count; at least 1
     */
    public StopTheWorldCollector(long threshold, int countBatch) {
        if (threshold < 0) throw new IllegalArgumentException("threshold must not be negative: " + threshold);
        if (countBatch < 1) throw new IllegalArgumentException("count batch must be at least 1: " + countBatch);
        this.threshold = threshold;
        this.countBatch = countBatch;
    }

    // ---------------------------------------------------------------- SPI

    /** None: 3.13t has no {@code PyGC_Head}. */
    @Override
    public List<HeaderField> preHeaderFields() {
        return List.of();
    }

    /**
     * Checks the configuration: one space, served by this collector, and an {@code ob_gc_bits}
     * byte in the header (declared by {@code per-object-locks}, as in PEP 703's header).
     *
     * @throws IllegalStateException if either is missing, or if already bound
     */
    @Override
    public void bind(Heap heap, CollectorSite site) {
        if (this.heap != null) throw new IllegalStateException("stop-the-world collector already bound");
        // The one space's collector is this one or a decorator of it (the projection's counting
        // collector binds its delegate with the runtime's heap), so only the count is checked.
        if (heap.spaceCount() != 1) {
            throw new IllegalStateException("the stop-the-world collector serves configurations of one space; this one has "
                    + heap.spaceCount());
        }
        Space space = heap.space(0);
        this.gcBits = new GcBitsField(heap.header(), "the stop-the-world collector");
        this.heap = heap;
        this.site = site;
        this.allocator = space.allocator();
        this.externalRefs = new ExternalReferences(heap, "stop-the-world collector", tableRefs);
    }

    /**
     * {@code _PyObject_GC_TRACK} (sets {@code _PyGC_BITS_TRACKED}) and {@code record_allocation}.
     * The bit is set with a plain read and write of the header word, as 3.13t sets it: the
     * object is new, so no other thread can be locking it.
     */
    @Override
    public void track(long object, ThreadContext thread) {
        GcBitsField bits = gcBits;
        if (bits == null) throw new IllegalStateException("stop-the-world collector used before bind");
        bits.setOwned(object, TRACKED);
        counters.add(thread, TRACKS, 1);
        counters.add(thread, LOCAL_COUNT, 1);
        long local = counters.get(thread.id(), LOCAL_COUNT);
        if (local >= countBatch) {
            counters.add(thread, LOCAL_COUNT, -local);
            long young = (long) YOUNG_COUNT.getAndAdd(this, local) + local;
            if (shouldCollect(young) && (int) COLLECTING.getOpaque(this) == 0
                    && SCHEDULED.compareAndSet(this, 0, 1)) {
                site.scheduleOnAllThreads(); // _Py_ScheduleGC
            }
        }
    }

    /**
     * {@code _PyObject_GC_UNTRACK} and {@code record_deallocation}, for an object being freed
     * (so no other thread can be locking it: a plain write, as in 3.13t). An object freed by
     * {@code delete_garbage} on the collecting thread is counted as freed by the collection.
     */
    @Override
    public void untrack(long object, ThreadContext thread) {
        if ((gcBits.get(object) & TRACKED) == 0) return;
        gcBits.clearOwned(object, TRACKED);
        counters.add(thread, UNTRACKS, 1);
        if (deleting[thread.id()] && isGarbage(object)) counters.add(thread, FREED, 1);
        counters.add(thread, LOCAL_COUNT, -1);
        long local = counters.get(thread.id(), LOCAL_COUNT);
        if (local <= -countBatch) {
            counters.add(thread, LOCAL_COUNT, -local);
            YOUNG_COUNT.getAndAdd(this, local);
        }
    }

    /**
     * {@code _Py_HandlePending} for {@code _PY_GC_SCHEDULED_BIT}: clears this thread's bit; the
     * first thread to get here after a schedule runs the collection ({@code _Py_RunGC}), if
     * the threshold is still exceeded.
     */
    @Override
    public void poll(ThreadContext thread) {
        thread.clear(site.breakerBit());
        if (!SCHEDULED.compareAndSet(this, 1, 0)) return;
        collectMain(thread, true);
    }

    /**
     * {@code gc.collect()}: a full collection now, with the world stopped.
     *
     * @param generation 0, 1 or 2, as CPython accepts; all collect everything
     * @return the number of garbage objects freed
     * @throws IllegalArgumentException for another generation
     */
    @Override
    public long collect(int generation, ThreadContext thread) {
        if (generation < 0 || generation > 2) throw new IllegalArgumentException("invalid generation " + generation);
        if (heap == null) throw new IllegalStateException("stop-the-world collector used before bind");
        return collectMain(thread, false);
    }

    /**
     * Work so far. {@code objectsVisited} counts the objects whose {@code gc_refs} were
     * computed; {@code tracked} the containers tracked now; {@code pauseNanos} the sum of
     * all pauses.
     */
    @Override
    public CollectorStatistics statistics() {
        return new CollectorStatistics(collections, objectsVisited, objectsFreed,
                counters.sum(TRACKS) - counters.sum(UNTRACKS), pauseNanos);
    }

    /** A copy of the pause histogram: one value per collection, in nanoseconds. */
    public Histogram pauses() {
        synchronized (pauses) {
            return pauses.copy();
        }
    }

    /** The threshold, as configured. */
    public long threshold() {
        return threshold;
    }

    /** {@code long_lived_total}: objects found reachable by the last collection. */
    public long longLivedTotal() {
        return longLivedTotal;
    }

    // ---------------------------------------------------------------- collection

    /** {@code gc_should_collect}. */
    private boolean shouldCollect(long young) {
        return threshold != 0 && young > threshold && young > longLivedTotal / 4;
    }

    /** {@code gc_collect_main}: one collection at a time. */
    private long collectMain(ThreadContext thread, boolean scheduledByHeap) {
        if (!COLLECTING.compareAndSet(this, 0, 1)) return 0;
        try {
            if (scheduledByHeap && !shouldCollect((long) YOUNG_COUNT.getVolatile(this))) return 0;
            return collectWithWorldStopped(thread);
        } finally {
            COLLECTING.setVolatile(this, 0);
        }
    }

    /** {@code gc_collect_internal}. */
    private long collectWithWorldStopped(ThreadContext thread) {
        long start = System.nanoTime();
        site.stopTheWorld(thread);
        try {
            YOUNG_COUNT.setVolatile(this, 0L);
            // merge_all_queued_objects: biased counts queued for their owners are merged now,
            // so the counts read below are whole; what reaches zero is freed in the pause.
            for (int i = 0; i < heap.spaceCount(); i++) heap.space(i).refcount().processAllPending(thread);
            // process_delayed_frees: no thread can be mid-read now, so no delayed block can be read.
            allocator.reclaimDelayed(thread);
            deduceUnreachable(thread);
        } finally {
            site.startTheWorld(thread);
        }
        long pause = System.nanoTime() - start;
        synchronized (pauses) {
            pauses.recordValue(pause);
        }
        long freed = deleteGarbage(thread);
        collections++;
        objectsFreed += freed;
        pauseNanos += pause;
        return freed;
    }

    /** Steps 2 to 5 of the class comment, with the world stopped. */
    private void deduceUnreachable(ThreadContext thread) {
        garbageCount = 0;
        table.clear();
        if (heap.types() == null) return; // not bootstrapped: no objects yet
        allocator.walk(walkVisitor);
        long metatype = heap.types().typeType();
        int capacity = table.capacity();
        for (int i = 0; i < capacity; i++) {
            long a = table.address(i);
            if (a != 0 && isTrackedObject(i, a, metatype)) table.set(i, CANDIDATE);
        }
        // Blocks owned by objects (list items, dict keys) are no objects.
        for (int i = 0; i < capacity; i++) {
            if (!table.has(i, CANDIDATE)) continue;
            int owned = table.find(heap.auxiliaryBlock(table.address(i)));
            if (owned >= 0) table.set(owned, OWNED);
        }
        // update_refs: the count, then minus the references from inside the set.
        long visited = 0;
        for (int i = 0; i < capacity; i++) {
            if (!table.has(i, CANDIDATE)) continue;
            long refs = table.has(i, OWNED) ? ExternalReferences.IMMORTAL : externalRefs.initialRefs(table.address(i));
            if (refs == ExternalReferences.IMMORTAL) {
                table.unset(i, CANDIDATE);
            } else {
                table.setRefs(i, refs);
                visited++;
            }
        }
        for (int i = 0; i < capacity; i++) {
            if (table.has(i, CANDIDATE)) externalRefs.subtractInternal(table.address(i));
        }
        // gc_visit_thread_stacks: deferred references on the frames, which no count includes.
        site.visitDeferredStackReferences(stackRefVisitor);
        // mark_heap_visitor: what objects referenced from outside reach is alive.
        markTop = 0;
        for (int i = 0; i < capacity; i++) {
            if (!table.has(i, CANDIDATE)) continue;
            externalRefs.checkNotTooSmall(table.address(i), table.refs(i));
            if (table.refs(i) > 0 && !table.has(i, REACHABLE)) {
                table.set(i, REACHABLE);
                pushMark(i);
                while (markTop > 0) heap.traverse(table.address(markStack[--markTop]), markVisitor);
            }
        }
        // scan_heap_visitor: the rest is garbage, kept valid by one more reference until deleted.
        long alive = 0;
        for (int i = 0; i < capacity; i++) {
            if (!table.has(i, CANDIDATE)) continue;
            if (table.has(i, REACHABLE)) {
                alive++;
            } else {
                // disable_deferred_refcounting: garbage is counted normally from here on.
                heap.spaceOf(table.address(i)).refcount().disableDeferred(table.address(i));
                heap.incref(table.address(i), thread);
                addGarbage(table.address(i));
            }
        }
        longLivedTotal = alive;
        objectsVisited += visited;
    }

    /**
     * {@code op_from_block} for a block of pxlab's allocators: tracked, typed by a type object
     * found by the same walk, of a container kind, and large enough for that kind. Reads only
     * inside blocks the walk found.
     */
    private boolean isTrackedObject(int slot, long block, long metatype) {
        int body = heap.bodyOffset();
        long size = table.size(slot);
        if (size < body || (gcBits.get(block) & TRACKED) == 0) return false;
        long type = heap.typeOf(block);
        int t = table.find(type);
        if (t < 0 || table.size(t) < body + TypeObjects.BODY || heap.typeOf(type) != metatype) return false;
        TypeKind kind = heap.kindOf(block);
        if (!kind.container() || size < body + Heap.bodyBytes(kind, 0)) return false;
        // Static types are not GC objects (type_is_gc).
        return kind != TypeKind.TYPE || (Memory.getInt(block + body + TypeObjects.FLAGS) & TypeObjects.HEAPTYPE) != 0;
    }

    /** {@code visit_decref} on the table. */
    private void decrefIfCandidate(long referent) {
        int i = table.find(referent);
        if (i >= 0 && table.has(i, CANDIDATE)) table.decrementRefs(i);
    }

    /** {@code gc_visit_stackref}: one more external reference for a candidate a frame holds uncounted. */
    private void addStackRef(long referent) {
        int i = table.find(referent);
        if (i >= 0 && table.has(i, CANDIDATE)) table.setRefs(i, table.refs(i) + 1);
    }

    /** {@code visit_clear_unreachable}: marks and pushes a candidate not yet marked. */
    private void markIfCandidate(long referent) {
        int i = table.find(referent);
        if (i >= 0 && table.has(i, CANDIDATE) && !table.has(i, REACHABLE)) {
            table.set(i, REACHABLE);
            pushMark(i);
        }
    }

    private void pushMark(int slot) {
        if (markTop == markStack.length) markStack = Arrays.copyOf(markStack, markTop * 2);
        markStack[markTop++] = slot;
    }

    private void addGarbage(long object) {
        if (garbageCount == garbage.length) garbage = Arrays.copyOf(garbage, garbageCount * 2);
        garbage[garbageCount++] = object;
    }

    /** Whether the running collection found {@code object} unreachable. Only its own thread asks. */
    private boolean isGarbage(long object) {
        int i = table.find(object);
        return i >= 0 && table.has(i, CANDIDATE) && !table.has(i, REACHABLE);
    }

    /** {@code delete_garbage}, with the world running; returns how many garbage objects were freed. */
    private long deleteGarbage(ThreadContext thread) {
        int tid = thread.id();
        long before = counters.get(tid, FREED);
        deleting[tid] = true;
        try {
            for (int k = 0; k < garbageCount; k++) externalRefs.clearAndRelease(garbage[k], thread);
        } finally {
            deleting[tid] = false;
            garbageCount = 0;
        }
        return counters.get(tid, FREED) - before;
    }

    @Override
    public String toString() {
        return "stop-the-world (threshold " + threshold + ")";
    }
}
