package org.pxlab.runtime.serve;

import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.exec.Mutator;
import org.pxlab.runtime.exec.PxRuntime;
import org.pxlab.runtime.exec.ThreadContext;

/**
 * Serves requests on N <em>logical</em> cores interleaved deterministically on the calling
 * Java thread, for the projection model's counting runs (README, "Projection"). Request
 * {@code i} goes to core {@code i mod N}, in order, each core on its own runtime thread
 * ({@link PxRuntime#runLogical}) with its own connections of
 * {@link Server#REQUESTS_PER_CONNECTION} requests, exactly as {@link Server} hands out work;
 * only the schedule differs: one whole request per turn, the core attached for its turn and
 * detached after.
 *
 * <p>The granularity is the request. Within a turn nothing else runs, so no lock is ever
 * found held, no safepoint ever waits and no line moves in the middle of a request: those
 * effects of true concurrency are what the cost model adds from the counts (which lines and
 * locks change cores between requests, how much work runs under a lock or with the world
 * stopped). Between turns every effect of the other cores is visible, as it would be to a
 * core that ran the next request.
 */
public final class InterleavedServer {
    private InterleavedServer() {}

    /** Told whose turn it is, before the core attaches: the coherence model's current core. */
    public interface Turns {
        /** Core {@code core} (runtime thread {@code thread}) runs one request next. */
        void turn(int core, ThreadContext thread);

        /** The warm-up requests are done and the counted ones start. */
        default void warmedUp() {
        }
    }

    /**
     * Serves {@code warmUp} then {@code counted} requests on {@code cores} logical cores.
     *
     * @throws IllegalArgumentException if {@code cores} is not in {@code 1..MAX_THREADS-1}
     *         or a count is negative
     */
    public static void serve(PxRuntime runtime, Service service, int cores, long warmUp, long counted, Turns turns) {
        if (cores < 1 || cores >= ThreadContext.MAX_THREADS) {
            throw new IllegalArgumentException("cores must be 1.." + (ThreadContext.MAX_THREADS - 1) + ", not " + cores);
        }
        if (warmUp < 0 || counted < 0) throw new IllegalArgumentException("request counts must not be negative");
        runtime.runLogical(cores, Placement.WORKER, mutators -> {
            long[] served = new long[cores];
            long total = warmUp + counted;
            try {
                for (long i = 0; i < total; i++) {
                    if (i == warmUp) turns.warmedUp();
                    int core = (int) (i % cores);
                    Mutator m = mutators[core];
                    turns.turn(core, m.thread());
                    runtime.attach(m.thread());
                    try {
                        if (served[core] == 0) m.enterModule(runtime.heap().types().builtinsModule(), 0);
                        Server.answerOnConnection(m, service, i, served[core]);
                        served[core]++;
                    } finally {
                        runtime.detach(m.thread());
                    }
                }
                if (total == warmUp) turns.warmedUp();
            } finally {
                for (int core = 0; core < cores; core++) {
                    if (served[core] == 0) continue;
                    Mutator m = mutators[core];
                    turns.turn(core, m.thread());
                    runtime.attach(m.thread());
                    try {
                        Server.closeConnection(m, served[core]);
                        m.exitFrame();
                    } finally {
                        runtime.detach(m.thread());
                    }
                }
            }
        });
    }
}
