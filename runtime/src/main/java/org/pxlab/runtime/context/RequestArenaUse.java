package org.pxlab.runtime.context;

/**
 * How much arena memory the requests served in parallel contexts took: for each request, the
 * bytes its context's request arena handed out between the snapshot before the request and the
 * rollback after it ({@link org.pxlab.runtime.spi.ContextArena#bytesSince}), freed blocks
 * included since a bump arena reclaims nothing until the rollback. This is the arena high-water
 * per request: what a context needs in memory to serve one request, the figure beside which
 * PyParallel's 4 KiB default page size is to be read.
 *
 * @param requests     requests measured (those ended by a rollback)
 * @param totalBytes   their bytes summed
 * @param largestBytes the most bytes one request took
 */
public record RequestArenaUse(long requests, long totalBytes, long largestBytes) {
    /** No request measured. */
    public static final RequestArenaUse NONE = new RequestArenaUse(0, 0, 0);

    /** Mean bytes per request, 0 when none was measured. */
    public double meanBytes() {
        return requests == 0 ? 0 : (double) totalBytes / requests;
    }

    /** Both together: counts and sums added, the largest of the two largest. */
    public RequestArenaUse plus(RequestArenaUse o) {
        return new RequestArenaUse(requests + o.requests, totalBytes + o.totalBytes, Math.max(largestBytes, o.largestBytes));
    }

    /**
     * What a sync discipline with parallel contexts reports: implemented by disciplines whose
     * requests run in context arenas (split-brain), read by footprint reports.
     */
    public interface Source {
        /**
         * The requests ended so far, over every context. Exact once the threads serving them
         * are between requests; read during serving, a context's last request may be missing.
         */
        RequestArenaUse requestArenaUse();
    }
}
