package org.pxlab.runtime.object;

import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.spi.SyncDiscipline;

/**
 * How the container operations of one heap synchronise, decided once from the
 * configuration's sync discipline: whether mutations run inside the container's critical
 * section ({@code Py_BEGIN_CRITICAL_SECTION} in CPython 3.13t's {@code Objects/listobject.c}
 * and {@code Objects/dictobject.c}), and how item reads are made.
 *
 * <p>Under a discipline that {@linkplain SyncDiscipline#serializesMutators serialises
 * mutators} (the GIL) the brackets are a test of a final field and no call, so the
 * {@code gil} configuration does not pay for a lock it does not have.
 */
public final class CriticalSections {
    /** How container items are read. */
    public enum Reads {
        /** A plain read: one thread at a time runs (a GIL), or no discipline was given. */
        UNLOCKED,
        /** Inside the container's critical section. */
        LOCKED,
        /** CPython 3.13t's optimistic protocol, falling back to {@link #LOCKED} ({@link OptimisticReads}). */
        OPTIMISTIC
    }

    private final SyncDiscipline sync;
    private final boolean locking;
    private final Reads reads;

    /** @param sync the configuration's discipline, or {@code null} for none (component tests) */
    CriticalSections(SyncDiscipline sync) {
        this.sync = sync;
        this.locking = sync != null && !sync.serializesMutators();
        this.reads = !locking ? Reads.UNLOCKED : sync.readsOptimistically() ? Reads.OPTIMISTIC : Reads.LOCKED;
    }

    /** Whether mutations take the container's lock. */
    public boolean locking() {
        return locking;
    }

    /** How items are read. */
    public Reads reads() {
        return reads;
    }

    /** {@code Py_BEGIN_CRITICAL_SECTION(object)}. */
    public void enter(long object, ThreadContext thread) {
        if (locking) sync.lock(object, thread);
    }

    /** {@code Py_END_CRITICAL_SECTION()} of an {@link #enter}. */
    public void exit(long object, ThreadContext thread) {
        if (locking) sync.unlock(object, thread);
    }

    /** {@code Py_BEGIN_CRITICAL_SECTION2(a, b)}: the lower address first. */
    public void enterPair(long a, long b, ThreadContext thread) {
        if (locking) sync.lockPair(a, b, thread);
    }

    /** {@code Py_END_CRITICAL_SECTION2()} of an {@link #enterPair}. */
    public void exitPair(long a, long b, ThreadContext thread) {
        if (locking) sync.unlockPair(a, b, thread);
    }
}
