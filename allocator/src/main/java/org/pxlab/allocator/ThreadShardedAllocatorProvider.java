package org.pxlab.allocator;

import org.pxlab.runtime.spi.ComponentKind;
import org.pxlab.runtime.spi.ComponentParameters;
import org.pxlab.runtime.spi.ComponentProvider;

/**
 * Registers {@link ThreadShardedAllocator} as {@code thread-sharded}. Options: {@code max-bytes}
 * bounds what it reserves; {@code qsbr-deferred-limit} (default 10, CPython's
 * {@code QSBR_DEFERRED_LIMIT}) is how many emptied pages a thread tags before it advances the
 * shared QSBR write sequence (1 advances on each).
 */
public final class ThreadShardedAllocatorProvider implements ComponentProvider {
    @Override
    public ComponentKind kind() {
        return ComponentKind.ALLOCATOR;
    }

    @Override
    public String name() {
        return "thread-sharded";
    }

    @Override
    public String description() {
        return "mimalloc as in CPython's free-threaded build: per-thread heaps of 64 KiB pages, lock-free local"
                + " allocation, cross-thread frees on CAS lists, empty pages reused for another size class only after"
                + " QSBR; thread safe, walks its heap";
    }

    @Override
    public Object create(ComponentParameters parameters) {
        long limit = parameters.longValue("max-bytes", Long.MAX_VALUE, 1, Long.MAX_VALUE);
        int deferredLimit = (int) parameters.longValue("qsbr-deferred-limit", Qsbr.DEFAULT_DEFERRED_LIMIT, 1, 1_000_000);
        parameters.checkAllUsed();
        return new ThreadShardedAllocator(limit, deferredLimit);
    }
}
