package org.pxlab.gc.split;

import org.pxlab.runtime.spi.ContextArena;

/**
 * One parallel context ({@code PxContext}): what a connection runs in, reused for the next
 * connection. It owns two heaps: the <em>request</em> heap, snapshotted before each request
 * and rolled back when its response is done, and the <em>connection</em> heap, which holds
 * what lives as long as the connection (PyParallel's per-connection heap, where copy-on-assign
 * puts scalars stored into connection state). The connection heap's start-of-connection
 * snapshot is rewound when the context is reused, as {@code _PxContext_Rewind} does.
 *
 * <p>Used by one thread at a time; the fields are plain.
 */
final class ParallelContext {
    /** Its index among the contexts made, for messages. */
    final int index;
    final ContextArena request;
    final ContextArena connection;
    /** Taken on the connection heap when the context was made; rewound at every reuse. */
    final long connectionStart;
    /** The snapshot of the request in flight, or 0. */
    long requestSnapshot;
    /** Requests ended in this context, their request-arena bytes summed, and the most one took. */
    long requests, requestBytes, largestRequestBytes;

    ParallelContext(int index, ContextArena request, ContextArena connection) {
        this.index = index;
        this.request = request;
        this.connection = connection;
        this.connectionStart = connection.snapshot();
    }

    /** Counts a request that took {@code bytes} of the request arena. */
    void noteRequest(long bytes) {
        requests++;
        requestBytes += bytes;
        if (bytes > largestRequestBytes) largestRequestBytes = bytes;
    }

    /** Whether a request is in flight. */
    boolean inRequest() {
        return requestSnapshot != 0;
    }

    @Override
    public String toString() {
        return "parallel context " + index;
    }
}
