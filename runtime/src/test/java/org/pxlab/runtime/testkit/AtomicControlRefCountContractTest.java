package org.pxlab.runtime.testkit;

import org.pxlab.runtime.spi.Allocator;
import org.pxlab.runtime.spi.RefCountStrategy;

/**
 * {@link AtomicControlRefCount} against the refcount contract, two-thread stress included:
 * the positive control of the kits' self-test.
 */
class AtomicControlRefCountContractTest extends RefCountContract {
    @Override
    protected RefCountStrategy create() {
        return new AtomicControlRefCount();
    }

    @Override
    protected Allocator heapAllocator() {
        return new CheckedMallocAllocator();
    }
}
