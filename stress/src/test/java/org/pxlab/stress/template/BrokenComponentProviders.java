package org.pxlab.stress.template;

import org.pxlab.runtime.spi.ComponentKind;
import org.pxlab.runtime.spi.ComponentParameters;
import org.pxlab.runtime.spi.ComponentProvider;
import org.pxlab.runtime.testkit.OverlappingAllocator;
import org.pxlab.runtime.testkit.PlainPosingAsAtomicRefCount;

/**
 * Registers the contract kits' deliberately broken components by name (on the stress module's
 * test class path only), so the template can be shown to reject them as it would a user's
 * plug-in: {@value #OVERLAPPING} and {@value #PLAIN_POSING_AS_ATOMIC}.
 */
public final class BrokenComponentProviders {
    private BrokenComponentProviders() {}

    /** The allocator that places every other block inside the previous live one. */
    public static final String OVERLAPPING = "broken-overlapping";
    /** The plain (non-atomic) refcount that claims to be thread safe. */
    public static final String PLAIN_POSING_AS_ATOMIC = "broken-plain-posing-as-atomic";

    /** {@link OverlappingAllocator} as {@value #OVERLAPPING}. */
    public static final class Overlapping implements ComponentProvider {
        @Override public ComponentKind kind() { return ComponentKind.ALLOCATOR; }
        @Override public String name() { return OVERLAPPING; }
        @Override public String description() { return "deliberately broken: hands out blocks inside live ones (tests only)"; }

        @Override
        public Object create(ComponentParameters parameters) {
            parameters.checkAllUsed();
            return new OverlappingAllocator();
        }
    }

    /** {@link PlainPosingAsAtomicRefCount} as {@value #PLAIN_POSING_AS_ATOMIC}. */
    public static final class PlainPosingAsAtomic implements ComponentProvider {
        @Override public ComponentKind kind() { return ComponentKind.REFCOUNT; }
        @Override public String name() { return PLAIN_POSING_AS_ATOMIC; }
        @Override public String description() { return "deliberately broken: plain counts claiming thread safety (tests only)"; }

        @Override
        public Object create(ComponentParameters parameters) {
            parameters.checkAllUsed();
            return new PlainPosingAsAtomicRefCount();
        }
    }
}
