package org.pxlab.allocator;

import org.pxlab.runtime.spi.Allocator;
import org.pxlab.runtime.testkit.AllocatorContract;

/** {@code bump-arena} with {@code zeroing: on-reuse} against the allocator contract. */
class BumpArenaZeroOnReuseContractTest extends AllocatorContract {
    @Override
    protected Allocator create() {
        return new BumpArena(BumpArena.MIN_PAGE_SIZE, true, Long.MAX_VALUE, true);
    }

    @Override
    protected int reuseWithin() {
        return NO_REUSE;
    }
}
