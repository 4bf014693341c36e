package org.pxlab.runtime.spi;

/**
 * An allocator that a parallel context owns and gives back wholesale: PyParallel's chain of
 * bump heaps ({@code Python/pyparallel.c}). Beside the {@link Allocator} contract it takes
 * O(1) snapshots of its position and rolls back to them, which is how a context forgets a
 * request (a snapshot before the callback, a rollback when the response is sent) and a
 * connection (the start-of-connection snapshot, rewound when the context is reused).
 *
 * <p>A configuration space whose allocator is a {@code ContextArena} and whose objects are
 * private to a context ({@code threadPrivate}) gets one arena per parallel context: the
 * registry hands the space a {@code ContextArenas} router, and contexts obtain their arenas
 * from it.
 *
 * <p>Not thread safe: a context runs on one thread at a time, and so does its arena.
 */
public interface ContextArena extends Allocator {

    /**
     * Records the arena's position in O(1), without allocating Java objects.
     *
     * @return a handle for {@link #rollback} and {@link #discard}; never 0
     */
    long snapshot();

    /**
     * Makes everything allocated since {@code snapshot} gone: runs the finalizers registered for
     * those blocks (each once), then moves the position back. The snapshot stays live; newer
     * ones die.
     *
     * @throws IllegalStateException if the handle is not a live snapshot of this arena
     */
    void rollback(long snapshot);

    /**
     * The bytes the arena has handed out since {@code snapshot}, freed or not: the memory a
     * rollback to it would give back, and so, read just before a request's rollback, the
     * request's arena high-water (a bump arena's use only grows between a snapshot and its
     * rollback). O(1), no Java allocation.
     *
     * @throws IllegalStateException if the handle is not a live snapshot of this arena
     */
    long bytesSince(long snapshot);

    /** Forgets {@code snapshot} and every newer one without rolling back. */
    void discard(long snapshot);

    /** Empties the arena (running every pending finalizer) and ends every snapshot; memory is kept for reuse. */
    void reset();

    /** Whether {@code address} lies in memory this arena has obtained (live or not). Not a hot path. */
    boolean owns(long address);

    /**
     * Registers an action to run exactly once when {@code block} is rolled back or reset (a
     * parallel object's finalizer: PyParallel ran them on rollback).
     */
    void registerFinalizer(long block, BlockFinalizer action);

    /** An action run once when a block of a {@link ContextArena} is rolled back or reset. */
    @FunctionalInterface
    interface BlockFinalizer {
        /**
         * @param block the block's address; its memory is still intact while finalizers run
         */
        void finalizeBlock(long block);
    }
}
