package org.pxlab.runtime.testkit;

import org.junit.jupiter.api.extension.ExtendWith;
import org.pxlab.runtime.spi.Allocator;

/**
 * The allocator kit over {@link OverlappingAllocator}. Expected to fail; named so that Surefire
 * does not run it, and disabled unless {@link ContractKitsRejectBrokenImplementationsTest}
 * launches it.
 */
@ExtendWith(KitSelfTestOnly.class)
class OverlappingAllocatorKitRun extends AllocatorContract {
    @Override
    protected Allocator create() {
        return new OverlappingAllocator();
    }

    /** A bump allocator: it frees nothing before release, which the kit allows when declared. */
    @Override
    protected int reuseWithin() {
        return NO_REUSE;
    }
}
