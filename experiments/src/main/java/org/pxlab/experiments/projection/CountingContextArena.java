package org.pxlab.experiments.projection;

import org.pxlab.runtime.spi.ContextArena;

/** A {@link CountingAllocator} for a parallel context's arena: also counts snapshots and rollbacks. */
final class CountingContextArena extends CountingAllocator implements ContextArena {
    private final ContextArena arena;

    CountingContextArena(ContextArena arena, Tally tally, String label) {
        super(arena, tally, label);
        this.arena = arena;
    }

    @Override
    public long snapshot() {
        tally.counts.add(tally.coherence.currentCore(), Event.ARENA_SNAPSHOT);
        return arena.snapshot();
    }

    @Override
    public void rollback(long snapshot) {
        tally.counts.add(tally.coherence.currentCore(), Event.ARENA_ROLLBACK);
        arena.rollback(snapshot);
    }

    @Override public long bytesSince(long snapshot) { return arena.bytesSince(snapshot); }
    @Override public void discard(long snapshot) { arena.discard(snapshot); }
    @Override public void reset() { arena.reset(); }
    @Override public boolean owns(long address) { return arena.owns(address); }
    @Override public void registerFinalizer(long block, BlockFinalizer action) { arena.registerFinalizer(block, action); }
}
