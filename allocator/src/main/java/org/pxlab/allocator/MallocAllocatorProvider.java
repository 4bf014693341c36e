package org.pxlab.allocator;

import org.pxlab.runtime.spi.ComponentKind;
import org.pxlab.runtime.spi.ComponentParameters;
import org.pxlab.runtime.spi.ComponentProvider;

/** Registers {@link MallocAllocator} as {@code malloc}; option {@code max-bytes} bounds it. */
public final class MallocAllocatorProvider implements ComponentProvider {
    @Override
    public ComponentKind kind() {
        return ComponentKind.ALLOCATOR;
    }

    @Override
    public String name() {
        return "malloc";
    }

    @Override
    public String description() {
        return "the C library's malloc/free for every object, as CPython with PYTHONMALLOC=malloc; thread safe, cannot walk its heap";
    }

    @Override
    public Object create(ComponentParameters parameters) {
        long limit = parameters.longValue("max-bytes", Long.MAX_VALUE, 1, Long.MAX_VALUE);
        parameters.checkAllUsed();
        return new MallocAllocator(limit);
    }
}
