package org.pxlab.runtime.config;

/**
 * Where an allocation happens: half of an MMTk-style <em>allocation semantics</em> (the other
 * half is the object's type). A configuration maps each pair to a space.
 */
public enum Placement {
    /** On the main thread (the GIL holder, in PyParallel's sense). */
    MAIN,
    /** On a worker thread outside any parallel context. */
    WORKER,
    /** Inside a parallel context (PyParallel: one per connection). */
    PARALLEL_CONTEXT,
    /** Inside an isolated interpreter, actor or process-like heap. */
    INTERPRETER;

    /** Every placement: the usual choice for single-space configurations. */
    public static final java.util.Set<Placement> ANY = java.util.EnumSet.allOf(Placement.class);
}
