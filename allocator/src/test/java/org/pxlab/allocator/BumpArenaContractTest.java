package org.pxlab.allocator;

import org.pxlab.runtime.spi.Allocator;
import org.pxlab.runtime.testkit.AllocatorContract;

/**
 * {@code bump-arena} with its defaults (4 KiB pages, size prefix) against the allocator
 * contract. Not thread safe (one context, one thread), so the two-thread stress is skipped; it
 * walks its blocks through their size prefixes.
 */
class BumpArenaContractTest extends AllocatorContract {
    @Override
    protected Allocator create() {
        return new BumpArena();
    }

    /** A free only counts, as in PyParallel: memory comes back by rollback, reset or release only. */
    @Override
    protected int reuseWithin() {
        return NO_REUSE;
    }
}
