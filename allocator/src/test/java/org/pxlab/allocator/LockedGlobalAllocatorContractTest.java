package org.pxlab.allocator;

import org.pxlab.runtime.spi.Allocator;
import org.pxlab.runtime.testkit.AllocatorContract;

/**
 * {@code locked-global} against the allocator contract, including the two-thread stress with
 * cross-thread frees: it is thread safe because every call takes its one lock.
 */
class LockedGlobalAllocatorContractTest extends AllocatorContract {
    @Override
    protected Allocator create() {
        return new LockedGlobalAllocator(Long.MAX_VALUE);
    }

    /**
     * Under the lock is pymalloc, whose free lists are LIFO: a freed small block is handed out by
     * the very next allocation of its class. Large blocks go to the C library, which promises no
     * reuse, so only the sizes pymalloc manages are checked.
     */
    @Override
    protected int reuseWithin() {
        return 1;
    }

    @Override
    protected long[] reuseSizes() {
        return new long[] {1, 16, 17, 100, 512};
    }
}
