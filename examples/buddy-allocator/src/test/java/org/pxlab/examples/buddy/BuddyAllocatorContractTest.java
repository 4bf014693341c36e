package org.pxlab.examples.buddy;

import org.pxlab.runtime.spi.Allocator;
import org.pxlab.runtime.testkit.AllocatorContract;

/**
 * The allocator contract kit over {@code buddy}: alignment, no overlap, reuse, exact
 * statistics, the walk, and the two-thread stress with cross-thread frees. A small region
 * (64 KiB) so that the kit's random runs add regions and its large requests (up to about
 * 70 KB) take oversized regions of their own. Freed blocks go to the front of their list and
 * coalesce at once, so a freed block is handed out again by the very next request of its order.
 */
class BuddyAllocatorContractTest extends AllocatorContract {
    @Override
    protected Allocator create() {
        return new BuddyAllocator(1 << 16);
    }

    @Override
    protected int reuseWithin() {
        return 1;
    }
}
