package org.pxlab.allocator;

import org.pxlab.runtime.spi.ComponentKind;
import org.pxlab.runtime.spi.ComponentParameters;
import org.pxlab.runtime.spi.ComponentProvider;

/** Registers {@link SizeClassPool} as {@code size-class-pool}; option {@code max-bytes} bounds what it reserves. */
public final class SizeClassPoolProvider implements ComponentProvider {
    @Override
    public ComponentKind kind() {
        return ComponentKind.ALLOCATOR;
    }

    @Override
    public String name() {
        return "size-class-pool";
    }

    @Override
    public String description() {
        return "CPython's pymalloc (obmalloc.c, 3.8-3.9): 16-byte size classes up to 512 B in 4 KiB pools of 256 KiB"
                + " arenas, larger blocks from malloc; not thread safe (needs the GIL), walks its heap";
    }

    @Override
    public Object create(ComponentParameters parameters) {
        long limit = parameters.longValue("max-bytes", Long.MAX_VALUE, 1, Long.MAX_VALUE);
        parameters.checkAllUsed();
        return new SizeClassPool(limit);
    }
}
