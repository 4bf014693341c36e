package org.pxlab.gc.isolated;

import org.pxlab.runtime.object.PersistenceViolation;
import org.pxlab.runtime.spi.StoreOperation;

/**
 * A store refused because it would make one isolated heap reference an object of another:
 * Python's {@code TypeError}, as sharing a non-shareable object between interpreters raises
 * one (PEP 734's {@code NotShareableError} is a {@code TypeError}). The message names the
 * operation and both heaps; the refused store has changed nothing.
 */
public final class CrossHeapReference extends PersistenceViolation {
    private static final long serialVersionUID = 1L;

    CrossHeapReference(StoreOperation operation, long target, long value, String message) {
        super("TypeError", operation, target, value, message);
    }
}
