package org.pxlab.runtime.serve;

import java.util.Arrays;
import java.util.concurrent.Phaser;
import java.util.concurrent.atomic.AtomicReference;
import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.exec.Mutator;
import org.pxlab.runtime.exec.PxRuntime;

/**
 * Worker threads that stay up between batches of requests, as a server's do. Between
 * batches each worker waits <em>detached</em> (under a GIL, with the GIL released), so an idle
 * session holds nothing the configuration contends on. Batches run one at a time; within one,
 * worker {@code w} of {@code n} answers requests {@code first + w, first + w + n, ...}.
 *
 * <p>Starting threads once, rather than per batch, keeps thread start-up (and the fresh
 * allocation buffer the JVM hands each new thread) out of what a benchmark measures.
 * Not thread safe: one controlling thread calls {@link #serve} and {@link #close}.
 */
public final class ServingSession implements AutoCloseable {
    private final PxRuntime runtime;
    private final Service service;
    private final int workers;
    /** The workers and the controller meet here at every batch's start and end. */
    private final Phaser phaser;
    private final Thread pool;
    private final long[] perWorker;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile long first;
    private volatile long requests;
    private volatile boolean closing;
    private boolean closed;

    ServingSession(PxRuntime runtime, Service service, int workers) {
        if (workers < 1) throw new IllegalArgumentException("workers must be at least 1, not " + workers);
        this.runtime = runtime;
        this.service = service;
        this.workers = workers;
        this.perWorker = new long[workers];
        this.phaser = new Phaser(workers + 1);
        this.pool = new Thread(() -> {
            try {
                runtime.runWorkers(workers, Placement.WORKER, this::work);
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        }, "pxlab-serving-session");
        pool.setDaemon(true);
        pool.start();
    }

    /** One worker's life: wait for a batch, answer its share, report, until the session closes. */
    private void work(Mutator m, int w) {
        boolean normal = false;
        try {
            serveBatches(m, w);
            normal = true;
        } finally {
            // A worker that dies outside a request must not leave the others waiting for it.
            if (!normal) phaser.arriveAndDeregister();
        }
    }

    private void serveBatches(Mutator m, int w) {
        m.enterModule(runtime.heap().types().builtinsModule(), 0);
        long served = 0; // on this worker, over every batch: connections outlive batches
        while (true) {
            meet(m);                                // a batch starts (or the session closes)
            if (closing) break;
            try {
                long n = 0;
                long from = first, count = requests;
                for (long i = w; i < count; i += workers) {
                    Server.answerOnConnection(m, service, from + i, served++);
                    n++;
                }
                perWorker[w] = n;
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
            meet(m);                                // the batch is done
        }
        Server.closeConnection(m, served);
        m.exitFrame();
    }

    /** Waits at the phaser detached, so that a waiting worker holds no GIL. */
    private void meet(Mutator m) {
        runtime.detach(m.thread());
        try {
            phaser.arriveAndAwaitAdvance();
        } finally {
            runtime.attach(m.thread());
        }
    }

    /**
     * Serves requests {@code first .. first + requests - 1} and waits for all of them.
     *
     * @throws WrongAnswer or any other failure of a request, after the batch has ended (the
     *         session should then be closed: a failed request may leave a worker's frames open)
     */
    public ServeResult serve(long first, long requests) {
        if (closed || closing) throw new IllegalStateException("serving session closed");
        Arrays.fill(perWorker, 0);
        this.first = first;
        this.requests = requests;
        long start = System.nanoTime();
        phaser.arriveAndAwaitAdvance();             // start
        phaser.arriveAndAwaitAdvance();             // done
        long elapsed = System.nanoTime() - start;
        Throwable f = failure.getAndSet(null);
        if (f instanceof RuntimeException r) throw r;
        if (f instanceof Error e) throw e;
        if (f != null) throw new IllegalStateException(f);
        long total = 0;
        for (long n : perWorker) total += n;
        return new ServeResult(total, perWorker.clone(), elapsed);
    }

    /** Lets the workers finish and waits for their threads to end. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        closing = true;
        phaser.arriveAndDeregister();               // releases the workers waiting for a batch
        try {
            pool.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Throwable f = failure.getAndSet(null);
        if (f instanceof RuntimeException r) throw r;
        if (f instanceof Error e) throw e;
    }
}
