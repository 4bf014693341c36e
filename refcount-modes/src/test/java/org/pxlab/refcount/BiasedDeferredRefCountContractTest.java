package org.pxlab.refcount;

import java.util.EnumSet;
import java.util.Set;
import org.pxlab.allocator.MallocAllocator;
import org.pxlab.runtime.object.TypeKind;
import org.pxlab.runtime.spi.Allocator;
import org.pxlab.runtime.spi.RefCountStrategy;
import org.pxlab.runtime.testkit.RefCountContract;

/**
 * {@code biased} with 3.14t's modifiers ({@code deferred: types,functions,code,modules},
 * {@code per-thread-slots: types,code}) against the refcount contract: the kit's objects are of
 * other kinds, so it checks that the modifiers leave ordinary counting as it was, and its heap
 * test runs with the creation hook live.
 */
class BiasedDeferredRefCountContractTest extends RefCountContract {
    @Override
    protected RefCountStrategy create() {
        return new BiasedRefCount(Set.of(), EnumSet.of(TypeKind.TYPE, TypeKind.FUNCTION, TypeKind.CODE, TypeKind.MODULE),
                EnumSet.of(TypeKind.TYPE, TypeKind.CODE));
    }

    @Override
    protected Allocator heapAllocator() {
        return new MallocAllocator(Long.MAX_VALUE);
    }
}
