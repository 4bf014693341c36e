package org.pxlab.runtime.spi;

/**
 * What an allocator holds, in bytes of simulated memory, at the moment it was asked.
 *
 * @param reserved    obtained from the system and not yet returned (arenas, pools, pages,
 *                    large blocks), including the allocator's own metadata that lives there
 * @param inUse       handed out and not yet freed, counted as the allocator rounds requests
 *                    (a 20-byte request in a 32-byte size class counts 32)
 * @param peakInUse   the highest {@code inUse} seen since the allocator was created
 * @param allocations number of successful {@link Allocator#allocate} calls
 * @param frees       number of {@link Allocator#free} calls
 */
public record AllocatorStatistics(long reserved, long inUse, long peakInUse, long allocations, long frees) {
    /** Nothing held, nothing counted: the start of a sum. */
    public static final AllocatorStatistics NONE = new AllocatorStatistics(0, 0, 0, 0, 0);

    /**
     * The figures of two allocators together. Peaks add up, which bounds the peak of the two
     * together from above: they need not have peaked at the same moment.
     */
    public AllocatorStatistics plus(AllocatorStatistics other) {
        return new AllocatorStatistics(reserved + other.reserved, inUse + other.inUse, peakInUse + other.peakInUse,
                allocations + other.allocations, frees + other.frees);
    }

    /** Blocks handed out and not yet freed. */
    public long liveBlocks() {
        return allocations - frees;
    }
}
