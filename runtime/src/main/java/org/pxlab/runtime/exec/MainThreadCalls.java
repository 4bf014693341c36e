package org.pxlab.runtime.exec;

import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.spi.SyncDiscipline;

/**
 * Work that crosses between the main thread and other runtime threads: PyParallel's
 * {@code async.call_from_main_thread[_and_wait]} and the main thread's fan-out of items to
 * parallel contexts (the 2015 seed's asyncio example). Written once against the sync
 * discipline's hooks, so it runs unchanged on every configuration: under a GIL nothing needs
 * copying; under split-brain a value crosses by {@link org.pxlab.runtime.object.CrossHeapCopy copy}
 * whenever it lives in a space private to a context, and a thread that must touch the main heap
 * takes the main role ({@link SyncDiscipline#enterMain}) for the moment it needs it.
 */
final class MainThreadCalls {
    private final PxRuntime runtime;
    private final Heap heap;
    private final SyncDiscipline sync;

    MainThreadCalls(PxRuntime runtime) {
        this.runtime = runtime;
        this.heap = runtime.heap();
        this.sync = runtime.sync();
    }

    /** See {@link Mutator#callIntoMain}. */
    long callIntoMain(Mutator caller, long function, long argument, boolean wait) {
        ThreadContext thread = caller.thread();
        if (thread == runtime.mainContext()) return caller.callFunction(function, argument);
        if (!wait) {
            // The caller's context may be rolled back before main runs the call: the argument
            // crosses now, by the caller acting as main for the copy.
            long mainArgument;
            sync.enterMain(thread);
            try {
                mainArgument = crossing(argument, thread);
            } finally {
                sync.exitMain(thread);
            }
            runtime.postToMain(m -> {
                try {
                    heap.decref(callOnMain(m, function, mainArgument), m.thread());
                } finally {
                    heap.decref(mainArgument, m.thread());
                }
            });
            return heap.types().none();
        }
        // The caller waits detached (under a GIL, with it released); its context stays alive,
        // so main may read the argument and copy it itself.
        long result;
        runtime.detach(thread);
        try {
            result = runtime.onMain(m -> {
                long a = crossing(argument, m.thread());
                try {
                    return callOnMain(m, function, a);
                } finally {
                    heap.decref(a, m.thread());
                }
            });
        } finally {
            runtime.attach(thread);
        }
        if (!isPrivate(thread)) return result;
        long mine = heap.copies().copy(result, thread);
        runtime.postToMain(m -> heap.decref(result, m.thread()));
        return mine;
    }

    /** See {@link Mutator#mapInParallel}. */
    long mapInParallel(Mutator main, long function, long items, int workers) {
        if (main.thread() != runtime.mainContext()) {
            throw new IllegalStateException("mapInParallel runs on the main thread; " + main.thread() + " is not main");
        }
        if (workers < 1) throw new IllegalArgumentException("workers must be at least 1, not " + workers);
        int n = Math.toIntExact(heap.lists().size(items));
        long[] results = new long[n];
        ThreadContext mainThread = main.thread();
        runtime.detach(mainThread); // main waits in its loop, GIL released, while contexts run
        try {
            runtime.runWorkers(Math.min(workers, Math.max(n, 1)), Placement.PARALLEL_CONTEXT, (m, w) -> {
                ThreadContext t = m.thread();
                m.enterModule(heap.types().builtinsModule(), 0);
                try {
                    for (int i = w; i < n; i += workers) results[i] = mapOne(m, function, heap.lists().getItem(items, i));
                } finally {
                    m.exitFrame();
                }
            });
        } finally {
            runtime.attach(mainThread);
        }
        long list = heap.lists().newList(n, mainThread);
        for (long r : results) heap.lists().appendTake(list, r, mainThread);
        return list;
    }

    /** One item in its own context: called, its result copied into the main heap, the context rolled back. */
    private long mapOne(Mutator m, long function, long item) {
        ThreadContext t = m.thread();
        sync.beginConnection(t);
        try {
            sync.beginRequest(t);
            try {
                long r = m.callFunction(function, item);
                if (!isPrivate(t)) return r;
                sync.enterMain(t);
                try {
                    return heap.copies().copy(r, t);
                } finally {
                    sync.exitMain(t);
                }
            } finally {
                sync.endRequest(t);
            }
        } finally {
            sync.endConnection(t);
        }
    }

    private long callOnMain(Mutator m, long function, long argument) {
        m.enterModule(heap.types().builtinsModule(), 0);
        try {
            return m.callFunction(function, argument);
        } finally {
            m.exitFrame();
        }
    }

    /** A new reference to the value, or to a copy of it in the thread's space if it lives in a context's. */
    private long crossing(long value, ThreadContext thread) {
        return heap.spaceOf(value).shared() ? heap.newRef(value, thread) : heap.copies().copy(value, thread);
    }

    private boolean isPrivate(ThreadContext thread) {
        return !heap.space(thread.allocationSpace()).shared();
    }
}
