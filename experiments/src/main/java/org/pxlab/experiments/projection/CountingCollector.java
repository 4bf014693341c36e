package org.pxlab.experiments.projection;

import java.util.List;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.layout.HeaderField;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.spi.Collector;
import org.pxlab.runtime.spi.CollectorSite;
import org.pxlab.runtime.spi.CollectorStatistics;

/**
 * Counts a collector's work and passes every call on: the collections it ran and the objects
 * it visited (from its own statistics, before and after), the accesses it made (the coherence
 * model charges them to {@link Event#GC_ACCESS} while a poll or collect runs), and each
 * stop-the-world it requested with the safepoint waits that stop implies: one per other
 * logical core, which at request granularity is detached and so never actually waits.
 */
final class CountingCollector implements Collector {
    private final Collector delegate;
    private final Tally tally;

    CountingCollector(Collector delegate, Tally tally) {
        this.delegate = delegate;
        this.tally = tally;
    }

    @Override
    public void bind(Heap heap, CollectorSite site) {
        delegate.bind(heap, new CollectorSite() {
            @Override
            public void scheduleOnAllThreads() {
                site.scheduleOnAllThreads();
            }

            @Override
            public int breakerBit() {
                return site.breakerBit();
            }

            @Override
            public void stopTheWorld(ThreadContext requester) {
                tally.counts.add(requester.id(), Event.STOP_THE_WORLD);
                tally.counts.add(requester.id(), Event.SAFEPOINT_WAIT, tally.logicalCores() - 1);
                site.stopTheWorld(requester);
            }

            @Override
            public void startTheWorld(ThreadContext requester) {
                site.startTheWorld(requester);
            }
        });
    }

    @Override
    public void poll(ThreadContext thread) {
        CollectorStatistics before = delegate.statistics();
        tally.coherence.enterCollector();
        try {
            delegate.poll(thread);
        } finally {
            tally.coherence.exitCollector();
        }
        countWork(before, thread);
    }

    @Override
    public long collect(int generation, ThreadContext thread) {
        CollectorStatistics before = delegate.statistics();
        tally.coherence.enterCollector();
        try {
            return delegate.collect(generation, thread);
        } finally {
            tally.coherence.exitCollector();
            countWork(before, thread);
        }
    }

    private void countWork(CollectorStatistics before, ThreadContext thread) {
        CollectorStatistics after = delegate.statistics();
        tally.counts.add(thread.id(), Event.GC_COLLECTION, after.collections() - before.collections());
        tally.counts.add(thread.id(), Event.GC_OBJECT_VISITED, after.objectsVisited() - before.objectsVisited());
    }

    @Override public List<HeaderField> preHeaderFields() { return delegate.preHeaderFields(); }
    @Override public void track(long object, ThreadContext thread) { delegate.track(object, thread); }
    @Override public void untrack(long object, ThreadContext thread) { delegate.untrack(object, thread); }
    @Override public CollectorStatistics statistics() { return delegate.statistics(); }

    @Override
    public String toString() {
        return delegate.toString();
    }
}
