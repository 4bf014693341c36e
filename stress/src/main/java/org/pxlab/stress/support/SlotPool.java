package org.pxlab.stress.support;

import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.memory.SystemMalloc;

/**
 * Off-heap memory for states: fixed-size slots of simulated memory, carved from chunks that
 * are allocated once and kept for the life of the JVM, handed to one state at a time.
 *
 * <p>{@link #take} returns a zeroed slot; {@link #give} poisons it (when {@code pxlab.poison}
 * is on) and keeps it for the next state, so a stale use by a previous state's actor would
 * read {@link Memory#POISON_WORD} rather than another state's data. Slots are
 * {@value #SLOT_BYTES} bytes, 64-byte aligned: one cache line each, so neighbouring states'
 * words never share a line.
 *
 * <p>Thread safe; calls run under {@link Housekeeping#LOCK}, never inside an actor.
 */
public final class SlotPool {
    /** Bytes per slot: one cache line. */
    public static final int SLOT_BYTES = 64;
    private static final int SLOTS_PER_CHUNK = 1024;

    /** The pool every test shares: slots are interchangeable. */
    public static final SlotPool SHARED = new SlotPool();

    private long[] idle = new long[SLOTS_PER_CHUNK];
    private int idleCount;
    private long chunks;

    private SlotPool() {}

    /** A zeroed slot of {@value #SLOT_BYTES} bytes, 64-byte aligned. */
    public long take() {
        synchronized (Housekeeping.LOCK) {
            if (idleCount == 0) grow();
            long slot = idle[--idleCount];
            Memory.zero(slot, SLOT_BYTES);
            return slot;
        }
    }

    /** Returns a slot that no actor will touch again. */
    public void give(long slot) {
        synchronized (Housekeeping.LOCK) {
            Memory.poison(slot, SLOT_BYTES);
            if (idleCount == idle.length) idle = java.util.Arrays.copyOf(idle, idle.length * 2);
            idle[idleCount++] = slot;
        }
    }

    /** Bytes of simulated memory this pool has obtained from the C library. */
    public long reservedBytes() {
        synchronized (Housekeeping.LOCK) {
            return chunks * (SLOTS_PER_CHUNK + 1L) * SLOT_BYTES;
        }
    }

    private void grow() {
        // One slot of slack to round the chunk up to a 64-byte boundary (malloc aligns to 16).
        long chunk = SystemMalloc.malloc((SLOTS_PER_CHUNK + 1L) * SLOT_BYTES);
        long first = (chunk + SLOT_BYTES - 1) & -SLOT_BYTES;
        chunks++;
        if (idle.length < idleCount + SLOTS_PER_CHUNK) idle = java.util.Arrays.copyOf(idle, idleCount + SLOTS_PER_CHUNK);
        for (int i = SLOTS_PER_CHUNK - 1; i >= 0; i--) idle[idleCount++] = first + (long) i * SLOT_BYTES;
    }
}
