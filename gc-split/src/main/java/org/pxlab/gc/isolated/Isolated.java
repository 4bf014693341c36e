package org.pxlab.gc.isolated;

import java.util.List;
import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.layout.HeaderField;
import org.pxlab.runtime.layout.StructLayout;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.object.Space;
import org.pxlab.runtime.spi.OffHeapBinaries;
import org.pxlab.runtime.spi.StoreBarrier;
import org.pxlab.runtime.spi.SyncDiscipline;
import org.pxlab.runtime.spi.SyncSite;
import org.pxlab.runtime.spi.SyncStatistics;

/**
 * Isolated heaps as a sync discipline ({@code isolated}): CPython's per-interpreter GIL
 * (PEP 684, 3.12) and {@code concurrent.interpreters} (PEP 734, 3.14), Erlang's process heaps,
 * and {@code multiprocessing}'s processes, which all share nothing mutable.
 *
 * <p><b>Heaps.</b> Space 0 is the main interpreter's heap; space {@code k} is the heap of the
 * worker whose runtime thread id is {@code k} (ids are dense: the workers of a session are
 * 1..n). Every space is private to its thread and has its own allocator, refcount strategy and
 * collector instances, so nothing in one heap's components is touched by another heap's
 * thread; only the owner collects its heap ({@link #mayCollect(ThreadContext, int)}). Each
 * heap has its own lock, which its thread holds while attached, as each interpreter holds its
 * own GIL: uncontended unless another thread acts for that interpreter.
 *
 * <p><b>Shared state by copy.</b> The main interpreter builds the workload's shared state. At
 * a worker's first request, {@link #handlerFor} copies the handler function and everything it
 * reaches (its module's globals, classes, data) into the worker's heap with a
 * {@link GraphCopy}, holding the main lock while it reads the main heap. Immortal objects are
 * shared, not copied: PEP 684 shares the immortal static objects between interpreters, and a
 * forked process never writes an immortal object's page (3.12 stops counting them), so it
 * keeps sharing it; everything else the workers would touch is copied, which is what a forked
 * process ends up with once refcount updates have dirtied the pages, and what an interpreter
 * holds once it has its own copy of a module's data.
 *
 * <p><b>Requests and responses by copy.</b> The server's side of the queue is the main
 * interpreter: a request is made there ({@link #beginRequest} takes the main lock and the
 * main heap), {@link #receive} copies it into the worker's heap and releases the original,
 * {@link #reply} copies the response back into the main heap (under the main lock again) for
 * the server's check. So the main interpreter is the dispatcher every request passes through
 * twice, as a queue's sender and receiver are. A reference from one heap into another is
 * refused ({@link IsolationGuard}).
 *
 * <p><b>Pickled messages.</b> With {@code messages: pickled} ({@code multiprocessing}) each
 * crossing also writes the value into a bytes buffer in the sender's heap ({@link PickleBuffers}),
 * as {@code pickle.dumps} does before the pipe.
 *
 * <p><b>Binaries.</b> With {@link RefcBinaries} (Erlang's actors) a blob over 64 bytes lives
 * off-heap and crosses as a new handle to the same bytes, counted by the binary.
 */
public final class Isolated implements SyncDiscipline {
    private Heap heap;
    private SyncSite site;
    private Interpreter[] interpreters;
    private IsolationGuard guard;
    private final OffHeapBinaries binaries;
    private final boolean pickled;
    private PickleBuffers pickles;

    /**
     * @param binaries where blobs over a threshold live, shared by handles; {@code null}: every blob in its heap
     * @param pickled  whether messages are pickled ({@code multiprocessing}: a bytes buffer in the sender's heap
     *                 besides the receiver's copy) or copied directly (an interpreter queue's shareable objects)
     */
    public Isolated(OffHeapBinaries binaries, boolean pickled) {
        this.binaries = binaries;
        this.pickled = pickled;
    }

    @Override
    public List<HeaderField> headerFields() {
        return List.of();
    }

    /**
     * @throws IllegalStateException unless there are a main heap and at least one worker heap,
     *         every one private to its thread
     */
    @Override
    public void bind(StructLayout header, SyncSite site) {
        this.site = site;
        this.heap = site.heap();
        if (heap.spaceCount() < 2) {
            throw new IllegalStateException("isolated needs a main heap and at least one worker heap; the configuration declares "
                    + heap.spaceCount() + " space");
        }
        interpreters = new Interpreter[heap.spaceCount()];
        for (int i = 0; i < heap.spaceCount(); i++) {
            Space s = heap.space(i);
            if (s.shared()) {
                throw new IllegalStateException("isolated: space " + s.name() + " is shared by threads; every isolated heap"
                        + " is private to its interpreter (declare it threadPrivate)");
            }
            interpreters[i] = new Interpreter(i);
        }
        guard = new IsolationGuard(heap);
        pickles = new PickleBuffers(heap);
    }

    /** The interpreter whose heap the thread owns: the main one for the main thread, worker {@code k}'s for thread {@code k}. */
    private Interpreter own(ThreadContext thread) {
        int id = thread.id();
        if (id >= interpreters.length) {
            throw new IllegalStateException("isolated: " + thread + " has no heap of its own; the configuration declares "
                    + (interpreters.length - 1) + " worker heaps (threads 1.." + (interpreters.length - 1) + ")");
        }
        return interpreters[id];
    }

    /**
     * Takes the thread's own interpreter lock and places it in its own heap. A thread beyond the
     * declared heaps attaches to nothing here and is refused at its first request
     * ({@link #own}), where the harness reports a worker's failure instead of losing a thread.
     */
    @Override
    public void attach(ThreadContext thread) {
        if (thread.id() >= interpreters.length) return;
        Interpreter own = own(thread);
        own.take();
        if (own.space != 0) site.placeIn(thread, Placement.INTERPRETER, own.space);
    }

    @Override
    public void detach(ThreadContext thread) {
        if (thread.id() >= interpreters.length) return;
        Interpreter own = own(thread);
        if (own.inMain) leaveMain(own, thread);
        own.release();
    }

    /** Nothing to poll: no lock is handed over on request. */
    @Override
    public void poll(ThreadContext thread) {
    }

    // ---- the main interpreter's role ----

    /** The worker acts for the main interpreter: its lock, its heap. */
    private void enterMainRole(Interpreter own, ThreadContext thread) {
        if (own.space == 0 || own.inMain) return;
        interpreters[0].take();
        own.inMain = true;
        site.placeIn(thread, Placement.MAIN, 0);
    }

    private void leaveMain(Interpreter own, ThreadContext thread) {
        own.inMain = false;
        site.placeIn(thread, Placement.INTERPRETER, own.space);
        interpreters[0].release();
    }

    @Override
    public void enterMain(ThreadContext thread) {
        enterMainRole(own(thread), thread);
    }

    @Override
    public void exitMain(ThreadContext thread) {
        Interpreter own = own(thread);
        if (own.inMain) leaveMain(own, thread);
    }

    // ---- requests ----

    /** The request is made on the server's side: in the main interpreter, under its lock. */
    @Override
    public void beginRequest(ThreadContext thread) {
        enterMain(thread);
    }

    @Override
    public void endRequest(ThreadContext thread) {
        exitMain(thread);
    }

    /** Copies the argument from the main heap into the worker's and releases the original. */
    @Override
    public long receive(long argument, ThreadContext thread) {
        Interpreter own = own(thread);
        if (own.space == 0) return argument;
        enterMainRole(own, thread);
        site.placeIn(thread, Placement.INTERPRETER, own.space);
        long copy = heap.copies().copy(argument, thread);
        site.placeIn(thread, Placement.MAIN, 0);
        if (pickled) heap.decref(pickles.dumps(argument, thread), thread); // the sender's pickle, sent and dropped
        heap.decref(argument, thread);
        leaveMain(own, thread);
        return copy;
    }

    /** Copies the response into the main heap (under its lock) and releases the worker's. */
    @Override
    public long reply(long response, ThreadContext thread) {
        Interpreter own = own(thread);
        if (own.space == 0) return response;
        long copy;
        enterMainRole(own, thread);
        try {
            copy = heap.copies().copy(response, thread);
        } finally {
            site.placeIn(thread, Placement.INTERPRETER, own.space);
        }
        if (pickled) heap.decref(pickles.dumps(response, thread), thread);
        heap.decref(response, thread);
        site.placeIn(thread, Placement.MAIN, 0);
        return copy;
    }

    /**
     * The worker's own copy of the handler, made at its first request (or when the handler
     * changes: another workload set up in the same runtime) by copying the handler's graph from
     * the main heap under the main lock.
     */
    @Override
    public long handlerFor(long handler, ThreadContext thread) {
        Interpreter own = own(thread);
        if (own.space == 0) return handler;
        if (own.handler == handler) return own.handlerCopy;
        boolean wasMain = own.inMain;
        enterMainRole(own, thread);
        site.placeIn(thread, Placement.INTERPRETER, own.space);
        try {
            long copy = new GraphCopy(heap, thread).copy(handler);
            if (own.handlerCopy != 0) heap.decref(own.handlerCopy, thread);
            own.handler = handler;
            own.handlerCopy = copy;
            return copy;
        } finally {
            if (wasMain) site.placeIn(thread, Placement.MAIN, 0);
            else leaveMain(own, thread);
        }
    }

    /**
     * Whether the thread may count references to objects of heap {@code space} (and free them)
     * now: those of its own heap, and the main heap's while it acts for the main interpreter
     * (holding its lock). What an audit of isolation checks every count against.
     */
    public boolean mayTouch(ThreadContext thread, int space) {
        Interpreter own = own(thread);
        return space == own.space || (space == 0 && own.inMain);
    }

    // ---- collection, stores ----

    /** A thread collects only the heap it runs in now (each interpreter has its own collector). */
    @Override
    public boolean mayCollect(ThreadContext thread, int space) {
        return thread.allocationSpace() == space;
    }

    @Override
    public OffHeapBinaries offHeapBinaries() {
        return binaries;
    }

    @Override
    public StoreBarrier storeBarrier() {
        return guard;
    }

    /** Nothing to lock: no object is reachable from two threads. */
    @Override
    public void lock(long object, ThreadContext thread) {
    }

    @Override
    public void unlock(long object, ThreadContext thread) {
    }

    @Override
    public void lockPair(long a, long b, ThreadContext thread) {
    }

    @Override
    public void unlockPair(long a, long b, ThreadContext thread) {
    }

    /** Workers run at once, each in its own heap. */
    @Override
    public boolean serializesMutators() {
        return false;
    }

    /** Acquisitions of every interpreter's lock; the contended ones are workers meeting at the main interpreter. */
    @Override
    public SyncStatistics statistics() {
        long acquisitions = 0, contended = 0, wait = 0;
        for (Interpreter i : interpreters) {
            acquisitions += i.acquisitions;
            contended += i.contended;
            wait += i.waitNanos;
        }
        return new SyncStatistics(acquisitions, contended, 0, wait);
    }

    @Override
    public String toString() {
        return "isolated (" + (interpreters == null ? "unbound" : (interpreters.length - 1) + " worker heaps") + ", messages "
                + (pickled ? "pickled" : "copied") + (binaries == null ? "" : ", " + binaries) + ")";
    }
}
