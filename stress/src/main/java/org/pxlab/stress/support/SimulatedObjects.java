package org.pxlab.stress.support;

import org.pxlab.runtime.spi.RefCountStrategy;

/**
 * Simulated objects counted by one refcount strategy: the header a single-space configuration
 * would compose for the strategy, in a slot of the shared {@link SlotPool}, with the count
 * initialised by the strategy (one reference).
 */
public final class SimulatedObjects {
    private final RefCountStrategy strategy;

    /**
     * Objects counted by a fresh instance of the strategy named {@code refcount}, bound by
     * {@link Components#refcount}.
     *
     * @throws IllegalStateException if the strategy's header does not fit in a slot
     */
    public SimulatedObjects(String refcount) {
        this.strategy = Components.refcount(refcount);
        int bytes = Components.header(strategy).size();
        if (bytes > SlotPool.SLOT_BYTES) {
            throw new IllegalStateException(refcount + ": a " + bytes + "-byte header does not fit in a "
                    + SlotPool.SLOT_BYTES + "-byte slot");
        }
    }

    /** The strategy, bound to the objects' header. */
    public RefCountStrategy strategy() {
        return strategy;
    }

    /** A fresh object holding one reference. */
    public long take() {
        long object = SlotPool.SHARED.take();
        synchronized (Housekeeping.LOCK) {
            strategy.initialize(object, Housekeeping.CONTEXT);
        }
        return object;
    }

    /** Gives the object's slot back; no actor may touch it again. */
    public void give(long object) {
        SlotPool.SHARED.give(object);
    }
}
