package org.pxlab.refcount;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.layout.HeaderField;
import org.pxlab.runtime.layout.Ranks;
import org.pxlab.runtime.layout.StructLayout;
import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.object.Functions;
import org.pxlab.runtime.object.TypeKind;
import org.pxlab.runtime.object.TypeObjects;
import org.pxlab.runtime.spi.RefCountSite;
import org.pxlab.runtime.spi.RefCountStrategy;

/**
 * Biased reference counts ({@code biased}), as CPython's free-threaded build counts them
 * (PEP 703; Choi, Shull and Torrellas, "Biased Reference Counting", PACT 2018).
 *
 * <p><b>Sources</b> (CPython 3.13, {@code Py_GIL_DISABLED}):
 * {@code Include/object.h} / {@code Include/refcount.h} ({@code Py_INCREF}, {@code Py_DECREF},
 * {@code _Py_IsOwnedByCurrentThread}, {@code Py_REFCNT}), {@code Objects/object.c}
 * ({@code _Py_DecRefShared}, {@code _Py_MergeZeroLocalRefcount},
 * {@code _Py_ExplicitMergeRefcount}), {@code Include/internal/pycore_object.h}
 * ({@code _Py_TryIncrefFast}, {@code _Py_TryIncRefShared}, {@code _PyObject_SetMaybeWeakref},
 * {@code _Py_SetImmortal}), {@code Python/brc.c} (the merge queues) and
 * {@code Python/gc_free_threading.c} ({@code merge_all_queued_objects}). Written from their
 * description, not copied.
 *
 * <p><b>Header.</b> {@code ob_tid} (8 bytes: the owner thread, here its id + 1; 0 means no
 * owner, i.e. merged), {@code ob_ref_local} (4 bytes, unsigned: the owner's count) and
 * {@code ob_ref_shared} (8 bytes: every other thread's count shifted left by 2, may be negative,
 * and in its low two bits the state {@link #INIT}, {@link #MAYBE_WEAKREF}, {@link #QUEUED},
 * {@link #MERGED}). The logical count is {@code local + (shared >> 2)}.
 *
 * <p><b>Fast paths.</b> The owner increments and decrements {@code ob_ref_local} with a plain
 * (relaxed) store: no atomic, no fence. Any other thread adds 4 to {@code ob_ref_shared} with
 * one atomic add, and decrements it with a CAS loop (it must see the state bits).
 *
 * <p><b>Slow paths.</b>
 * <ul>
 * <li><em>Owner reaches local 0</em> ({@code _Py_MergeZeroLocalRefcount}): if
 *     {@code ob_ref_shared} is 0 (no shared count, state INIT) the object is dead and is freed
 *     with no atomic read-modify-write at all; otherwise {@code ob_tid} is cleared and the state
 *     CASed to MERGED, and the object is freed only if the shared count was 0 then.</li>
 * <li><em>Non-owner finds shared 0</em> ({@code _Py_DecRefShared}, state INIT or
 *     MAYBE_WEAKREF): it does not subtract; it sets QUEUED and pushes the object onto its owner's
 *     queue, which now holds that reference ({@code _Py_brc_queue_object}), and sets the owner's
 *     merge bit ({@link RefCountSite#schedule}). Later decrements in the QUEUED state subtract
 *     and may drive the shared count negative.</li>
 * <li><em>Merge</em> ({@code _Py_ExplicitMergeRefcount(op, -1)}, at the owner's next
 *     eval-breaker check ({@link #processPending}), at its exit ({@link #threadExiting}) or by the
 *     collector with the world stopped ({@link #processAllPending})): one CAS folds
 *     {@code local + (shared >> 2) - 1} into {@code ob_ref_shared} with state MERGED, then
 *     clears {@code ob_ref_local} and {@code ob_tid}; at 0 the object is freed through the
 *     runtime ({@link RefCountSite#release}).</li>
 * <li><em>Owner gone</em>: the queue lookup finds no thread ({@code find_thread_state} returns
 *     NULL after {@code _Py_brc_remove_thread}): the decrementing thread merges itself and
 *     frees at 0. If it finds {@code ob_tid} already 0 (merged meanwhile) it decrements again
 *     as a non-owner.</li>
 * </ul>
 * The queues are CPython's: 257 buckets keyed by {@code tid % 257}, each a lock and a list of
 * the threads that hash there; each thread has a stack of objects to merge, taken whole under
 * the bucket lock and drained outside it.
 *
 * <p><b>Immortal</b> objects have {@code ob_ref_local == UINT32_MAX}: increments (whose
 * {@code local + 1} wraps to 0) and decrements return before writing; {@code Py_REFCNT} reports
 * {@code UINT32_MAX}. {@link #makeImmortal} stores {@code ob_tid = 0}, local {@code UINT32_MAX},
 * shared 0 ({@code _Py_SetImmortal}). The {@code immortal} modifier (kinds given at creation)
 * makes the heap immortalize objects of those kinds as they are allocated
 * ({@link #immortalAtCreation}).
 *
 * <p><b>Try-incref</b> ({@code _Py_TryIncrefFast} || {@code _Py_TryIncRefShared}): succeeds on
 * an immortal or for the owner at once; otherwise CASes 4 onto {@code ob_ref_shared} unless it
 * reads exactly 0 or exactly MERGED. A shared word of 0 (INIT, no shared count) refuses because
 * the owner may free the object at local 0 without any atomic; the MAYBE_WEAKREF state exists to
 * lift that: once set the owner's merge goes through the CAS, so a
 * non-owner may increment from 0 (pxlab never sets it: see below). A refused try-incref sends
 * the optimistic reader to the lock.
 * {@code ob_tid} is not needed after free ({@link #readAfterFree}): an allocator's free-list
 * link there names no thread, so the owner test fails.
 *
 * <p><b>Deferred</b> objects (the {@code deferred} modifier, CPython 3.14t's
 * {@code _PyObject_SetDeferredRefcount}, {@code Objects/object.c}): made with
 * {@code ob_ref_shared = _Py_REF_DEFERRED << 2} ({@link #DEFERRED}, {@code PY_SSIZE_T_MAX / 8},
 * {@code pycore_object.h}), a bias no reference stands for, so that no decrement can free them;
 * frames hold uncounted (tagged) references to them; only the stop-the-world collector, which
 * takes the bias off and adds the frames' references, finds them dead, and then makes them
 * ordinary ({@link #disableDeferred}) before it clears them. 3.14t marks them with
 * {@code _PyGC_BITS_DEFERRED} in {@code ob_gc_bits}; pxlab reads the bias itself
 * ({@link #isDeferred}: a shared count of at least half of it, which no ordinary object reaches),
 * because {@code ob_gc_bits} belongs to the collector's and the locks' components.
 *
 * <p><b>Per-thread slots</b> (the {@code per-thread-slots} modifier, 3.14t): heap types and code
 * objects get a unique id, and the references instances take on their type and functions on their
 * code go to the taking thread's plain slot ({@link PerThreadRefCounts}); such objects are also
 * deferred, as {@code _PyObject_AssignUniqueId} makes them. The collector's pause and thread exit
 * merge the slots ({@link #processAllPending}, {@link #threadExiting}).
 *
 * <p><b>No weak references, so no MAYBE_WEAKREF.</b> 3.13t sets that state where a weak
 * reference is made ({@code init_weakref}), the one place CPython's core needs a non-owner to
 * try-incref from a shared count of 0. pxlab models no weak references, so the state is never
 * set; {@link #decref} and {@link #tryIncref} still honour it as {@code brc.c} does.
 *
 * <p>Hot paths allocate nothing: the queue push grows a {@code long[]} on rare occasions only.
 */
public final class BiasedRefCount implements RefCountStrategy {
    /** {@code _Py_IMMORTAL_REFCNT_LOCAL}: {@code UINT32_MAX} as a Java int. */
    public static final int IMMORTAL_LOCAL = -1;
    /** What {@link #referenceCount} reports for an immortal ({@code UINT32_MAX}). */
    public static final long IMMORTAL_REFCNT = 0xFFFF_FFFFL;
    /** {@code _Py_REF_SHARED_SHIFT}. */
    public static final int SHARED_SHIFT = 2;
    /** One reference in {@code ob_ref_shared}. */
    public static final long ONE_SHARED = 1L << SHARED_SHIFT;
    /** {@code _Py_REF_SHARED_FLAG_MASK}. */
    public static final long FLAG_MASK = 0x3;
    /** States in the low bits of {@code ob_ref_shared} ({@code _Py_REF_SHARED_INIT} ...). */
    public static final long INIT = 0, MAYBE_WEAKREF = 1, QUEUED = 2, MERGED = 3;
    /** {@code BRC_NUM_BUCKETS}. */
    public static final int BUCKETS = 257;
    /** {@code _Py_REF_DEFERRED}: {@code PY_SSIZE_T_MAX / 8}. */
    public static final long DEFERRED = Long.MAX_VALUE / 8;

    private static final String OWNER = "biased";
    private static final HeaderField OB_TID = new HeaderField("ob_tid", 8, Ranks.OWNER, OWNER);
    private static final HeaderField OB_REF_LOCAL = new HeaderField("ob_ref_local", 4, Ranks.REFCOUNT, OWNER);
    private static final HeaderField OB_REF_SHARED = new HeaderField("ob_ref_shared", 8, Ranks.REFCOUNT, OWNER);

    private final Set<TypeKind> immortalKinds;
    /** Per {@link TypeKind} ordinal: made deferred at creation; made deferred with a per-thread id. */
    private final boolean[] deferredKind = new boolean[TypeKind.values().length], slotKind = new boolean[TypeKind.values().length];
    private final boolean defers;
    private final PerThreadRefCounts perThread;
    private int tid = -1, local = -1, shared = -1, body = -1;
    private RefCountSite site;
    private final BrcBucket[] buckets = new BrcBucket[BUCKETS];
    /** The registered queue of each thread id (each thread reaches its own without the bucket). */
    private final BrcMergeQueue[] byId = new BrcMergeQueue[ThreadContext.MAX_THREADS];
    /** The collector's scratch for {@link #processAllPending}; used with the world stopped only. */
    private long[] collectorScratch = new long[64];
    /** Objects queued for an owner, and objects merged by anyone: for tests and reports. */
    private final java.util.concurrent.atomic.LongAdder queued = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder merged = new java.util.concurrent.atomic.LongAdder();

    /** Biased counts with no kinds immortalized at creation. */
    public BiasedRefCount() {
        this(EnumSet.noneOf(TypeKind.class));
    }

    /** Biased counts whose objects of {@code immortalKinds} are immortal from their creation (the {@code immortal} modifier). */
    public BiasedRefCount(Set<TypeKind> immortalKinds) {
        this(immortalKinds, Set.of(), Set.of());
    }

    /**
     * Biased counts with the {@code immortal}, {@code deferred} and {@code per-thread-slots}
     * modifiers: objects of {@code deferredKinds} are deferred from their creation, those of
     * {@code slotKinds} ({@link TypeKind#TYPE}, {@link TypeKind#CODE} only) deferred with a
     * per-thread id.
     *
     * @throws IllegalArgumentException if {@code slotKinds} names another kind, or a kind is
     *         both immortal and deferred
     */
    public BiasedRefCount(Set<TypeKind> immortalKinds, Set<TypeKind> deferredKinds, Set<TypeKind> slotKinds) {
        this.immortalKinds = immortalKinds.isEmpty() ? EnumSet.noneOf(TypeKind.class) : EnumSet.copyOf(immortalKinds);
        for (TypeKind k : slotKinds) {
            if (k != TypeKind.TYPE && k != TypeKind.CODE) throw new IllegalArgumentException("per-thread slots are for types and code, not " + k);
            slotKind[k.ordinal()] = true;
        }
        for (TypeKind k : deferredKinds) deferredKind[k.ordinal()] = true;
        for (TypeKind k : immortalKinds) {
            if (deferredKind[k.ordinal()] || slotKind[k.ordinal()]) throw new IllegalArgumentException(k + " cannot be both immortal and deferred");
        }
        this.defers = !deferredKinds.isEmpty() || !slotKinds.isEmpty();
        this.perThread = slotKinds.isEmpty() ? null : new PerThreadRefCounts(this);
        for (int i = 0; i < BUCKETS; i++) buckets[i] = new BrcBucket();
    }

    // ---------------------------------------------------------------- layout

    @Override
    public List<HeaderField> headerFields() {
        return List.of(OB_TID, OB_REF_LOCAL, OB_REF_SHARED);
    }

    @Override
    public void bind(StructLayout header) {
        tid = header.offsetOf("ob_tid");
        local = header.offsetOf("ob_ref_local");
        shared = header.offsetOf("ob_ref_shared");
        body = header.size();
    }

    @Override
    public void bindSite(RefCountSite site) {
        this.site = site;
    }

    @Override
    public boolean readAfterFree(HeaderField field) {
        return !field.name().equals("ob_tid");
    }

    @Override
    public boolean immortalAtCreation(TypeKind kind) {
        return immortalKinds.contains(kind);
    }

    /** The kinds this instance immortalizes at creation. */
    public Set<TypeKind> immortalKinds() {
        return EnumSet.copyOf(immortalKinds.isEmpty() ? EnumSet.noneOf(TypeKind.class) : immortalKinds);
    }

    /** {@code _Py_ThreadId()} of a runtime thread: never 0, which means "no owner". */
    static long tidOf(ThreadContext thread) {
        return thread.id() + 1L;
    }

    // ---------------------------------------------------------------- counting

    @Override
    public void initialize(long object, ThreadContext thread) {
        // _Py_NewReference: not yet visible to other threads, plain stores.
        Memory.putLong(object + tid, tidOf(thread));
        Memory.putInt(object + local, 1);
        Memory.putLong(object + shared, 0L);
    }

    @Override
    public void incref(long object, ThreadContext thread) {
        int l = Memory.getIntOpaque(object + local);
        int next = l + 1;
        if (next == 0) return; // UINT32_MAX: immortal, never written
        if (Memory.getLongOpaque(object + tid) == tidOf(thread)) {
            Memory.putIntOpaque(object + local, next); // the owner: a plain store
        } else {
            Memory.getAndAddLongRelaxed(object + shared, ONE_SHARED);
        }
    }

    @Override
    public boolean decref(long object, ThreadContext thread) {
        int l = Memory.getIntOpaque(object + local);
        if (l == IMMORTAL_LOCAL) return false;
        if (Memory.getLongOpaque(object + tid) == tidOf(thread)) {
            Memory.putIntOpaque(object + local, --l);
            return l == 0 && mergeZeroLocal(object);
        }
        return decrefShared(object, thread);
    }

    /** {@code _Py_MergeZeroLocalRefcount}: the owner's count just reached 0. Returns whether to free now. */
    private boolean mergeZeroLocal(long object) {
        long at = object + shared;
        long s = Memory.getLongAcquire(at);
        // No shared count and no state: nobody else ever counted it. Freed with no atomic RMW.
        if (s == 0) return true;
        // Before the state changes (gh-119999, gh-121794): a zero ob_tid implies merged.
        Memory.putLongOpaque(object + tid, 0L);
        long next;
        do {
            next = (s & ~FLAG_MASK) | MERGED;
            if (Memory.compareAndSetLong(at, s, next)) break;
            s = Memory.getLongVolatile(at);
        } while (true);
        return next == MERGED; // shared count 0: the last reference is gone
    }

    /** {@code _Py_DecRefShared}: a non-owner's decrement. Returns whether to free now. */
    private boolean decrefShared(long object, ThreadContext thread) {
        long at = object + shared;
        long s = Memory.getLongOpaque(at);
        while (true) {
            boolean queue = s == INIT || s == MAYBE_WEAKREF;
            // Queueing does not subtract: the queue holds this reference until the merge.
            long next = queue ? QUEUED : s - ONE_SHARED;
            if (Memory.compareAndSetLong(at, s, next)) {
                if (queue) return enqueue(object, thread);
                return next == MERGED; // count 0 and merged: the last reference
            }
            s = Memory.getLongVolatile(at);
        }
    }

    /** {@code _Py_brc_queue_object}. Returns whether the caller must free the object now. */
    private boolean enqueue(long object, ThreadContext thread) {
        long owner = Memory.getLongVolatile(object + tid);
        if (owner == 0) {
            // The owner merged meanwhile: drop the reference the ordinary way (Py_DECREF).
            return decrefShared(object, thread);
        }
        BrcBucket bucket = buckets[(int) Long.remainderUnsigned(owner, BUCKETS)];
        BrcMergeQueue q;
        synchronized (bucket) {
            q = bucket.find(owner);
            if (q != null) {
                q.push(object);
                queued.increment();
            }
        }
        if (q == null) {
            // The owner has exited (_Py_brc_remove_thread): its objects are abandoned, and
            // the thread that drops the queued reference merges them itself.
            merged.increment();
            return explicitMerge(object, -1) == 0;
        }
        if (site != null) site.schedule(q.thread);
        return false;
    }

    /** {@code _Py_ExplicitMergeRefcount}: folds the count into {@code ob_ref_shared}, MERGED; returns the count. */
    long explicitMerge(long object, long extra) {
        long at = object + shared;
        long s = Memory.getLongOpaque(at);
        long count;
        while (true) {
            count = (s >> SHARED_SHIFT) + Integer.toUnsignedLong(Memory.getIntOpaque(object + local)) + extra;
            if (Memory.compareAndSetLong(at, s, (count << SHARED_SHIFT) | MERGED)) break;
            s = Memory.getLongVolatile(at);
        }
        Memory.putIntOpaque(object + local, 0);
        Memory.putLongOpaque(object + tid, 0L);
        return count;
    }

    /**
     * {@code _Py_TryIncrefFast} then {@code _Py_TryIncRefShared}: see the class comment. The
     * caller re-checks the slot it read the object from and decrements on a mismatch.
     */
    @Override
    public boolean tryIncref(long object, ThreadContext thread) {
        int l = Memory.getIntOpaque(object + local);
        if (l == IMMORTAL_LOCAL) return true;
        if (Memory.getLongOpaque(object + tid) == tidOf(thread)) {
            Memory.putIntOpaque(object + local, l + 1);
            return true;
        }
        long at = object + shared;
        long s = Memory.getLongOpaque(at);
        while (true) {
            // 0: the owner may free it without an atomic; MERGED with count 0: dead.
            if (s == INIT || s == MERGED) return false;
            if (Memory.compareAndSetLong(at, s, s + ONE_SHARED)) return true;
            s = Memory.getLongVolatile(at);
        }
    }

    @Override
    public long referenceCount(long object) {
        int l = Memory.getIntOpaque(object + local);
        if (l == IMMORTAL_LOCAL) return IMMORTAL_REFCNT;
        return Integer.toUnsignedLong(l) + (Memory.getLongAcquire(object + shared) >> SHARED_SHIFT);
    }

    @Override
    public void makeImmortal(long object) {
        // _Py_SetImmortal: unowned, the local sentinel, no shared count.
        Memory.putLongOpaque(object + tid, 0L);
        Memory.putLongOpaque(object + shared, 0L);
        Memory.putIntRelease(object + local, IMMORTAL_LOCAL);
    }

    @Override
    public boolean isImmortal(long object) {
        return Memory.getIntOpaque(object + local) == IMMORTAL_LOCAL;
    }

    @Override
    public boolean isThreadSafe() {
        return true;
    }

    // ---------------------------------------------------------------- deferred counts and per-thread slots (3.14t)

    @Override
    public void objectCreated(long object, TypeKind kind, ThreadContext thread) {
        if (slotKind[kind.ordinal()]) {
            perThread.assign(object, idField(object, kind)); // _PyObject_AssignUniqueId, which also defers
            setDeferred(object);
        } else if (deferredKind[kind.ordinal()]) {
            setDeferred(object);
        }
    }

    private long idField(long object, TypeKind kind) {
        return object + body + (kind == TypeKind.TYPE ? TypeObjects.UNIQUE_ID : Functions.CODE_UNIQUE_ID);
    }

    /** {@code _PyObject_SetDeferredRefcount}: the creator owns the object, so a plain store. */
    private void setDeferred(long object) {
        Memory.putLong(object + shared, DEFERRED << SHARED_SHIFT);
    }

    @Override
    public boolean defersAny() {
        return defers;
    }

    @Override
    public boolean isDeferred(long object) {
        return defers && (Memory.getLongOpaque(object + shared) >> SHARED_SHIFT) >= DEFERRED / 2;
    }

    @Override
    public long deferredBias() {
        return DEFERRED;
    }

    /** {@code disable_deferred_refcounting}: the bias off, {@code merge_refcount(op, 0)}, the id given back. World stopped. */
    @Override
    public void disableDeferred(long object) {
        if (!isDeferred(object)) return;
        long count = Integer.toUnsignedLong(Memory.getIntOpaque(object + local))
                + ((Memory.getLongOpaque(object + shared) >> SHARED_SHIFT) - DEFERRED);
        Memory.putLongOpaque(object + tid, 0L);
        Memory.putIntOpaque(object + local, 0);
        Memory.putLongVolatile(object + shared, (count << SHARED_SHIFT) | MERGED);
        if (perThread != null) perThread.release(object);
    }

    /** Adds {@code n} references to {@code ob_ref_shared} atomically (a per-thread slot's merge). */
    void addShared(long object, long n) {
        if (!isImmortal(object)) Memory.getAndAddLongRelaxed(object + shared, n << SHARED_SHIFT);
    }

    @Override
    public void increfType(long type, ThreadContext thread) {
        if (perThread == null || !perThread.increment(Memory.getLong(type + body + TypeObjects.UNIQUE_ID), thread)) incref(type, thread);
    }

    @Override
    public boolean decrefType(long type, ThreadContext thread) {
        if (perThread != null && perThread.decrement(Memory.getLong(type + body + TypeObjects.UNIQUE_ID), thread)) return false;
        return decref(type, thread);
    }

    @Override
    public void increfCode(long code, ThreadContext thread) {
        if (perThread == null || !perThread.increment(Memory.getLong(code + body + Functions.CODE_UNIQUE_ID), thread)) incref(code, thread);
    }

    @Override
    public boolean decrefCode(long code, ThreadContext thread) {
        if (perThread != null && perThread.decrement(Memory.getLong(code + body + Functions.CODE_UNIQUE_ID), thread)) return false;
        return decref(code, thread);
    }

    /** The per-thread slots, or {@code null} without the modifier (tests). */
    PerThreadRefCounts perThreadSlots() {
        return perThread;
    }

    // ---------------------------------------------------------------- raw fields, for tests and reports

    /** {@code ob_tid}: the owner's id + 1, 0 when merged or immortal. */
    public long ownerTid(long object) {
        return Memory.getLongOpaque(object + tid);
    }

    /** {@code ob_ref_local}, unsigned. */
    public long localCount(long object) {
        return Integer.toUnsignedLong(Memory.getIntOpaque(object + local));
    }

    /** {@code ob_ref_shared}, raw (count << 2 | state). */
    public long sharedWord(long object) {
        return Memory.getLongVolatile(object + shared);
    }

    /** Objects pushed onto an owner's queue so far. */
    public long queuedObjects() {
        return queued.sum();
    }

    /** Objects merged so far (from a queue, or abandoned by an exited owner). */
    public long mergedObjects() {
        return merged.sum();
    }

    // ---------------------------------------------------------------- queues (Python/brc.c)

    @Override
    public void threadStarted(ThreadContext thread) {
        if (perThread != null) perThread.threadStarted(thread);
        long t = tidOf(thread);
        BrcMergeQueue q = new BrcMergeQueue(t, thread);
        BrcBucket bucket = buckets[(int) (t % BUCKETS)];
        synchronized (bucket) {
            BrcMergeQueue old = bucket.find(t);
            if (old != null) bucket.remove(old); // an id reused without an exit: the new thread owns its objects
            q.next = bucket.head;
            bucket.head = q;
            byId[thread.id()] = q;
        }
    }

    /** {@code _Py_brc_merge_refcounts}: merges {@code thread}'s queue. */
    @Override
    public void processPending(ThreadContext thread) {
        if (site != null) thread.clear(site.breakerBit());
        BrcMergeQueue q = byId[thread.id()];
        if (q == null || q.thread != thread) return;
        BrcBucket bucket = buckets[(int) (q.tid % BUCKETS)];
        int n;
        synchronized (bucket) {
            // Take the whole stack; pushes meanwhile go to the other array.
            long[] taken = q.pending;
            n = q.size;
            q.pending = q.draining;
            q.size = 0;
            q.draining = taken;
        }
        drain(q.draining, n, thread);
    }

    private void drain(long[] objects, int n, ThreadContext thread) {
        for (int i = 0; i < n; i++) {
            long o = objects[i];
            objects[i] = 0L;
            merged.increment();
            // Subtract one: the queue held a reference.
            if (explicitMerge(o, -1) == 0) site.release(o, thread);
        }
    }

    /** {@code _Py_brc_remove_thread}: merge until the queue is empty, then leave the bucket. */
    @Override
    public void threadExiting(ThreadContext thread) {
        if (perThread != null) perThread.finalizeThread(thread); // _PyObject_FinalizePerThreadRefcounts
        BrcMergeQueue q = byId[thread.id()];
        if (q == null || q.thread != thread) return;
        BrcBucket bucket = buckets[(int) (q.tid % BUCKETS)];
        while (true) {
            processPending(thread);
            synchronized (bucket) {
                if (q.size == 0) {
                    bucket.remove(q);
                    byId[thread.id()] = null;
                    return;
                }
            }
        }
    }

    /** {@code merge_all_queued_objects}: every queue, with the world stopped, until all are empty. */
    @Override
    public void processAllPending(ThreadContext thread) {
        // gc_collect_internal: each thread's per-thread counts, then the queues.
        if (perThread != null) perThread.mergeAll();
        boolean found = true;
        while (found) {
            found = false;
            for (BrcBucket bucket : buckets) {
                for (int k = 0; ; k++) {
                    int n;
                    synchronized (bucket) {
                        BrcMergeQueue q = bucket.at(k);
                        if (q == null) break;
                        n = q.size;
                        if (n == 0) continue;
                        if (collectorScratch.length < n) collectorScratch = new long[Math.max(n, 2 * collectorScratch.length)];
                        System.arraycopy(q.pending, 0, collectorScratch, 0, n);
                        q.size = 0;
                        q.thread.clear(site == null ? 0 : site.breakerBit());
                    }
                    found = true;
                    // Freeing may queue more objects (children owned by other threads): hence the outer loop.
                    drain(collectorScratch, n, thread);
                }
            }
        }
    }
}
