package org.pxlab.runtime.projection;

/**
 * Sees every access to simulated memory made through {@link org.pxlab.runtime.memory.Memory},
 * installed with {@link org.pxlab.runtime.memory.Memory#observe}. A counting runtime uses it
 * to feed a cache-coherence model (which 64-byte lines each logical core reads and writes).
 *
 * <p>Reported only in JVMs started with {@code -Dpxlab.projection=true}
 * ({@link org.pxlab.runtime.memory.Memory#OBSERVED}); otherwise the report is a constant-false
 * branch and is compiled away. Called on whichever Java thread makes the access, before it is
 * made; an implementation must not access simulated memory itself.
 */
@FunctionalInterface
public interface MemoryObserver {
    /** A plain or ordered load. */
    int LOAD = 0;
    /** A plain or ordered store. */
    int STORE = 1;
    /** An atomic read-modify-write (get-and-add, compare-and-set, failed or not): it takes the line exclusive. */
    int ATOMIC = 2;

    /** The observer installed when nothing observes. */
    MemoryObserver NONE = (address, bytes, kind) -> { };

    /**
     * One access.
     *
     * @param address first byte accessed
     * @param bytes   bytes accessed (a bulk copy or zeroing reports its whole range once)
     * @param kind    {@link #LOAD}, {@link #STORE} or {@link #ATOMIC}
     */
    void access(long address, long bytes, int kind);
}
