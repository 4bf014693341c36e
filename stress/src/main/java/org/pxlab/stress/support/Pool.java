package org.pxlab.stress.support;

import java.util.ArrayDeque;
import java.util.function.Supplier;

/**
 * Reusable per-state resources: a state takes one in its constructor and its arbiter gives it
 * back, so a test makes as many as there are states alive at once, and no more.
 *
 * <p>Thread safe; {@link #take} and {@link #give} run under {@link Housekeeping#LOCK}, never
 * inside an actor. The lock also publishes what the giver did to the resource to its next
 * taker.
 *
 * @param <T> the resource
 */
public final class Pool<T> {
    private final ArrayDeque<T> idle = new ArrayDeque<>();
    private final Supplier<T> factory;
    private int created;

    /** @param factory makes a new resource when none is idle; called under the lock */
    public Pool(Supplier<T> factory) {
        this.factory = factory;
    }

    /** An idle resource, or a new one. */
    public T take() {
        synchronized (Housekeeping.LOCK) {
            T t = idle.pollFirst();
            if (t != null) return t;
            created++;
            return factory.get();
        }
    }

    /** Returns a resource that no actor will touch again until it is taken anew. */
    public void give(T t) {
        synchronized (Housekeeping.LOCK) {
            idle.addFirst(t);
        }
    }

    /** How many resources this pool has made (for tests of the pool). */
    public int created() {
        synchronized (Housekeeping.LOCK) {
            return created;
        }
    }
}
