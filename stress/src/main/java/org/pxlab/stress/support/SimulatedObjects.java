package org.pxlab.stress.support;

import org.pxlab.runtime.exec.ThreadContext;
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

    /** A fresh object holding one reference, made by the housekeeping context. */
    public long take() {
        return take(Housekeeping.CONTEXT);
    }

    /**
     * A fresh object holding one reference, initialised as if {@code creator} had made it: a
     * strategy that records an owner ({@code biased}) makes {@code creator} the owner.
     * Initialisation only stores into the new header, so it runs under the housekeeping lock
     * whichever context it names.
     */
    public long take(ThreadContext creator) {
        long object = SlotPool.SHARED.take();
        synchronized (Housekeeping.LOCK) {
            strategy.initialize(object, creator);
        }
        return object;
    }

    /** Gives the object's slot back; no actor may touch it again. */
    public void give(long object) {
        SlotPool.SHARED.give(object);
    }
}
