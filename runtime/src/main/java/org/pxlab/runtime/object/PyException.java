package org.pxlab.runtime.object;

/**
 * A Python-level exception raised by a simulated operation ({@code KeyError},
 * {@code IndexError}, {@code AttributeError}, {@code TypeError}). pxlab's workloads do not
 * catch them: one that escapes means a workload is wrong, and its run fails.
 */
public class PyException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String type;

    public PyException(String type, String message) {
        super(type + ": " + message);
        this.type = type;
    }

    /** The Python exception type's name. */
    public String type() {
        return type;
    }
}
