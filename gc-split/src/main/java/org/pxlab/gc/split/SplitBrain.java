package org.pxlab.gc.split;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.context.ContextArenas;
import org.pxlab.runtime.context.RequestArenaUse;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.layout.HeaderField;
import org.pxlab.runtime.layout.Ranks;
import org.pxlab.runtime.layout.StructLayout;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.object.Space;
import org.pxlab.runtime.spi.StoreBarrier;
import org.pxlab.runtime.spi.SyncDiscipline;
import org.pxlab.runtime.spi.SyncSite;
import org.pxlab.runtime.spi.SyncStatistics;

/**
 * PyParallel's split brain as a sync discipline ({@code split-brain}), after
 * {@code pyparallel/pyparallel}, branch {@code 3.3-px} ({@code Python/pyparallel.c},
 * {@code Include/pyparallel.h}, {@code Python/ceval.c}).
 *
 * <p><b>Who is main.</b> The main thread is the GIL holder. The runtime's main thread takes
 * the GIL when it attaches and gives it back when it waits in its loop; parallel threads never
 * take it to run, only to act as main for a moment ({@link #enterMain}: a protected store, a
 * result copied into the main heap). "Am I parallel?" ({@code Py_PXCTX()}) is a compare of the
 * thread's allocation space with the context space: the runtime makes it before every refcount
 * operation (refcounts are {@code elided} in parallel code) and the guard before every store.
 *
 * <p><b>Contexts.</b> A connection runs in a {@link ParallelContext}, taken from a pool (made
 * on first need, then reused, its connection heap rewound at each reuse). A request is bracketed
 * by a snapshot of the context's request heap and a rollback to it. The context space's
 * allocator is a {@link ContextArenas} router; the thread allocates in the arena of the context
 * and scope it is in, and outside any context it cannot allocate in that space at all.
 *
 * <p><b>The header extra</b> that PyParallel added to every object, main ones included:
 * {@code is_px}, {@code px_flags} and {@code orig_type}, 24 bytes. Here the runtime's
 * {@code ob_space} tag (4 bytes and 4 of padding) plays {@code is_px}'s part, the owner test;
 * {@code px_flags} holds {@code async.protect}'s state; {@code orig_type} is carried as the
 * footprint it was. The header is 40 bytes, as PyParallel's was on x64.
 *
 * <p><b>Collection</b> runs only on a thread in the main role ({@link #mayCollect}); the
 * runtime refuses {@code gc.collect()} elsewhere. Parallel objects are never tracked (the
 * context space's collector is {@code arena-release}).
 *
 * <p><b>Protected objects</b> are locked through the object model's critical sections
 * ({@link #lock}): reads and stores alike, exclusively.
 */
public final class SplitBrain implements SyncDiscipline, RequestArenaUse.Source {
    /** Header fields: PyParallel's {@code _PyObject_HEAD_EXTRA}. */
    public static final String PX_FLAGS = "px_flags", ORIG_TYPE = "orig_type";

    private final boolean completeGuard;
    private final ReentrantLock gil = new ReentrantLock();
    private final ParallelContext[] current = new ParallelContext[ThreadContext.MAX_THREADS];
    private final int[] mainDepth = new int[ThreadContext.MAX_THREADS];
    private final Placement[] placementBeforeMain = new Placement[ThreadContext.MAX_THREADS];
    /** Per thread: protected critical sections held, and which of them took the main role (a bit per depth). */
    private final int[] sectionDepth = new int[ThreadContext.MAX_THREADS];
    private final long[] sectionEnteredMain = new long[ThreadContext.MAX_THREADS];
    private final ArrayDeque<ParallelContext> idle = new ArrayDeque<>();
    private final List<ParallelContext> contexts = new ArrayList<>();
    private PersistenceGuard guard;
    private ProtectedObjects protection;
    private Heap heap;
    private SyncSite site;
    private ContextArenas arenas;
    private int contextSpace = -1;
    private volatile long gilAcquisitions, gilContended, gilWaitNanos;

    /**
     * @param completeGuard {@code true} for the complete persistence guard, {@code false} for
     *                      PyParallel's own ({@code guard: faithful})
     */
    public SplitBrain(boolean completeGuard) {
        this.completeGuard = completeGuard;
    }

    @Override
    public List<HeaderField> headerFields() {
        return List.of(new HeaderField(PX_FLAGS, 8, Ranks.HEAD_EXTRA, "split-brain"),
                new HeaderField(ORIG_TYPE, 8, Ranks.HEAD_EXTRA, "split-brain"));
    }

    /**
     * @throws IllegalStateException unless exactly one space is per-context (a thread-private
     *         space with a context arena) and its refcount strategy elides
     */
    @Override
    public void bind(StructLayout header, SyncSite site) {
        this.site = site;
        this.heap = site.heap();
        for (int i = 0; i < heap.spaceCount(); i++) {
            Space s = heap.space(i);
            if (s.allocator() instanceof ContextArenas a) {
                if (contextSpace >= 0) throw new IllegalStateException("split-brain: two per-context spaces, "
                        + heap.space(contextSpace).name() + " and " + s.name() + "; it models one");
                contextSpace = i;
                arenas = a;
            }
        }
        if (contextSpace < 0) {
            throw new IllegalStateException("split-brain needs a per-context space: a thread-private space whose allocator"
                    + " is a context arena (bump-arena)");
        }
        if (!heap.space(contextSpace).refcount().elidesForItsThreads()) {
            throw new IllegalStateException("split-brain: the context space " + heap.space(contextSpace).name()
                    + " must use the elided refcount strategy, not " + heap.space(contextSpace).refcount());
        }
        protection = new ProtectedObjects(header.offsetOf(PX_FLAGS));
        guard = new PersistenceGuard(this, completeGuard);
    }

    // ---- who is main ----

    /** Whether the thread runs parallel code now ({@code Py_PXCTX()}). */
    boolean isParallel(ThreadContext thread) {
        return thread.allocationSpace() == contextSpace;
    }

    /** Whether the object lives in a context's space ({@code Py_ISPX}). */
    boolean isParallelObject(long object) {
        return heap.spaceOf(object).index() == contextSpace;
    }

    /** The main thread takes the GIL to run; parallel threads take nothing. */
    @Override
    public void attach(ThreadContext thread) {
        if (!isParallel(thread)) takeGil();
    }

    @Override
    public void detach(ThreadContext thread) {
        if (!isParallel(thread)) gil.unlock();
    }

    /** Nothing to poll: there is no switch interval; main keeps the GIL until it waits in its loop. */
    @Override
    public void poll(ThreadContext thread) {
    }

    @Override
    public void enterMain(ThreadContext thread) {
        int id = thread.id();
        if (mainDepth[id]++ > 0 || !isParallel(thread)) return;
        takeGil();
        placementBeforeMain[id] = thread.placement();
        site.placeIn(thread, Placement.MAIN);
    }

    @Override
    public void exitMain(ThreadContext thread) {
        int id = thread.id();
        if (mainDepth[id] == 0) throw new IllegalStateException("exitMain without enterMain on " + thread);
        if (--mainDepth[id] > 0) return;
        Placement before = placementBeforeMain[id];
        if (before == null) return; // the main thread: it held the GIL already
        placementBeforeMain[id] = null;
        site.placeIn(thread, before);
        gil.unlock();
    }

    private void takeGil() {
        if (gil.tryLock()) {
            gilAcquisitions++;
            return;
        }
        long start = System.nanoTime();
        gil.lock();
        gilAcquisitions++;
        gilContended++;
        gilWaitNanos += System.nanoTime() - start;
    }

    @Override
    public boolean mayCollect(ThreadContext thread) {
        return !isParallel(thread);
    }

    // ---- contexts ----

    @Override
    public void beginConnection(ThreadContext thread) {
        if (current[thread.id()] != null) throw new IllegalStateException(thread + " already serves a connection in " + current[thread.id()]);
        ParallelContext ctx = takeContext();
        current[thread.id()] = ctx;
        site.placeIn(thread, Placement.PARALLEL_CONTEXT);
        arenas.enter(thread, ctx.connection, null);
    }

    private ParallelContext takeContext() {
        ParallelContext ctx;
        synchronized (idle) {
            ctx = idle.pollFirst();
        }
        if (ctx != null) {
            ctx.connection.rollback(ctx.connectionStart); // _PxContext_Rewind: the context is reused
            return ctx;
        }
        synchronized (contexts) {
            ctx = new ParallelContext(contexts.size(), arenas.newArena(), arenas.newArena());
            contexts.add(ctx);
        }
        return ctx;
    }

    @Override
    public void endConnection(ThreadContext thread) {
        ParallelContext ctx = contextOrFail(thread, "end a connection");
        if (ctx.inRequest()) endRequest(thread);
        current[thread.id()] = null;
        arenas.leave(thread);
        synchronized (idle) {
            idle.addFirst(ctx);
        }
    }

    @Override
    public void beginRequest(ThreadContext thread) {
        ParallelContext ctx = contextOrFail(thread, "begin a request");
        if (ctx.inRequest()) throw new IllegalStateException(thread + " begins a request while one is in flight in " + ctx);
        ctx.requestSnapshot = ctx.request.snapshot();
        arenas.enter(thread, ctx.request, ctx.connection);
    }

    @Override
    public void endRequest(ThreadContext thread) {
        ParallelContext ctx = contextOrFail(thread, "end a request");
        long snapshot = ctx.requestSnapshot;
        if (snapshot == 0) throw new IllegalStateException(thread + " ends a request that was not begun in " + ctx);
        ctx.requestSnapshot = 0;
        arenas.enter(thread, ctx.connection, null);
        ctx.noteRequest(ctx.request.bytesSince(snapshot));
        ctx.request.rollback(snapshot);
        ctx.request.discard(snapshot);
    }

    private ParallelContext contextOrFail(ThreadContext thread, String what) {
        ParallelContext ctx = current[thread.id()];
        if (ctx == null) throw new IllegalStateException(thread + " cannot " + what + ": it serves no connection");
        return ctx;
    }

    /** The context the thread runs in, or null. */
    ParallelContext contextOf(ThreadContext thread) {
        return current[thread.id()];
    }

    /** Copy-on-assign: a copy of a scalar in the connection heap. New reference (uncounted). */
    long copyIntoConnection(ParallelContext ctx, long value, ThreadContext thread) {
        arenas.enter(thread, ctx.connection, ctx.request);
        try {
            return heap.copies().copy(value, thread);
        } finally {
            arenas.enter(thread, ctx.request, ctx.connection);
        }
    }

    // ---- stores ----

    @Override
    public StoreBarrier storeBarrier() {
        return guard;
    }

    /**
     * {@code async.protect(obj)}.
     *
     * @throws IllegalStateException from a parallel thread, or for a parallel object
     */
    @Override
    public void protect(long object, ThreadContext thread) {
        if (isParallel(thread)) throw new IllegalStateException("async.protect() is main-thread only; " + thread + " runs in a parallel context");
        if (isParallelObject(object)) throw new IllegalStateException("async.protect() takes a main object; 0x" + Long.toHexString(object)
                + " lives in a parallel context");
        protection.protect(object);
    }

    Heap heap() {
        return heap;
    }

    ProtectedObjects protection() {
        return protection;
    }

    // ---- the rest ----

    /**
     * The object model's critical section: nothing for an unprotected object (PyParallel has no
     * per-object locks), and for a protected one what {@code async.protect}'s lock gives: from a
     * parallel thread the main role (the GIL) first, then the object's lock. Reads and stores of
     * a protected object thus never see one another half done, and a store's lookups run under
     * the lock. The lock is taken exclusively for reads too: pxlab's critical sections do not
     * say whether they read or write (PyParallel's SRW lock let readers share).
     */
    @Override
    public void lock(long object, ThreadContext thread) {
        int lock = protection.lockOf(object);
        if (lock < 0) return;
        int id = thread.id();
        int d = sectionDepth[id];
        if (d == Long.SIZE - 1) throw new IllegalStateException(thread + " nests " + d + " protected critical sections");
        boolean parallel = isParallel(thread);
        if (parallel) enterMain(thread);
        protection.lock(lock).writeLock().lock();
        sectionDepth[id] = d + 1;
        sectionEnteredMain[id] = parallel ? sectionEnteredMain[id] | (1L << d) : sectionEnteredMain[id] & ~(1L << d);
    }

    @Override
    public void unlock(long object, ThreadContext thread) {
        int lock = protection.lockOf(object);
        if (lock < 0) return;
        int id = thread.id();
        int d = --sectionDepth[id];
        protection.lock(lock).writeLock().unlock();
        if ((sectionEnteredMain[id] & (1L << d)) != 0) exitMain(thread);
    }

    @Override
    public void lockPair(long a, long b, ThreadContext thread) {
        lock(Math.min(a, b), thread);
        if (a != b) lock(Math.max(a, b), thread);
    }

    @Override
    public void unlockPair(long a, long b, ThreadContext thread) {
        if (a != b) unlock(Math.max(a, b), thread);
        unlock(Math.min(a, b), thread);
    }

    /**
     * Whether the thread holds a protected object's critical section that it entered as a
     * parallel thread: its references taken before (elided) were never counted.
     */
    boolean inSectionFromParallel(ThreadContext thread) {
        int id = thread.id();
        return (sectionEnteredMain[id] & ((1L << sectionDepth[id]) - 1)) != 0;
    }

    /** Parallel threads run at the same time as main. */
    @Override
    public boolean serializesMutators() {
        return false;
    }

    /** Only the GIL holder allocates, frees or counts in a shared (main) space. */
    @Override
    public boolean serializesSharedSpaces() {
        return true;
    }

    /** GIL acquisitions by the main thread and by threads taking the main role, and their waits. */
    @Override
    public RequestArenaUse requestArenaUse() {
        RequestArenaUse sum = RequestArenaUse.NONE;
        synchronized (contexts) {
            for (ParallelContext c : contexts) {
                sum = sum.plus(new RequestArenaUse(c.requests, c.requestBytes, c.largestRequestBytes));
            }
        }
        return sum;
    }

    @Override
    public SyncStatistics statistics() {
        return new SyncStatistics(gilAcquisitions, gilContended, 0, gilWaitNanos);
    }

    @Override
    public String toString() {
        return "split-brain (" + (completeGuard ? "complete" : "faithful") + " guard)";
    }
}
