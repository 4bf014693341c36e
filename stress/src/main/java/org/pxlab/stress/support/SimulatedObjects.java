package org.pxlab.stress.support;

import org.pxlab.runtime.spi.RefCountStrategy;

/**
 * Simulated objects for refcount tests: a header, as the configuration would compose it for
 * the strategy, in a slot of the shared {@link SlotPool}, with its count initialised by the
 * strategy (one reference).
 */
public final class SimulatedObjects {
    private SimulatedObjects() {}

    /**
     * A fresh object whose header {@code strategy} was bound to by
     * {@link Components#refcount}, holding one reference.
     *
     * @throws IllegalStateException if the header does not fit in a slot
     */
    public static long take(RefCountStrategy strategy) {
        int bytes = Components.header(strategy).size();
        if (bytes > SlotPool.SLOT_BYTES) {
            throw new IllegalStateException("a " + bytes + "-byte header does not fit in a " + SlotPool.SLOT_BYTES + "-byte slot");
        }
        long object = SlotPool.SHARED.take();
        synchronized (Housekeeping.LOCK) {
            strategy.initialize(object, Housekeeping.CONTEXT);
        }
        return object;
    }

    /** Gives the object's slot back; no actor may touch it again. */
    public static void give(long object) {
        SlotPool.SHARED.give(object);
    }
}
