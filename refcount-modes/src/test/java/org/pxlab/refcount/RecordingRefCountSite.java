package org.pxlab.refcount;

import java.util.List;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.spi.RefCountSite;

/**
 * A {@link RefCountSite} for component tests without a runtime: {@link #BIT} is the merge bit,
 * scheduling sets it on the owner, and a release is recorded in a list instead of freeing.
 */
record RecordingRefCountSite(List<Long> released) implements RefCountSite {
    /** The eval-breaker bit these tests use for merges. */
    static final int BIT = 1 << 29;

    @Override
    public int breakerBit() {
        return BIT;
    }

    @Override
    public void schedule(ThreadContext owner) {
        owner.signal(BIT);
    }

    @Override
    public void release(long object, ThreadContext thread) {
        released.add(object);
    }

    /** Binds {@code rc} to a site recording into {@code released} and registers the given threads. */
    static void bind(BiasedRefCount rc, List<Long> released, ThreadContext... threads) {
        rc.bindSite(new RecordingRefCountSite(released));
        for (ThreadContext t : threads) rc.threadStarted(t);
    }
}
