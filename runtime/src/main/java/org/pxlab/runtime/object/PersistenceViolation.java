package org.pxlab.runtime.object;

import org.pxlab.runtime.spi.StoreOperation;

/**
 * A store refused because the stored object would outlive the memory it lives in (a parallel
 * object persisted into the main heap, a request's object into its connection's state), or
 * because the store is not allowed from where it runs (a parallel context mutating an
 * unprotected main object). PyParallel raised {@code AssignmentError} for the cases its guard
 * caught; pxlab raises this for every case, and the refused store has changed nothing.
 */
public class PersistenceViolation extends PyException {
    private static final long serialVersionUID = 1L;
    private final StoreOperation operation;
    private final long target;
    private final long value;

    /**
     * @param operation the refused store
     * @param target    the object stored into
     * @param value     the object that would have been stored (0 for a removal)
     * @param message   what both objects are and why the store is refused
     */
    public PersistenceViolation(StoreOperation operation, long target, long value, String message) {
        this("AssignmentError", operation, target, value, message);
    }

    /**
     * A refused store raised as another Python exception type (isolated heaps refuse a
     * cross-heap reference); the object model releases a stolen value the same way.
     *
     * @param pythonType the exception's Python type name
     */
    protected PersistenceViolation(String pythonType, StoreOperation operation, long target, long value, String message) {
        super(pythonType, operation.label() + ": " + message);
        this.operation = operation;
        this.target = target;
        this.value = value;
    }

    public StoreOperation operation() {
        return operation;
    }

    /** The target's address. */
    public long target() {
        return target;
    }

    /** The value's address, or 0. */
    public long value() {
        return value;
    }
}
