package org.pxlab.stress.support;

import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.exec.ThreadContext;

/**
 * The lock and the thread context for component calls made outside the actors: preparing,
 * resetting and releasing pooled resources in state constructors and arbiters.
 *
 * <p>jcstress runs constructors and arbiters on two worker threads at once (each consumes half
 * of the state array), so such calls would otherwise race each other, and would share a
 * context across threads. Under {@link #LOCK} they run one at a time, with {@link #CONTEXT}
 * (thread id 2, distinct from both actors). The lock is never taken inside an actor, so it
 * adds no ordering to the races a test observes.
 */
public final class Housekeeping {
    private Housekeeping() {}

    /** Serialises every housekeeping call, in every pool. */
    public static final Object LOCK = new Object();

    /** The context of housekeeping calls; use only while holding {@link #LOCK}. */
    public static final ThreadContext CONTEXT = new ThreadContext(2, "housekeeping", Placement.MAIN);
}
