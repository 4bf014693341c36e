package org.pxlab.experiments.projection;

import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.spi.Allocator;
import org.pxlab.runtime.spi.AllocatorStatistics;
import org.pxlab.runtime.spi.BlockVisitor;

/**
 * Counts an allocator's allocations and frees (and frees by another thread than the
 * allocating one), per core and under the allocator's label, and passes every call on.
 */
class CountingAllocator implements Allocator {
    private final Allocator delegate;
    final Tally tally;
    /** {allocations, frees, remote frees} of this allocator's label. */
    private final long[] mine;

    CountingAllocator(Allocator delegate, Tally tally, String label) {
        this.delegate = delegate;
        this.tally = tally;
        this.mine = tally.counts.allocator(label);
    }

    @Override
    public long allocate(long size, ThreadContext thread) {
        long block = delegate.allocate(size, thread);
        tally.allocated(block, thread);
        tally.counts.add(thread.id(), Event.ALLOCATION);
        mine[0]++;
        return block;
    }

    @Override
    public void free(long address, long size, ThreadContext thread) {
        countFree(address, thread);
        delegate.free(address, size, thread);
    }

    @Override
    public void freeDelayed(long address, long size, ThreadContext thread) {
        countFree(address, thread);
        delegate.freeDelayed(address, size, thread);
    }

    private void countFree(long address, ThreadContext thread) {
        tally.counts.add(thread.id(), Event.FREE);
        mine[1]++;
        if (!tally.ownsBlock(address, thread)) {
            tally.counts.add(thread.id(), Event.FREE_REMOTE);
            mine[2]++;
        }
    }

    @Override public boolean isThreadSafe() { return delegate.isThreadSafe(); }
    @Override public void reclaimDelayed(ThreadContext thread) { delegate.reclaimDelayed(thread); }
    @Override public boolean needsQuiescentStates() { return delegate.needsQuiescentStates(); }
    @Override public void attach(ThreadContext thread) { delegate.attach(thread); }
    @Override public void detach(ThreadContext thread) { delegate.detach(thread); }
    @Override public void quiescent(ThreadContext thread) { delegate.quiescent(thread); }
    @Override public boolean preserveOnFree(int bytes) { return delegate.preserveOnFree(bytes); }
    @Override public void walk(BlockVisitor visitor) { delegate.walk(visitor); }
    @Override public AllocatorStatistics statistics() { return delegate.statistics(); }
    @Override public void release() { delegate.release(); }

    @Override
    public String toString() {
        return delegate.toString();
    }
}
