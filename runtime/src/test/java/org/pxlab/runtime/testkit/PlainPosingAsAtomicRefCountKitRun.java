package org.pxlab.runtime.testkit;

import org.junit.jupiter.api.extension.ExtendWith;
import org.pxlab.runtime.spi.Allocator;
import org.pxlab.runtime.spi.RefCountStrategy;

/**
 * The refcount kit over {@link PlainPosingAsAtomicRefCount}. Expected to fail its two-thread
 * stress; named so that Surefire does not run it, and disabled unless
 * {@link ContractKitsRejectBrokenImplementationsTest} launches it.
 */
@ExtendWith(KitSelfTestOnly.class)
class PlainPosingAsAtomicRefCountKitRun extends RefCountContract {
    @Override
    protected RefCountStrategy create() {
        return new PlainPosingAsAtomicRefCount();
    }

    /** More chances than the default, so that a busy CI machine cannot let the broken strategy through. */
    @Override
    protected int stressRounds() {
        return 100;
    }

    /** The runtime module cannot use the allocator module; this one is simple and correct. */
    @Override
    protected Allocator heapAllocator() {
        return new CheckedMallocAllocator();
    }
}
