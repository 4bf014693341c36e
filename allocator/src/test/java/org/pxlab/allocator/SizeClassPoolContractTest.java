package org.pxlab.allocator;

import org.pxlab.runtime.spi.Allocator;
import org.pxlab.runtime.testkit.AllocatorContract;

/**
 * {@code size-class-pool} against the allocator contract. Not thread safe (pymalloc relies on
 * the GIL), so the kit's two-thread stress is skipped; it walks its pools and large blocks.
 */
class SizeClassPoolContractTest extends AllocatorContract {
    @Override
    protected Allocator create() {
        return new SizeClassPool(Long.MAX_VALUE);
    }

    /**
     * pymalloc's free lists are LIFO: a freed small block is the head of its pool's
     * {@code freeblock} list, and that pool is at the front of {@code usedpools}, so the very
     * next allocation of the class returns it. Large blocks go back to the C library, which
     * promises no reuse, so only the sizes pymalloc manages are checked.
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
