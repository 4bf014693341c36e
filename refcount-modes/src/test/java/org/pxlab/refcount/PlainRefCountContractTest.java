package org.pxlab.refcount;

import org.pxlab.allocator.MallocAllocator;
import org.pxlab.runtime.spi.Allocator;
import org.pxlab.runtime.spi.RefCountStrategy;
import org.pxlab.runtime.testkit.RefCountContract;

/**
 * {@code plain} against the refcount contract. Not thread safe (CPython 3.12's
 * {@code ob_refcnt} relies on the GIL), so the kit's two-thread stress is skipped;
 * {@link PlainRefCountTest} shows the updates it loses without a lock.
 */
class PlainRefCountContractTest extends RefCountContract {
    @Override
    protected RefCountStrategy create() {
        return new PlainRefCount();
    }

    @Override
    protected Allocator heapAllocator() {
        return new MallocAllocator(Long.MAX_VALUE);
    }
}
