package org.pxlab.runtime.spi;

import org.pxlab.runtime.exec.ThreadContext;

/**
 * Sees every store of a reference into an object, and every removal from one, before anything
 * changes: PyParallel's owner test ({@code Py_ISPX} on the target and the value) that guards
 * "don't persist parallel objects". The object model calls it from each container store
 * ({@code list} items, {@code dict} entries, instance slots and dicts, tuple items), so a
 * barrier that refuses leaves both objects exactly as they were. Stores into a container other
 * threads can reach are admitted inside its critical section
 * ({@link org.pxlab.runtime.spi.SyncDiscipline#lock}), so a barrier needs no lock of its own: a
 * discipline that guards some objects with a lock takes it there.
 *
 * <p>Configurations without such a rule use {@link #NONE}, which the JIT reduces to nothing.
 */
public interface StoreBarrier {

    /** Admits every store unchanged. */
    StoreBarrier NONE = new StoreBarrier() {
        @Override
        public long admitStore(long target, long value, StoreOperation operation, ThreadContext thread) {
            return value;
        }

        @Override
        public String toString() {
            return "no store barrier";
        }
    };

    /**
     * Admits, replaces or refuses a store.
     *
     * @param target    the object stored into (or removed from)
     * @param value     the reference about to be stored, or 0 for a removal or a reorder
     * @param operation what the store is
     * @param thread    the storing thread
     * @return the reference to store: {@code value} itself, or a copy standing in for it (a
     *         protected store copies a parallel value into the main heap, copy-on-assign copies a
     *         scalar into the connection's heap); a copy carries the one reference the target
     *         will hold. Only a value whose counts are elided may be replaced, so the caller's
     *         own reference to it needs no release. 0 for a removal.
     * @throws org.pxlab.runtime.object.PersistenceViolation if the store would persist an
     *         object beyond its lifetime (or is otherwise forbidden by the configuration)
     */
    long admitStore(long target, long value, StoreOperation operation, ThreadContext thread);
}
