package org.pxlab.allocator;

import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.memory.SimulatedOutOfMemoryError;
import org.pxlab.runtime.memory.SystemMalloc;
import org.pxlab.runtime.spi.Allocator;
import org.pxlab.runtime.spi.AllocatorStatistics;
import org.pxlab.runtime.spi.BlockVisitor;
import org.pxlab.runtime.stats.PerThreadCounters;

/**
 * The C library's allocator, used directly ({@code malloc}): every object a {@code malloc}
 * call, every release a {@code free}, as CPython does with {@code PYTHONMALLOC=malloc}.
 * Thread safe because glibc's malloc is.
 *
 * <p>It cannot {@link #walk} its blocks: glibc offers no iteration over live blocks, which
 * is why CPython's free-threaded build requires mimalloc, whose heaps can be walked. A
 * configuration that needs a heap walk must use another allocator.
 *
 * <p>Statistics are per thread and summed on read. {@code reserved} equals the bytes
 * requested and not freed (glibc's own overhead is not visible); the peak is the highest sum
 * seen by {@link #statistics()} calls, not a continuous maximum, because keeping one would
 * need a shared counter on every call.
 */
public final class MallocAllocator implements Allocator {
    private static final int ALLOCATIONS = 0, FREES = 1, BYTES_IN = 2, BYTES_OUT = 3;

    private final PerThreadCounters counters = new PerThreadCounters(4);
    private final long limit;
    private long peakSeen;

    /** @param limit bytes in use beyond which allocation fails with a simulated out-of-memory error */
    public MallocAllocator(long limit) {
        this.limit = limit;
    }

    @Override
    public long allocate(long size, ThreadContext thread) {
        if (limit != Long.MAX_VALUE && inUse() + size > limit) {
            throw new SimulatedOutOfMemoryError("malloc: limit of " + limit + " bytes reached allocating " + size
                    + " bytes; " + statistics());
        }
        long p = SystemMalloc.malloc(size);
        counters.add(thread, ALLOCATIONS, 1);
        counters.add(thread, BYTES_IN, size);
        return p;
    }

    @Override
    public void free(long address, long size, ThreadContext thread) {
        Memory.poison(address, size);
        SystemMalloc.free(address);
        counters.add(thread, FREES, 1);
        counters.add(thread, BYTES_OUT, size);
    }

    private long inUse() {
        return counters.sum(BYTES_IN) - counters.sum(BYTES_OUT);
    }

    @Override
    public boolean isThreadSafe() {
        return true;
    }

    @Override
    public void walk(BlockVisitor visitor) {
        throw new UnsupportedOperationException("the malloc allocator cannot walk its blocks (glibc has no heap"
                + " iteration); use size-class-pool or thread-sharded for collectors that walk the heap");
    }

    @Override
    public synchronized AllocatorStatistics statistics() {
        long inUse = inUse();
        peakSeen = Math.max(peakSeen, inUse);
        return new AllocatorStatistics(inUse, inUse, peakSeen, counters.sum(ALLOCATIONS), counters.sum(FREES));
    }

    @Override
    public void release() {
        // Blocks still live belong to objects the runtime never freed (immortals); the process
        // reclaims them. malloc keeps no list of them to free.
    }
}
