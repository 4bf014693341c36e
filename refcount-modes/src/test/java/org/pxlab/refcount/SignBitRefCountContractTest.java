package org.pxlab.refcount;

import org.pxlab.allocator.MallocAllocator;
import org.pxlab.runtime.spi.Allocator;
import org.pxlab.runtime.spi.RefCountStrategy;
import org.pxlab.runtime.testkit.RefCountContract;

/**
 * {@code sign-bit} against the refcount contract. It claims no thread safety (its plain path is
 * safe only for objects nobody has shared), so the kit's two-thread stress is skipped;
 * {@link SignBitRefCountTest} stresses shared objects, marked first, from two threads.
 */
class SignBitRefCountContractTest extends RefCountContract {
    @Override
    protected RefCountStrategy create() {
        return new SignBitRefCount();
    }

    @Override
    protected Allocator heapAllocator() {
        return new MallocAllocator(Long.MAX_VALUE);
    }
}
