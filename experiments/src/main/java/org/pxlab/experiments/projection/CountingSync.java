package org.pxlab.experiments.projection;

import java.util.List;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.layout.HeaderField;
import org.pxlab.runtime.layout.StructLayout;
import org.pxlab.runtime.spi.StoreBarrier;
import org.pxlab.runtime.spi.SyncDiscipline;
import org.pxlab.runtime.spi.SyncSite;
import org.pxlab.runtime.spi.SyncStatistics;

/**
 * Counts a sync discipline's lock acquisitions and passes every call on. A critical section
 * counts as an acquisition only if it made an atomic access (a discipline whose sections are
 * empty, or an object it does not lock, costs nothing); it is {@link Event#LOCK_LOCAL} or
 * {@link Event#LOCK_REMOTE} by who took the same lock last. At request granularity no lock is
 * ever found held (see {@link org.pxlab.runtime.serve.InterleavedServer}).
 */
final class CountingSync implements SyncDiscipline {
    private final SyncDiscipline delegate;
    private final Tally tally;

    CountingSync(SyncDiscipline delegate, Tally tally) {
        this.delegate = delegate;
        this.tally = tally;
    }

    @Override
    public void lock(long object, ThreadContext thread) {
        long a = tally.coherence.atomics();
        delegate.lock(object, thread);
        if (tally.coherence.atomics() != a) tally.acquired(object, thread);
    }

    @Override
    public void lockPair(long a, long b, ThreadContext thread) {
        long before = tally.coherence.atomics();
        delegate.lockPair(a, b, thread);
        if (tally.coherence.atomics() != before) {
            tally.acquired(a, thread);
            if (b != a) tally.acquired(b, thread);
        }
    }

    @Override public void unlock(long object, ThreadContext thread) { delegate.unlock(object, thread); }
    @Override public void unlockPair(long a, long b, ThreadContext thread) { delegate.unlockPair(a, b, thread); }
    @Override public List<HeaderField> headerFields() { return delegate.headerFields(); }
    @Override public void bind(StructLayout header, SyncSite site) { delegate.bind(header, site); }
    @Override public void attach(ThreadContext thread) { delegate.attach(thread); }
    @Override public void detach(ThreadContext thread) { delegate.detach(thread); }
    @Override public void poll(ThreadContext thread) { delegate.poll(thread); }
    @Override public boolean readsOptimistically() { return delegate.readsOptimistically(); }
    @Override public boolean serializesMutators() { return delegate.serializesMutators(); }
    @Override public boolean serializesSharedSpaces() { return delegate.serializesSharedSpaces(); }
    @Override public StoreBarrier storeBarrier() { return delegate.storeBarrier(); }
    @Override public boolean mayCollect(ThreadContext thread) { return delegate.mayCollect(thread); }
    @Override public boolean mayCollect(ThreadContext thread, int space) { return delegate.mayCollect(thread, space); }
    // The isolated designs' request path and Erlang's off-heap binaries.
    @Override public org.pxlab.runtime.spi.OffHeapBinaries offHeapBinaries() { return delegate.offHeapBinaries(); }
    @Override public long handlerFor(long handler, ThreadContext thread) { return delegate.handlerFor(handler, thread); }
    @Override public long receive(long argument, ThreadContext thread) { return delegate.receive(argument, thread); }
    @Override public long reply(long response, ThreadContext thread) { return delegate.reply(response, thread); }

    @Override public void beginConnection(ThreadContext thread) { delegate.beginConnection(thread); }
    @Override public void endConnection(ThreadContext thread) { delegate.endConnection(thread); }

    /** Every request the server answers begins here: the one place requests are counted. */
    @Override
    public void beginRequest(ThreadContext thread) {
        tally.counts.add(thread.id(), Event.REQUEST);
        delegate.beginRequest(thread);
    }

    @Override public void endRequest(ThreadContext thread) { delegate.endRequest(thread); }
    @Override public void enterMain(ThreadContext thread) { delegate.enterMain(thread); }
    @Override public void exitMain(ThreadContext thread) { delegate.exitMain(thread); }
    @Override public void protect(long object, ThreadContext thread) { delegate.protect(object, thread); }
    @Override public SyncStatistics statistics() { return delegate.statistics(); }

    @Override
    public String toString() {
        return delegate.toString();
    }
}
