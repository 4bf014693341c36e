package org.pxlab.refcount;

import org.junit.jupiter.api.extension.ExtendWith;
import org.pxlab.allocator.MallocAllocator;
import org.pxlab.runtime.spi.Allocator;
import org.pxlab.runtime.spi.RefCountStrategy;
import org.pxlab.runtime.testkit.KitSelfTestOnly;
import org.pxlab.runtime.testkit.RefCountContract;

/** The kit over {@link BrokenBiasedRefCounts.NeverMerges}; launched only by {@link BiasedKitRejectsBrokenVariantsTest}. */
@ExtendWith(KitSelfTestOnly.class)
class NeverMergesBiasedKitRun extends RefCountContract {
    @Override
    protected RefCountStrategy create() {
        return new BrokenBiasedRefCounts.NeverMerges();
    }

    @Override
    protected Allocator heapAllocator() {
        return new MallocAllocator(Long.MAX_VALUE);
    }

    @Override
    protected int stressRounds() {
        return 1;
    }
}
