package org.pxlab.refcount;

import org.pxlab.allocator.MallocAllocator;
import org.pxlab.runtime.spi.Allocator;
import org.pxlab.runtime.spi.RefCountStrategy;
import org.pxlab.runtime.testkit.RefCountContract;

/**
 * {@code biased} against the refcount contract, its settle hook (the SPI's merge hooks)
 * included. {@link BiasedRefCountTest} covers CPython's corner cases one by one;
 * {@link BiasedKitRejectsBrokenVariantsTest} shows the kit failing two broken variants.
 */
class BiasedRefCountContractTest extends RefCountContract {
    @Override
    protected RefCountStrategy create() {
        return new BiasedRefCount();
    }

    @Override
    protected Allocator heapAllocator() {
        return new MallocAllocator(Long.MAX_VALUE);
    }
}
