package org.pxlab.runtime.memory;

/**
 * Simulated memory is exhausted: an allocator could not satisfy a request. The message
 * carries the allocator's statistics so the failure can be read without a debugger; the JVM
 * itself is unaffected.
 */
public final class SimulatedOutOfMemoryError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SimulatedOutOfMemoryError(String message) {
        super(message);
    }
}
