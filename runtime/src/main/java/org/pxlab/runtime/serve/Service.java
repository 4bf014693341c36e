package org.pxlab.runtime.serve;

import org.pxlab.runtime.exec.Mutator;

/**
 * What a set-up workload serves: a handler function, the argument of each request, and the
 * check of each answer. {@link #request} and {@link #verify} run on worker threads for every
 * request, so they must not allocate Java objects (precompute at set-up) and must be safe to
 * call from several threads at once.
 */
public interface Service {
    /** The request handler: a simulated function of one argument. Borrowed (a module holds it). */
    long handler();

    /** The argument of request {@code index}, as a new reference the server releases afterwards. */
    long request(Mutator m, long index);

    /**
     * Checks the response to request {@code index} (borrowed).
     *
     * @throws WrongAnswer if it is not the right answer
     */
    void verify(Mutator m, long index, long response);
}
