package org.pxlab.examples.buddy;

import org.pxlab.runtime.config.ConfigurationException;
import org.pxlab.runtime.spi.ComponentKind;
import org.pxlab.runtime.spi.ComponentParameters;
import org.pxlab.runtime.spi.ComponentProvider;

/**
 * Registers {@link BuddyAllocator} as {@code buddy}. Option {@code region-bytes}: the size of
 * each region obtained from the system (a power of two, 4 KiB to 1 GiB; default 1 MiB).
 */
public final class BuddyAllocatorProvider implements ComponentProvider {
    /** The name configurations use. */
    public static final String NAME = "buddy";

    @Override
    public ComponentKind kind() {
        return ComponentKind.ALLOCATOR;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "example plug-in: binary buddy system (Knowlton 1965, Knuth TAOCP 2.5), power-of-two blocks split and"
                + " coalesced with their buddies, one lock";
    }

    @Override
    public Object create(ComponentParameters parameters) {
        long region = parameters.longValue("region-bytes", BuddyAllocator.DEFAULT_REGION_BYTES, BuddyAllocator.MIN_REGION_BYTES,
                BuddyAllocator.MAX_REGION_BYTES);
        parameters.checkAllUsed();
        if (Long.bitCount(region) != 1) {
            throw new ConfigurationException(NAME + ".region-bytes", Long.toString(region), "a power of two from "
                    + BuddyAllocator.MIN_REGION_BYTES + " to " + BuddyAllocator.MAX_REGION_BYTES);
        }
        return new BuddyAllocator(region);
    }
}
