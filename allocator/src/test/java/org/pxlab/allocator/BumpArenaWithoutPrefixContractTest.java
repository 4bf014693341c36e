package org.pxlab.allocator;

import org.pxlab.runtime.spi.Allocator;
import org.pxlab.runtime.testkit.AllocatorContract;

/**
 * {@code bump-arena} with {@code size-prefix: false} and 8 KiB pages against the allocator
 * contract: the same guarantees with 16-byte slots and no size word.
 */
class BumpArenaWithoutPrefixContractTest extends AllocatorContract {
    @Override
    protected Allocator create() {
        return new BumpArena(8192, false, Long.MAX_VALUE);
    }

    @Override
    protected int reuseWithin() {
        return NO_REUSE;
    }

    /** Without a size prefix nothing records block boundaries; walk refuses, which the kit checks. */
    @Override
    protected boolean supportsWalk() {
        return false;
    }
}
