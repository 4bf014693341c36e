package org.pxlab.gc.split;

import java.util.List;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.layout.HeaderField;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.spi.Collector;
import org.pxlab.runtime.spi.CollectorSite;
import org.pxlab.runtime.spi.CollectorStatistics;

/**
 * The collector of a parallel context's space ({@code arena-release}): there is nothing to
 * trace. PyParallel gives parallel objects no {@code PyGC_Head} and never tracks them
 * ({@code _PyObject_GC_TRACK} returns early in a parallel thread); their memory goes back when
 * the context's heap is rolled back after a request or rewound for the next connection. So
 * this collector declares no pre-header, tracks nothing and frees nothing; it counts the
 * containers it was offered, which is the tracking work the split design saves.
 */
public final class ArenaReleaseCollector implements Collector {
    private final long[] offered = new long[ThreadContext.MAX_THREADS * 8];

    @Override
    public List<HeaderField> preHeaderFields() {
        return List.of();
    }

    @Override
    public void bind(Heap heap, CollectorSite site) {
    }

    /** Not tracked: counted only (per thread, on padded slots, so threads do not share a line). */
    @Override
    public void track(long object, ThreadContext thread) {
        offered[thread.id() * 8]++;
    }

    @Override
    public void untrack(long object, ThreadContext thread) {
    }

    /** Never scheduled: there is nothing to run. */
    @Override
    public void poll(ThreadContext thread) {
    }

    /** Frees nothing: a context's objects go when its snapshot is rolled back. */
    @Override
    public long collect(int generation, ThreadContext thread) {
        return 0;
    }

    /** {@code tracked} counts the containers that were offered and not tracked; nothing else happens. */
    @Override
    public CollectorStatistics statistics() {
        long n = 0;
        for (int i = 0; i < offered.length; i += 8) n += offered[i];
        return new CollectorStatistics(0, 0, 0, n, 0);
    }

    @Override
    public String toString() {
        return "arena-release";
    }
}
