package org.pxlab.experiments.projection;

import org.pxlab.runtime.exec.ThreadContext;

/**
 * The state a counting run's decorators share: the counts, the coherence model, and who
 * created each object and block and who last took each lock. One per counting run; used on
 * one Java thread (the run's), so nothing here is synchronised.
 */
final class Tally {
    final EventCounts counts = new EventCounts();
    final CoherenceModel coherence = new CoherenceModel(counts);
    /** Object address to the id of the thread that created it. */
    private final AddressTable objectOwners = new AddressTable();
    /** Block address to the id of the thread that allocated it. */
    private final AddressTable blockOwners = new AddressTable();
    /** Lock (object address) to the id of the thread that took it last, and its acquisitions since warm-up. */
    private final AddressTable locks = new AddressTable();
    private int logicalCores = 1;

    void logicalCores(int n) {
        logicalCores = n;
        coherence.cores(n);
    }

    int logicalCores() {
        return logicalCores;
    }

    /** The end of warm-up: counts restart, the state of lines, owners and locks stays. */
    void warmedUp() {
        coherence.endTurn();
        counts.reset();
        locks.clearLongs();
        coherence.restartTransfers();
    }

    /** Folds the per-lock state into the counts (call when the run ends). */
    void finish() {
        coherence.endTurn();
        counts.hottest(locks.maxLong(), coherence.hottestLineTransfers());
    }

    void created(long object, ThreadContext thread) {
        objectOwners.setInt(objectOwners.slot(object), thread.id());
    }

    /** Whether {@code thread} created {@code object} (objects from before counting began are main's, id 0). */
    boolean ownsObject(long object, ThreadContext thread) {
        return objectOwners.intOf(object, 0) == thread.id();
    }

    void allocated(long block, ThreadContext thread) {
        blockOwners.setInt(blockOwners.slot(block), thread.id());
    }

    /** Whether {@code thread} allocated {@code block}. */
    boolean ownsBlock(long block, ThreadContext thread) {
        return blockOwners.intOf(block, 0) == thread.id();
    }

    /** Records one acquisition of {@code lock} by {@code thread}: local if it took it last (or nobody did). */
    void acquired(long lock, ThreadContext thread) {
        int s = locks.find(lock);
        boolean local = s < 0 || locks.intAt(s) == thread.id();
        if (s < 0) s = locks.slot(lock);
        locks.setInt(s, thread.id());
        locks.setLong(s, locks.longAt(s) + 1);
        counts.add(thread.id(), local ? Event.LOCK_LOCAL : Event.LOCK_REMOTE);
    }

    /**
     * Counts a refcount operation from what it did to memory: {@code atomicsBefore} and
     * {@code storesBefore} are the coherence model's counters read just before it.
     */
    void refcountOperation(long object, ThreadContext thread, long atomicsBefore, long storesBefore) {
        boolean owner = ownsObject(object, thread);
        Event e;
        if (coherence.atomics() != atomicsBefore) e = owner ? Event.REFCOUNT_ATOMIC_OWNER : Event.REFCOUNT_ATOMIC_OTHER;
        else if (coherence.stores() != storesBefore) e = owner ? Event.REFCOUNT_PLAIN_OWNER : Event.REFCOUNT_PLAIN_OTHER;
        else e = Event.REFCOUNT_NO_WRITE;
        counts.add(thread.id(), e);
    }
}
