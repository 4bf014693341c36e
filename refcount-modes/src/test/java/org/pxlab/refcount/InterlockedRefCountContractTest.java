package org.pxlab.refcount;

import org.pxlab.allocator.MallocAllocator;
import org.pxlab.runtime.spi.Allocator;
import org.pxlab.runtime.spi.RefCountStrategy;
import org.pxlab.runtime.testkit.RefCountContract;

/**
 * {@code interlocked} against the refcount contract, the kit's two-thread stress included
 * (the strategy is thread safe). {@link InterlockedRefCountTest} covers its immortal encoding
 * and the races the kit does not stage.
 */
class InterlockedRefCountContractTest extends RefCountContract {
    @Override
    protected RefCountStrategy create() {
        return new InterlockedRefCount();
    }

    @Override
    protected Allocator heapAllocator() {
        return new MallocAllocator(Long.MAX_VALUE);
    }
}
