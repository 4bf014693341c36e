package org.pxlab.runtime.serve;

import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.exec.Mutator;
import org.pxlab.runtime.exec.PxRuntime;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.spi.SyncDiscipline;

/**
 * Serves requests on a runtime's worker threads, closed loop: each worker sends its next
 * request as soon as the previous one is answered. Workers that serve many batches belong in
 * a {@link ServingSession}. Worker {@code w} of {@code n} answers
 * requests {@code w, w+n, w+2n, ...}, so no shared counter hands out work (it would be a
 * contended cache line of the harness's own). Each request is a call of the handler, in its
 * own frame, inside the worker's outer frame; its answer is verified, then released.
 *
 * <p>The loop allocates no Java object per request: with a workload whose {@link Service}
 * does not either, the JVM's collector stays out of the measurement.
 */
public final class Server {
    /**
     * Requests each worker serves on one connection before it opens the next: a keep-alive
     * client's pipeline, as TechEmpower's clients keep connections open. Under split-brain a
     * connection is a parallel context, reused (and rewound) for the next one.
     */
    public static final int REQUESTS_PER_CONNECTION = 64;

    private Server() {}

    /** Sets the workload up on the runtime's main thread. */
    public static Service setUp(PxRuntime runtime, Workload workload, org.pxlab.runtime.spi.ComponentParameters parameters) {
        return runtime.onMain(m -> workload.setUp(m, parameters));
    }

    /**
     * Opens a session of {@code workers} worker threads that stay up between batches (see
     * {@link ServingSession}); close it when done.
     */
    public static ServingSession open(PxRuntime runtime, Service service, int workers) {
        return new ServingSession(runtime, service, workers);
    }

    /**
     * Serves {@code requests} requests on {@code workers} workers, in a session opened and
     * closed for this one batch.
     *
     * @param first index of the first request (successive batches continue the sequence)
     */
    public static ServeResult serve(PxRuntime runtime, Service service, int workers, long first, long requests) {
        try (ServingSession session = open(runtime, service, workers)) {
            return session.serve(first, requests);
        }
    }

    /** Serves requests on {@code workers} workers until {@code nanos} nanoseconds have passed. */
    public static ServeResult serveFor(PxRuntime runtime, Service service, int workers, long nanos) {
        if (workers < 1) throw new IllegalArgumentException("workers must be at least 1, not " + workers);
        long[] perWorker = new long[workers];
        long start = System.nanoTime();
        long deadline = start + nanos;
        runtime.runWorkers(workers, Placement.WORKER, (m, w) -> {
            long n = 0;
            m.enterModule(runtime.heap().types().builtinsModule(), 0);
            try {
                for (long i = w; System.nanoTime() < deadline; i += workers) {
                    answerOnConnection(m, service, i, n);
                    n++;
                }
            } finally {
                closeConnection(m, n);
                m.exitFrame();
            }
            perWorker[w] = n;
        });
        return result(perWorker, System.nanoTime() - start);
    }

    /**
     * Answers request {@code index} as the {@code served}-th request of this worker: opens a new
     * connection first when the previous one has served {@link #REQUESTS_PER_CONNECTION}.
     */
    static void answerOnConnection(Mutator m, Service service, long index, long served) {
        if (served % REQUESTS_PER_CONNECTION == 0) {
            SyncDiscipline sync = m.runtime().sync();
            if (served > 0) sync.endConnection(m.thread());
            sync.beginConnection(m.thread());
        }
        answer(m, service, index);
    }

    /** Closes the worker's open connection, if it has served any request. */
    static void closeConnection(Mutator m, long served) {
        if (served > 0) m.runtime().sync().endConnection(m.thread());
    }

    /**
     * One request, from its argument to its verified response, inside the request scope the
     * sync discipline gives it (under split-brain: a snapshot of the context's heap before, a
     * rollback after).
     */
    static void answer(Mutator m, Service service, long index) {
        Heap heap = m.heap();
        SyncDiscipline sync = m.runtime().sync();
        sync.beginRequest(m.thread());
        try {
            // Under isolated heaps the argument and the response cross by copy, and the handler is the worker's own copy.
            long argument = sync.receive(service.request(m, index), m.thread());
            long response = sync.reply(m.callFunction(sync.handlerFor(service.handler(), m.thread()), argument), m.thread());
            service.verify(m, index, response);
            heap.decref(response, m.thread());
            heap.decref(argument, m.thread());
        } finally {
            sync.endRequest(m.thread());
        }
    }

    private static ServeResult result(long[] perWorker, long elapsed) {
        long total = 0;
        for (long n : perWorker) total += n;
        return new ServeResult(total, perWorker, elapsed);
    }
}
