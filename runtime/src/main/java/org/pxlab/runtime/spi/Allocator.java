package org.pxlab.runtime.spi;

import org.pxlab.runtime.exec.ThreadContext;

/**
 * Hands out and takes back blocks of simulated memory for one space.
 *
 * <p><b>Contract.</b> {@link #allocate} returns a non-zero address aligned to 16 bytes whose
 * {@code size} bytes overlap no other live block of this allocator; its content is
 * unspecified (the runtime initialises every field it uses). {@link #free} takes a block
 * this allocator returned and has not yet taken back, with the size it was requested with;
 * passing the size costs the caller nothing (the runtime knows every object's size) and
 * spares size prefixes in allocators that do not model one.
 *
 * <p><b>Threads.</b> An allocator that returns {@code false} from {@link #isThreadSafe()} may
 * be called by one thread at a time only; the configuration's sync discipline must guarantee
 * that (the registry refuses a configuration where it does not, unless declared unsafe). The
 * {@link ThreadContext} argument identifies the calling runtime thread without a
 * {@code ThreadLocal} lookup; thread-safe allocators use it to find their per-thread heaps.
 *
 * <p><b>Hot path.</b> {@code allocate} and {@code free} must not allocate Java objects in the
 * steady state: tests check this with the thread's allocated-bytes counter.
 *
 * <p><b>Lifetime.</b> Memory obtained from the system is kept until {@link #release()}, which
 * the runtime calls once, after every runtime thread has stopped.
 */
public interface Allocator {

    /**
     * Allocates a block.
     *
     * @param size   bytes requested, at least 1
     * @param thread the calling runtime thread
     * @return the block's address, 16-byte aligned, never 0
     * @throws org.pxlab.runtime.memory.SimulatedOutOfMemoryError if the request cannot be met;
     *         the message includes {@link #statistics()}
     */
    long allocate(long size, ThreadContext thread);

    /**
     * Takes back a block.
     *
     * @param address a live block from {@link #allocate}
     * @param size    the size it was allocated with
     * @param thread  the calling runtime thread (which may not be the one that allocated it)
     */
    void free(long address, long size, ThreadContext thread);

    /** Whether several threads may call this allocator at once. */
    boolean isThreadSafe();

    /**
     * Visits every live block, in no particular order, for collectors that find objects by
     * walking the heap (CPython 3.13t's stop-the-world GC). The caller guarantees that no
     * thread allocates or frees meanwhile. Not a hot path.
     */
    void walk(BlockVisitor visitor);

    /** A snapshot of the allocator's statistics, summed over threads where kept per thread. */
    AllocatorStatistics statistics();

    /** Returns all memory to the system. Called once, after every user of the space has stopped. */
    void release();
}
