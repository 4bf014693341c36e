package org.pxlab.runtime.exec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.pxlab.runtime.config.Configuration;
import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.object.Space;
import org.pxlab.runtime.spi.CollectorSite;
import org.pxlab.runtime.spi.RefCountSite;
import org.pxlab.runtime.spi.RefCountStrategy;
import org.pxlab.runtime.spi.SyncDiscipline;
import org.pxlab.runtime.spi.SyncSite;

/**
 * A running pxlab runtime: one configuration's heap and the threads that run simulated code
 * on it. The runtime owns its threads, so that it can model the main thread, the GIL,
 * detached threads and safepoints; workloads never start threads.
 *
 * <p>Its <b>main thread</b> runs tasks given to {@link #onMain}; between tasks it waits for
 * the next one <em>detached</em> (with the GIL released), as PyParallel's main thread waits
 * in its event loop. {@link #runWorkers} starts worker threads, each attached for its whole
 * body, and joins them. Thread ids are dense, main = 0.
 *
 * <p><b>Eval breaker.</b> Bit {@link #SYNC_BIT} calls the sync discipline's poll; bit
 * {@code 1 << (1 + i)} calls the poll of space {@code i}'s collector. Components set them
 * through the sites they are bound to and clear them in their poll. Bit {@link #STOP_BIT} asks
 * the thread to suspend for a stop-the-world ({@link WorldStop}), which collectors request
 * through {@link CollectorSite#stopTheWorld}. Bit {@link #REFCOUNT_BIT} runs the refcount
 * strategies' pending work (biased counts' merge queues).
 */
public final class PxRuntime implements AutoCloseable {
    /** Eval-breaker bit of the sync discipline. */
    public static final int SYNC_BIT = 1;
    private static final int MAX_SPACES = 16;
    /** Eval-breaker bit of a stop-the-world request ({@code _PY_EVAL_PLEASE_STOP_BIT}). */
    public static final int STOP_BIT = 1 << (1 + MAX_SPACES);
    /**
     * Eval-breaker bit of refcount work ({@code _PY_EVAL_EXPLICIT_MERGE_BIT}): a strategy that
     * queued objects for a thread sets it there ({@link RefCountSite#schedule}), and the
     * thread's next check calls every space's {@link RefCountStrategy#processPending}.
     */
    public static final int REFCOUNT_BIT = 1 << (2 + MAX_SPACES);

    private final Configuration configuration;
    private final Heap heap;
    private final SyncDiscipline sync;
    private final QuiescentStates quiescentStates;
    private final ThreadContext[] threads = new ThreadContext[ThreadContext.MAX_THREADS];
    /** One data stack per thread id, kept across the runtime threads that use the id in turn. */
    private final long[][] dataStacks = new long[ThreadContext.MAX_THREADS][];
    /** The frames of each thread id's current mutator: what a stop-the-world collector scans for deferred references. */
    private final FrameStack[] frames = new FrameStack[ThreadContext.MAX_THREADS];
    private volatile CodeBody[] bodies = new CodeBody[0];
    private final LinkedBlockingQueue<Runnable> mainTasks = new LinkedBlockingQueue<>();
    private final Thread mainThread;
    private final ThreadContext mainContext;
    private Mutator mainMutator;
    private volatile boolean closed;
    /** The first failure of a task posted without waiting, rethrown by the next {@link #onMain}. */
    private final java.util.concurrent.atomic.AtomicReference<Throwable> postedFailure = new java.util.concurrent.atomic.AtomicReference<>();
    private MainThreadCalls mainCalls;
    private final WorldStop world = new WorldStop(this, threads, STOP_BIT);

    private PxRuntime(Configuration configuration, UnaryOperator<RefCountStrategy> decorator) {
        this.configuration = configuration;
        this.sync = configuration.sync();
        if (configuration.spaces().size() > MAX_SPACES) {
            throw new IllegalArgumentException("at most " + MAX_SPACES + " spaces per configuration");
        }
        this.heap = new Heap(configuration.spaces(), sync);
        this.quiescentStates = new QuiescentStates(configuration.spaces());
        heap.decorateRefCounts(decorator);
        sync.bind(heap.header(), new SyncSite() {
            @Override
            public int breakerBit() {
                return SYNC_BIT;
            }

            @Override
            public void schedule(ThreadContext thread) {
                thread.signal(SYNC_BIT);
            }

            @Override
            public Heap heap() {
                return heap;
            }

            @Override
            public void placeIn(ThreadContext thread, Placement placement) {
                thread.placeIn(placement, configuration.spaceFor(placement));
            }

            @Override
            public void placeIn(ThreadContext thread, Placement placement, int space) {
                if (space < 0 || space >= heap.spaceCount()) {
                    throw new IllegalArgumentException("space " + space + " outside 0.." + (heap.spaceCount() - 1));
                }
                thread.placeIn(placement, space);
            }

            @Override
            public void parking(ThreadContext thread) {
                world.parking(thread);
            }

            @Override
            public void unparked(ThreadContext thread) {
                world.unparked(thread);
            }
        });
        heap.useStoreBarrier(sync.storeBarrier());
        heap.useOffHeapBinaries(sync.offHeapBinaries());
        RefCountSite refcountSite = new RefCountSite() {
            @Override
            public int breakerBit() {
                return REFCOUNT_BIT;
            }

            @Override
            public void schedule(ThreadContext owner) {
                owner.signal(REFCOUNT_BIT);
            }

            @Override
            public void release(long object, ThreadContext thread) {
                heap.release(object, thread);
            }
        };
        for (Space s : configuration.spaces()) s.refcount().bindSite(refcountSite);
        for (Space s : configuration.spaces()) {
            int bit = 1 << (1 + s.index());
            s.collector().bind(heap, new CollectorSite() {
                @Override
                public void scheduleOnAllThreads() {
                    for (ThreadContext t : threads) {
                        if (t != null && t.attached() && sync.mayCollect(t, s.index())) t.signal(bit);
                    }
                }

                @Override
                public int breakerBit() {
                    return bit;
                }

                @Override
                public void stopTheWorld(ThreadContext requester) {
                    PxRuntime.this.stopTheWorld(requester);
                }

                @Override
                public void startTheWorld(ThreadContext requester) {
                    world.start(requester);
                }

                @Override
                public void visitDeferredStackReferences(org.pxlab.runtime.object.ReferenceVisitor visitor) {
                    PxRuntime.this.visitDeferredStackReferences(visitor);
                }
            });
        }
        this.mainContext = newContext("main", Placement.MAIN);
        this.mainThread = new Thread(this::mainLoop, "pxlab-main-" + configuration.name());
        mainThread.setDaemon(true);
        mainThread.start();
        // Bootstrap (built-in types, small ints) runs on the main thread, attached.
        onMain(m -> null);
    }

    /** Starts a runtime for an assembled configuration. */
    public static PxRuntime start(Configuration configuration) {
        return new PxRuntime(configuration, UnaryOperator.identity());
    }

    /**
     * Starts a runtime whose refcount entry point is wrapped by {@code decorator} (a counting
     * runtime, a tracer), without touching any component.
     */
    public static PxRuntime start(Configuration configuration, UnaryOperator<RefCountStrategy> decorator) {
        return new PxRuntime(configuration, decorator);
    }

    public Configuration configuration() {
        return configuration;
    }

    public Heap heap() {
        return heap;
    }

    public SyncDiscipline sync() {
        return sync;
    }

    InterpreterWork interpreterWork() {
        return InterpreterWork.ofNanos(configuration.declaration().interpreterWorkNanos());
    }

    // ---------------------------------------------------------------- code bodies

    /** Registers a code body and returns its id, for a code object. Set-up time; thread safe. */
    public synchronized int registerBody(CodeBody body) {
        CodeBody[] b = java.util.Arrays.copyOf(bodies, bodies.length + 1);
        b[b.length - 1] = body;
        bodies = b;
        return b.length - 1;
    }

    CodeBody body(int id) {
        return bodies[id];
    }

    // ---------------------------------------------------------------- threads

    private synchronized ThreadContext newContext(String name, Placement placement) {
        for (int i = 0; i < threads.length; i++) {
            if (threads[i] == null) {
                ThreadContext t = new ThreadContext(i, name, placement);
                t.placeIn(placement, configuration.spaceFor(placement));
                world.added(t);
                threads[i] = t;
                for (Space s : configuration.spaces()) s.refcount().threadStarted(t);
                return t;
            }
        }
        throw new IllegalStateException("more than " + ThreadContext.MAX_THREADS + " runtime threads");
    }

    /** The data stack of a thread id, made once and then handed to each thread that gets the id. */
    synchronized long[] dataStack(ThreadContext t) {
        long[] s = dataStacks[t.id()];
        if (s == null) s = dataStacks[t.id()] = new long[FrameStack.CAPACITY];
        return s;
    }

    /** Records the frames of a thread id's new mutator (they replace its predecessor's). */
    synchronized void registerFrames(ThreadContext t, FrameStack stack) {
        frames[t.id()] = stack;
    }

    /**
     * {@code gc_visit_thread_stacks}: every thread's tagged stack references. With the world
     * stopped, so no lock: the stop's hand-shake orders the other threads' frame writes before it.
     */
    private void visitDeferredStackReferences(org.pxlab.runtime.object.ReferenceVisitor visitor) {
        if (!heap.defersStackReferences()) return;
        for (FrameStack stack : frames) if (stack != null) stack.visitDeferred(visitor);
    }

    private synchronized void retire(ThreadContext t) {
        world.removed(t);
        threads[t.id()] = null;
    }

    /** The runtime threads alive now (a snapshot). */
    public synchronized List<ThreadContext> threads() {
        List<ThreadContext> out = new ArrayList<>();
        for (ThreadContext t : threads) if (t != null) out.add(t);
        return out;
    }

    /**
     * Attaches the calling runtime thread: waits while the world is stopped, attaches to the
     * sync discipline (takes the GIL, under {@code gil}), then tells the allocators that reclaim
     * by quiescence ({@code _PyThreadState_Attach}: the world and the GIL first, then
     * {@code _Py_qsbr_attach}).
     */
    public void attach(ThreadContext t) {
        world.attach(t);
        sync.attach(t);
        if (quiescentStates.active()) quiescentStates.attach(t);
    }

    /** Detaches the calling runtime thread before it blocks or ends ({@code _Py_qsbr_detach}, then the GIL). */
    public void detach(ThreadContext t) {
        if (quiescentStates.active()) quiescentStates.detach(t);
        world.detach(t);
        sync.detach(t);
    }

    /** What reports this runtime's quiescent points; its {@code active()} is false when nothing listens. */
    QuiescentStates quiescentStates() {
        return quiescentStates;
    }

    /**
     * Stops the world for {@code requester}, which must be attached: returns once every other
     * runtime thread is suspended ({@code _PyEval_StopTheWorld}). If another thread is stopping
     * the world, the requester first suspends for that stop as at an eval-breaker check.
     */
    void stopTheWorld(ThreadContext requester) {
        while (!world.tryStop(requester)) suspendForStop(requester);
    }

    /** {@code _PyThreadState_Suspend} then {@code _PyThreadState_Attach}: returns when the world restarts. */
    private void suspendForStop(ThreadContext t) {
        sync.detach(t);
        world.suspend(t);
        attach(t);
    }

    /** Runs pending work at an eval-breaker check (function entry, after a call into C, JUMP_BACKWARD). */
    void handlePending(ThreadContext t) {
        int bits = t.evalBreaker();
        if ((bits & STOP_BIT) != 0) {
            t.clear(STOP_BIT);
            suspendForStop(t);
        }
        if ((bits & SYNC_BIT) != 0) sync.poll(t);
        if ((bits & REFCOUNT_BIT) != 0) {
            for (int i = 0; i < heap.spaceCount(); i++) heap.space(i).refcount().processPending(t);
        }
        for (int i = 0; i < heap.spaceCount(); i++) {
            int bit = 1 << (1 + i);
            if ((bits & bit) == 0) continue;
            if (sync.mayCollect(t, i)) {
                heap.space(i).collector().poll(t);
            } else {
                t.clear(bit); // scheduled before the thread entered a context: not its to run
            }
        }
    }

    private void mainLoop() {
        while (true) {
            Runnable task;
            try {
                task = mainTasks.take(); // waits detached: no GIL held here
            } catch (InterruptedException e) {
                return;
            }
            task.run();
            if (closed && mainTasks.isEmpty()) return;
        }
    }

    /**
     * Runs {@code body} on the runtime's main thread, attached, and returns its result.
     * Exceptions thrown by the body are rethrown here.
     */
    public <T> T onMain(Function<Mutator, T> body) {
        if (Thread.currentThread() == mainThread) throw new IllegalStateException("onMain called from the main thread");
        if (closed) throw new IllegalStateException("runtime closed");
        CompletableFuture<T> result = new CompletableFuture<>();
        mainTasks.add(() -> {
            // The result is handed over only once main has detached: a caller that goes on to run
            // workers must find main detached (quiescent for QSBR, no GIL, nothing for a world
            // stop to wait for), not attached for a moment longer by chance.
            T value = null;
            Throwable failure = null;
            try {
                attach(mainContext);
                try {
                    if (mainMutator == null) {
                        heap.bootstrap(mainContext);
                        mainMutator = new Mutator(this, mainContext);
                    }
                    value = body.apply(mainMutator);
                } finally {
                    detach(mainContext);
                }
            } catch (Throwable e) {
                failure = e;
            }
            if (failure != null) result.completeExceptionally(failure);
            else result.complete(value);
        });
        T value = await(result);
        Throwable posted = postedFailure.getAndSet(null);
        if (posted != null) throw new IllegalStateException("a call posted to the main thread failed: " + posted, posted);
        return value;
    }

    /**
     * Queues {@code body} for the main thread and returns at once
     * ({@code call_from_main_thread}). A failure is kept and rethrown by the next
     * {@link #onMain}, so none is lost.
     */
    public void postToMain(java.util.function.Consumer<Mutator> body) {
        if (closed) throw new IllegalStateException("runtime closed");
        mainTasks.add(() -> {
            attach(mainContext);
            try {
                body.accept(mainMutator);
            } catch (Throwable e) {
                postedFailure.compareAndSet(null, e);
            } finally {
                detach(mainContext);
            }
        });
    }

    /** The main thread's context. */
    ThreadContext mainContext() {
        return mainContext;
    }

    /** Calls across the main thread's boundary (made once, on first use). */
    synchronized MainThreadCalls mainCalls() {
        if (mainCalls == null) mainCalls = new MainThreadCalls(this);
        return mainCalls;
    }

    /** What each worker runs: its mutator and its index among the workers. */
    @FunctionalInterface
    public interface WorkerBody {
        void run(Mutator m, int worker);
    }

    /**
     * Starts {@code n} worker threads, each allocating at {@code placement}, attached for the
     * whole of its body, and waits for all. The first exception thrown by a worker is rethrown
     * here, after every worker has ended.
     */
    public void runWorkers(int n, Placement placement, WorkerBody body) {
        List<Thread> started = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int w = 0; w < n; w++) {
            ThreadContext t = newContext("worker-" + w, placement);
            int index = w;
            Thread th = new Thread(() -> {
                attach(t);
                try {
                    body.run(new Mutator(this, t), index);
                } catch (Throwable e) {
                    failures.add(e);
                } finally {
                    try {
                        // _Py_brc_remove_thread, still attached: merge the queue, then stop taking more.
                        for (Space s : configuration.spaces()) s.refcount().threadExiting(t);
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                    detach(t);
                    retire(t);
                }
            }, "pxlab-worker-" + w);
            started.add(th);
        }
        started.forEach(Thread::start);
        for (Thread th : started) {
            try {
                th.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for workers", e);
            }
        }
        if (!failures.isEmpty()) {
            Throwable first = failures.get(0);
            if (first instanceof RuntimeException r) throw r;
            if (first instanceof Error e) throw e;
            throw new IllegalStateException(first);
        }
    }

    /** What a {@link #runLogical} body runs: the logical mutators, none attached. */
    @FunctionalInterface
    public interface LogicalBody {
        void run(Mutator[] mutators);
    }

    /**
     * Makes {@code n} runtime threads that run on the <em>calling</em> Java thread, one at a
     * time, for the projection model's deterministic interleaving
     * ({@link org.pxlab.runtime.serve.InterleavedServer}): the body attaches a mutator's
     * thread ({@link #attach}) for each turn and detaches it after, so exactly one is attached
     * at any moment. Afterwards each retires as a worker does (its refcount work merged, then
     * detached). Not for the runtime's main thread.
     */
    public void runLogical(int n, Placement placement, LogicalBody body) {
        if (Thread.currentThread() == mainThread) throw new IllegalStateException("runLogical called from the main thread");
        Mutator[] mutators = new Mutator[n];
        for (int i = 0; i < n; i++) mutators[i] = new Mutator(this, newContext("logical-" + i, placement));
        try {
            body.run(mutators);
        } finally {
            for (Mutator m : mutators) {
                ThreadContext t = m.thread();
                attach(t);
                try {
                    for (Space s : configuration.spaces()) s.refcount().threadExiting(t);
                } finally {
                    detach(t);
                    retire(t);
                }
            }
        }
    }

    private static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) throw r;
            if (c instanceof Error err) throw err;
            throw new IllegalStateException(c);
        }
    }

    /**
     * Stops the main thread and returns every space's memory to the system. Simulated
     * addresses are invalid afterwards.
     */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        mainTasks.add(() -> { });
        try {
            mainThread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Space s : configuration.spaces()) s.allocator().release();
    }
}
