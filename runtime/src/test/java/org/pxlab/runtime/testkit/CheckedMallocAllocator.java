package org.pxlab.runtime.testkit;

import java.util.HashMap;
import java.util.Map;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.memory.SystemMalloc;
import org.pxlab.runtime.spi.Allocator;
import org.pxlab.runtime.spi.AllocatorStatistics;
import org.pxlab.runtime.spi.BlockVisitor;

/**
 * A simple, correct allocator for the runtime module's own tests, which cannot use the
 * {@code allocator} module (it depends on the runtime): one C-library block per request and a
 * table of the live ones, under one lock. Thread safe, walkable, exact statistics
 * ({@code reserved == inUse}, the bytes requested), and it refuses a free of a block that is
 * not live or with the wrong size. Allocates Java objects on every call: not for hot paths.
 */
public final class CheckedMallocAllocator implements Allocator {
    private final Map<Long, Long> live = new HashMap<>();
    private long inUse;
    private long peakInUse;
    private long allocations;
    private long frees;

    @Override
    public synchronized long allocate(long size, ThreadContext thread) {
        if (size <= 0) throw new IllegalArgumentException("cannot allocate " + size + " bytes");
        long p = SystemMalloc.malloc(size);
        live.put(p, size);
        allocations++;
        inUse += size;
        peakInUse = Math.max(peakInUse, inUse);
        return p;
    }

    @Override
    public synchronized void free(long address, long size, ThreadContext thread) {
        Long recorded = live.get(address);
        if (recorded == null || recorded != size) {
            throw new IllegalStateException("free of 0x" + Long.toHexString(address) + " with size " + size
                    + (recorded == null ? ", which is not a live block" : ", but it was allocated with " + recorded));
        }
        live.remove(address);
        Memory.poison(address, size);
        SystemMalloc.free(address);
        frees++;
        inUse -= size;
    }

    @Override
    public boolean isThreadSafe() {
        return true;
    }

    @Override
    public synchronized void walk(BlockVisitor visitor) {
        live.forEach(visitor::visit);
    }

    @Override
    public synchronized AllocatorStatistics statistics() {
        return new AllocatorStatistics(inUse, inUse, peakInUse, allocations, frees);
    }

    @Override
    public synchronized void release() {
        live.keySet().forEach(SystemMalloc::free);
        live.clear();
        inUse = 0;
    }
}
