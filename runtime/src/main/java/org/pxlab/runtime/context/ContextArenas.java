package org.pxlab.runtime.context;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.spi.AllocatorStatistics;
import org.pxlab.runtime.spi.BlockVisitor;
import org.pxlab.runtime.spi.ContextArena;
import org.pxlab.runtime.spi.Allocator;

/**
 * The allocator of a per-context space: every thread allocates in the arena of the parallel
 * context it runs now, as PyParallel's {@code _PyHeap_Malloc} finds the active context through
 * the thread's {@code ctx} pointer. Contexts obtain fresh arenas from {@link #newArena()}
 * (same component, same options as the space declares) and {@link #enter} them on the thread
 * that runs them.
 *
 * <p>A context may own two arenas: the one it allocates in (a request's scratch heap) and one
 * kept across requests (PyParallel's per-connection heap, where copy-on-assign puts scalars).
 * {@link #free} finds which of the two holds the block. The lookup is one array load per
 * call: the thread's slot, indexed by {@link ThreadContext#id()} and padded to a cache line.
 *
 * <p>Statistics and walks cover every arena made so far (peak in use is the sum of the
 * arenas' peaks, an upper bound of the space's peak); {@link #release()} releases them all.
 */
public final class ContextArenas implements Allocator {
    private final Supplier<ContextArena> factory;
    private final String component;
    private final List<ContextArena> arenas = new ArrayList<>();
    /**
     * Slots per thread in the tables below: each thread's slot on its own 64-byte line (16
     * references even uncompressed would be 128 bytes; 16 compressed ones are 64), because
     * every request rewrites its thread's slot and neighbours must not share the line.
     */
    private static final int STRIDE = 16;
    private final ContextArena[] allocating = new ContextArena[ThreadContext.MAX_THREADS * STRIDE];
    private final ContextArena[] kept = new ContextArena[ThreadContext.MAX_THREADS * STRIDE];

    /**
     * @param component the arena component's name, for messages
     * @param factory   makes one arena per call, configured as the space declares
     */
    public ContextArenas(String component, Supplier<ContextArena> factory) {
        this.component = component;
        this.factory = factory;
    }

    /** A fresh arena for a new parallel context. Set-up time; thread safe. */
    public synchronized ContextArena newArena() {
        ContextArena a = factory.get();
        arenas.add(a);
        return a;
    }

    /**
     * The thread starts running a context: it allocates in {@code allocating}; blocks of
     * {@code keptArena} (may be null) may also be freed.
     */
    public void enter(ThreadContext thread, ContextArena allocatingArena, ContextArena keptArena) {
        allocating[thread.id() * STRIDE] = allocatingArena;
        kept[thread.id() * STRIDE] = keptArena;
    }

    /** The thread leaves its context: allocating in this space is an error until it enters another. */
    public void leave(ThreadContext thread) {
        allocating[thread.id() * STRIDE] = null;
        kept[thread.id() * STRIDE] = null;
    }

    @Override
    public long allocate(long size, ThreadContext thread) {
        ContextArena a = allocating[thread.id() * STRIDE];
        if (a == null) throw outside(thread, "allocates");
        return a.allocate(size, thread);
    }

    @Override
    public void free(long address, long size, ThreadContext thread) {
        ContextArena a = allocating[thread.id() * STRIDE];
        if (a == null) throw outside(thread, "frees");
        ContextArena k = kept[thread.id() * STRIDE];
        if (k != null && !a.owns(address) && k.owns(address)) a = k;
        a.free(address, size, thread);
    }

    private IllegalStateException outside(ThreadContext thread, String what) {
        return new IllegalStateException(thread + " " + what + " in a per-context space (" + component
                + ") outside any parallel context");
    }

    @Override
    public boolean isThreadSafe() {
        // Each arena is used by one thread at a time; the router's own state is per thread.
        return true;
    }

    @Override
    public synchronized void walk(BlockVisitor visitor) {
        for (ContextArena a : arenas) a.walk(visitor);
    }

    /** The arenas made so far (a snapshot). */
    public synchronized List<ContextArena> arenas() {
        return List.copyOf(arenas);
    }

    /** Sums over every arena made so far; exact once the threads using them have stopped. */
    @Override
    public synchronized AllocatorStatistics statistics() {
        AllocatorStatistics sum = AllocatorStatistics.NONE;
        for (ContextArena a : arenas) sum = sum.plus(a.statistics());
        return sum;
    }

    @Override
    public synchronized void release() {
        for (ContextArena a : arenas) a.release();
    }

    @Override
    public String toString() {
        return "per-context " + component;
    }
}
