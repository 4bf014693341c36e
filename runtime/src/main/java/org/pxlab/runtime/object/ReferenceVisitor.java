package org.pxlab.runtime.object;

/**
 * Receives each object reference held by an object ({@code tp_traverse}'s {@code visitproc}).
 * Implementations on hot paths are allocated once and reused.
 */
@FunctionalInterface
public interface ReferenceVisitor {
    /** @param referent a non-zero address of a referenced object */
    void visit(long referent);
}
