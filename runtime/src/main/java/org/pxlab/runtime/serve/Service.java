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

    /** How a request's argument is made (see {@link #request}). */
    @FunctionalInterface
    interface Request {
        long argument(Mutator m, long index);
    }

    /** How an answer is checked (see {@link #verify}). */
    @FunctionalInterface
    interface Check {
        void verify(Mutator m, long index, long response);
    }

    /** A service from its three parts. */
    static Service of(long handler, Request request, Check check) {
        return new Service() {
            @Override
            public long handler() {
                return handler;
            }

            @Override
            public long request(Mutator m, long index) {
                return request.argument(m, index);
            }

            @Override
            public void verify(Mutator m, long index, long response) {
                check.verify(m, index, response);
            }
        };
    }

    /** The usual request argument: the request's number, as an int (a new object past 256, as a request object is). */
    static long numbered(Mutator m, long index) {
        return m.heap().numbers().newInt(index, m.thread());
    }
}
