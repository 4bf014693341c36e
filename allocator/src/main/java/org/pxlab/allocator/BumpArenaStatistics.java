package org.pxlab.allocator;

import org.pxlab.runtime.spi.AllocatorStatistics;

/**
 * What a {@link BumpArena} holds and has done, beyond the SPI's {@link AllocatorStatistics}.
 *
 * @param chunks        chunks in the chain: pages, and the larger chunks of blocks that do not
 *                      fit a page; all kept until {@link BumpArena#release()}
 * @param pages         {@code reserved / pageSize}: every chunk is a whole number of pages
 * @param reserved      bytes of all chunks, in use or kept for reuse
 * @param inUse         as the SPI counts it: slots handed out, not freed and not rolled back
 * @param bumpedBytes   slots handed out since the last reset and not rolled back, freed or not:
 *                      what the bump pointer has passed (PyParallel's {@code Heap.allocated}).
 *                      {@code free} reclaims nothing, so this is the memory the arena really
 *                      occupies; {@code bumpedBytes - inUse} is freed but not reclaimed
 * @param peakInUse     highest {@code inUse} since the arena was created
 * @param allocations   successful {@code allocate} calls
 * @param frees         {@code free} calls (each only counted, as in PyParallel)
 * @param liveSnapshots snapshots that can still be rolled back to
 * @param snapshots     snapshots taken
 * @param rollbacks     rollbacks performed
 * @param resets        resets performed
 * @param finalizersRun finalizers run by rollbacks and resets
 * @param bytesZeroed   bytes zeroed by rollbacks and resets: exactly the bytes bumped since the
 *                      snapshot, which is what makes a rollback's cost proportional to bytes
 *                      used rather than to objects or to pages reserved
 */
public record BumpArenaStatistics(int chunks, long pages, long reserved, long inUse, long bumpedBytes, long peakInUse,
                                  long allocations, long frees, int liveSnapshots, long snapshots, long rollbacks,
                                  long resets, long finalizersRun, long bytesZeroed) {

    /** The SPI's view of the same moment. */
    public AllocatorStatistics asAllocatorStatistics() {
        return new AllocatorStatistics(reserved, inUse, peakInUse, allocations, frees);
    }
}
