package org.pxlab.allocator;

import org.pxlab.runtime.spi.Allocator;
import org.pxlab.runtime.testkit.AllocatorContract;

/**
 * {@code malloc} against the allocator contract, including the two-thread stress with
 * cross-thread frees (glibc's malloc is thread safe).
 *
 * <p>It keeps the kit's default reuse expectation: glibc hands a freed chunk back to the next
 * request of its size (tcache for small sizes, the unsorted bin's exact fit above), which is
 * the C library's behaviour rather than anything this class promises; on another C library
 * this is the hook to revisit.
 */
class MallocAllocatorContractTest extends AllocatorContract {
    @Override
    protected Allocator create() {
        return new MallocAllocator(Long.MAX_VALUE);
    }

    /** glibc offers no iteration over live blocks; {@code walk} refuses, and the kit checks that it does. */
    @Override
    protected boolean supportsWalk() {
        return false;
    }
}
