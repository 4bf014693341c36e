package org.pxlab.allocator;

import org.pxlab.runtime.spi.ComponentKind;
import org.pxlab.runtime.spi.ComponentParameters;
import org.pxlab.runtime.spi.ComponentProvider;

/**
 * Registers {@link LockedGlobalAllocator} as {@code locked-global}. Options: {@code max-bytes}
 * bounds what it reserves; {@code spin-count} (default 40, CPython's {@code MAX_SPIN_COUNT}) is
 * how many times a thread that finds the lock held yields before it parks.
 */
public final class LockedGlobalAllocatorProvider implements ComponentProvider {
    @Override
    public ComponentKind kind() {
        return ComponentKind.ALLOCATOR;
    }

    @Override
    public String name() {
        return "locked-global";
    }

    @Override
    public String description() {
        return "one PyMutex-style lock (spin, then park) around pymalloc's size classes: every allocation and free"
                + " of every thread takes it; thread safe, walks its heap";
    }

    @Override
    public Object create(ComponentParameters parameters) {
        long limit = parameters.longValue("max-bytes", Long.MAX_VALUE, 1, Long.MAX_VALUE);
        int spinCount = (int) parameters.longValue("spin-count", WordMutex.DEFAULT_SPIN_COUNT, 0, 1_000_000);
        parameters.checkAllUsed();
        return new LockedGlobalAllocator(limit, spinCount);
    }
}
