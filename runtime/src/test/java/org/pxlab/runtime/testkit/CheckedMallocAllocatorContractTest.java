package org.pxlab.runtime.testkit;

import org.pxlab.runtime.spi.Allocator;

/**
 * {@link CheckedMallocAllocator} against the allocator contract: the positive control of the
 * kits' self-test, in the module where the broken components live.
 */
class CheckedMallocAllocatorContractTest extends AllocatorContract {
    @Override
    protected Allocator create() {
        return new CheckedMallocAllocator();
    }
}
