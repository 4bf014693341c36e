package org.pxlab.allocator;

import org.pxlab.runtime.config.ConfigurationException;
import org.pxlab.runtime.spi.ComponentKind;
import org.pxlab.runtime.spi.ComponentParameters;
import org.pxlab.runtime.spi.ComponentProvider;

/**
 * Registers {@link BumpArena} as {@code bump-arena}. Options: {@code page-size} (bytes per
 * page, a power of two from 4096 to 2 MiB; default 4096, PyParallel's default heap),
 * {@code size-prefix} (an 8-byte size word before each block, as PyParallel had; default
 * true; needed for heap walks), {@code max-bytes} (bounds what the arena reserves) and
 * {@code zeroing} ({@code on-rollback}, the default and PyParallel's, or {@code on-reuse}: see
 * {@link BumpArena}).
 */
public final class BumpArenaProvider implements ComponentProvider {
    @Override
    public ComponentKind kind() {
        return ComponentKind.ALLOCATOR;
    }

    @Override
    public String name() {
        return "bump-arena";
    }

    @Override
    public String description() {
        return "PyParallel's parallel-context heap: bump allocation over a chain of pages, free only counts, O(1)"
                + " snapshot; rollback / reset run finalizers and zero the bytes bumped since (independent of object"
                + " count); not thread safe (one context, one thread), walks its blocks through their size prefixes";
    }

    @Override
    public Object create(ComponentParameters parameters) {
        long pageSize = parameters.longValue("page-size", BumpArena.MIN_PAGE_SIZE, BumpArena.MIN_PAGE_SIZE,
                BumpArena.MAX_PAGE_SIZE);
        boolean sizePrefix = parameters.booleanValue("size-prefix", true);
        long limit = parameters.longValue("max-bytes", Long.MAX_VALUE, 1, Long.MAX_VALUE);
        String zeroing = parameters.choice("zeroing", "on-rollback", java.util.List.of("on-rollback", "on-reuse"));
        parameters.checkAllUsed();
        if (Long.bitCount(pageSize) != 1) {
            throw new ConfigurationException("bump-arena.page-size", Long.toString(pageSize),
                    "a power of two from " + BumpArena.MIN_PAGE_SIZE + " to " + BumpArena.MAX_PAGE_SIZE);
        }
        return new BumpArena(pageSize, sizePrefix, limit, zeroing.equals("on-reuse"));
    }
}
