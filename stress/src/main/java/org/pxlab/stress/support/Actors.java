package org.pxlab.stress.support;

import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.exec.ThreadContext;

/**
 * The runtime thread contexts of a test's two actors.
 *
 * <p>A {@link ThreadContext} names one runtime thread: components key per-thread data by its
 * id, and the GIL compares contexts to know who holds it. The two actors of one sample must
 * therefore use two contexts with distinct ids, and one context must never be used by two
 * Java threads at once.
 *
 * <p>jcstress 0.16 starts new worker threads for every iteration, and one worker runs one
 * actor method over every state of the iteration, so the Java thread behind an actor changes
 * while its role does not. A {@code ThreadLocal} context (or one per Java thread from a
 * counter) would exhaust the {@value ThreadContext#MAX_THREADS} ids and would say nothing
 * useful. Contexts are bound to the role instead: whichever thread runs {@code actor1} uses
 * {@link #FIRST}, whichever runs {@code actor2} uses {@link #SECOND}. jcstress never runs the
 * same actor method of one test on two threads at once (one fork runs one test), so each
 * context belongs to one Java thread at a time, as the SPI requires.
 */
public final class Actors {
    private Actors() {}

    /** The context of {@code actor1}: thread id 0. */
    public static final ThreadContext FIRST = new ThreadContext(0, "actor1", Placement.MAIN);

    /** The context of {@code actor2}: thread id 1. */
    public static final ThreadContext SECOND = new ThreadContext(1, "actor2", Placement.MAIN);
}
