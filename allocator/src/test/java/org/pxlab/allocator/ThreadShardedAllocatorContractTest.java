package org.pxlab.allocator;

import org.pxlab.runtime.spi.Allocator;
import org.pxlab.runtime.testkit.AllocatorContract;

/**
 * {@code thread-sharded} against the allocator contract, including the two-thread stress in which
 * about a third of the frees are cross-thread (onto {@code thread_free} lists and delayed lists).
 * The kit never reports a quiescent point, so emptied pages are reused only for their own class,
 * as with a runtime that has not wired the QSBR hooks yet.
 */
class ThreadShardedAllocatorContractTest extends AllocatorContract {
    @Override
    protected Allocator create() {
        return new ThreadShardedAllocator(Long.MAX_VALUE);
    }

    /**
     * mimalloc frees onto {@code local_free} and allocates from {@code free}: a freed block comes
     * back once the page's current {@code free} list, at most 4 KiB of blocks (256 of the smallest
     * class), is used up. Large blocks go to the C library, which promises no reuse, so only the
     * sizes the pages serve are checked.
     */
    @Override
    protected int reuseWithin() {
        return MiPage.MAX_EXTEND_SIZE / SizeClasses.ALIGNMENT;
    }

    @Override
    protected long[] reuseSizes() {
        return new long[] {1, 16, 17, 100, 512};
    }
}
