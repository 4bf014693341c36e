package org.pxlab.refcount;

import org.pxlab.allocator.MallocAllocator;
import org.pxlab.runtime.spi.Allocator;
import org.pxlab.runtime.spi.RefCountStrategy;
import org.pxlab.runtime.testkit.RefCountContract;

/**
 * {@code elided} against the refcount contract, where it applies: it declares no header field,
 * touches no byte of anyone else's, and reports a fresh object alive and mortal. The counting
 * and freeing tests do not apply ({@link #countsReferences()}); {@link ElidedRefCountTest}
 * states what it promises instead.
 */
class ElidedRefCountContractTest extends RefCountContract {
    @Override
    protected RefCountStrategy create() {
        return new ElidedRefCount();
    }

    @Override
    protected Allocator heapAllocator() {
        return new MallocAllocator(Long.MAX_VALUE);
    }

    @Override
    protected boolean countsReferences() {
        return false;
    }
}
